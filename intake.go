package zhagen

import "time"

// PublicRequest is what anybody may read of a demand filed through a
// publicly readable intake channel: GeoReport v2 defines no api_key on
// its GET resources, and clients such as FixMyStreet read requests back
// without one. It holds the request's status, service, agency, dates and
// latest public note, and by construction nothing else: never the
// enterprise, the reporter or their contact, the description, the
// address or the location.
type PublicRequest struct {
	ID            int64
	Status        DemandStatus
	CategoryCode  string
	CategoryName  string
	LeadDeptName  string // the agency responsible, "" while unrouted
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ResolutionDue *time.Time
	Note          string // the newest public note of its timeline
}

// PublicRequestFilter selects public requests; zero fields do not filter.
// IDs or Token, when given, select those requests whatever the rest says.
type PublicRequestFilter struct {
	IDs         []int64
	Token       string
	CategoryIDs []int64
	Open        *bool      // open (not finished) or closed only
	From, To    *time.Time // filed at From or later, before To
	Limit       int        // at most this many (default 1000)
}
