package match

import "math"

// Pair is a resident and a hospital.
type Pair struct {
	Resident int32
	Hospital int32
}

// Reason says why a resident is unmatched.
type Reason uint8

const (
	// ReasonEmptyList: the resident's list holds no mutually acceptable
	// hospital (it ranked nothing, or nothing it ranked ranked it back).
	ReasonEmptyList Reason = iota + 1
	// ReasonOutranked: the list is exhausted; every hospital on it is
	// full of applicants it ranks higher. This is the normal reason in a
	// stable matching.
	ReasonOutranked
	// ReasonWithdrawn: the resident was removed by Instance.Withdraw.
	ReasonWithdrawn
	// ReasonBlocked: some hospital on the list would still take the
	// resident; the matching is not stable (see BlockingPairs).
	ReasonBlocked
)

// String returns the English label.
func (r Reason) String() string {
	switch r {
	case ReasonEmptyList:
		return "empty list: no mutually acceptable choice"
	case ReasonOutranked:
		return "every choice full of better-ranked applicants"
	case ReasonWithdrawn:
		return "withdrawn"
	case ReasonBlocked:
		return "a choice would still accept (unstable)"
	}
	return "unknown"
}

// Chinese returns the Chinese label shown to users.
func (r Reason) Chinese() string {
	switch r {
	case ReasonEmptyList:
		return "志愿为空"
	case ReasonOutranked:
		return "所有志愿均已被排名更靠前的申请人占满"
	case ReasonWithdrawn:
		return "已退出"
	case ReasonBlocked:
		return "仍有志愿可录取（匹配不稳定）"
	}
	return "未知"
}

// Unmatched is an unmatched resident with the reason.
type Unmatched struct {
	Resident int32
	Reason   Reason
}

// AuditReport is the outcome of Audit. A correct matching has no
// blocking pair, no capacity violation and no unacceptable pair.
type AuditReport struct {
	Matched int
	// BlockingPairs are mutually acceptable pairs (r, h) where r prefers
	// h to its match (or is unmatched) and h has a free place or ranks r
	// above its worst assignee. Sorted by resident, then r's preference.
	BlockingPairs []Pair
	// CapacityViolations are the hospitals holding more residents than
	// their capacity, ascending.
	CapacityViolations []int32
	// Unacceptable are the residents matched to a hospital that is out of
	// range or not mutually acceptable, or matched although withdrawn.
	Unacceptable []int32
	// Unmatched lists every unmatched resident, ascending, with a reason.
	Unmatched []Unmatched
}

// OK reports whether the matching passed: it is stable, within
// capacities and uses only mutually acceptable pairs.
func (a *AuditReport) OK() bool {
	return len(a.BlockingPairs) == 0 && len(a.CapacityViolations) == 0 && len(a.Unacceptable) == 0
}

// Audit checks res against in and explains every unmatched resident. It
// runs in O(R + H + total list length). res.Match must have R entries;
// its values may be anything (out-of-range ones are reported).
func Audit(in *Instance, res *Result) AuditReport {
	var a AuditReport
	nr, nh := in.nr, in.nh
	count := make([]int32, nh)
	worst := make([]int32, nh) // worst rank among acceptable assignees, -1 if none
	for h := range worst {
		worst[h] = -1
	}
	// at[r] is the index in r's list of its match, or len(list) when
	// unmatched or matched unacceptably.
	at := make([]int32, nr)
	for r := range nr {
		h := res.Match[r]
		l := in.Choices(r)
		at[r] = int32(len(l))
		if h < 0 {
			continue
		}
		if int(h) >= nh {
			a.Unacceptable = append(a.Unacceptable, int32(r))
			continue
		}
		count[h]++
		found := false
		if !in.ResidentWithdrawn(r) {
			for i, c := range l {
				if c.Hospital == h {
					at[r] = int32(i)
					worst[h] = max(worst[h], c.Rank)
					found = true
					break
				}
			}
		}
		if !found {
			// h did not rank r (or r withdrew): h prefers anyone it ranks.
			a.Unacceptable = append(a.Unacceptable, int32(r))
			worst[h] = math.MaxInt32
		}
	}
	for h := range nh {
		if count[h] > in.capacity[h] {
			a.CapacityViolations = append(a.CapacityViolations, int32(h))
		}
	}
	for r := range nr {
		blocked := false
		for _, c := range in.Choices(r)[:at[r]] {
			h := c.Hospital
			if count[h] < in.capacity[h] || c.Rank < worst[h] {
				a.BlockingPairs = append(a.BlockingPairs, Pair{Resident: int32(r), Hospital: h})
				blocked = true
			}
		}
		if res.Match[r] >= 0 {
			a.Matched++
			continue
		}
		var why Reason
		switch {
		case in.ResidentWithdrawn(r):
			why = ReasonWithdrawn
		case at[r] == 0:
			why = ReasonEmptyList
		case blocked:
			why = ReasonBlocked
		default:
			why = ReasonOutranked
		}
		a.Unmatched = append(a.Unmatched, Unmatched{Resident: int32(r), Reason: why})
	}
	return a
}
