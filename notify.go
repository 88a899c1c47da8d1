package zhagen

import (
	"context"
	"time"
)

// Notification is an in-app message to one user.
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	// Kind is the kind of the notice ("demand.assigned"); Group the
	// bell's group of it (GroupOf).
	Kind  string      `json:"kind"`
	Group NoticeGroup `json:"group"`
}

// NotificationGroupCount is how many of a user's messages are in a group
// of the bell, and how many of those are unread.
type NotificationGroupCount struct {
	Group  NoticeGroup `json:"group"`
	Total  int         `json:"total"`
	Unread int         `json:"unread"`
}

// NotificationService gives each user their in-app messages.
type NotificationService interface {
	// FindNotifications returns the caller's newest messages and how
	// many are unread.
	FindNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*Notification, int, error)
	// FindGroupNotifications is FindNotifications of one group of the
	// bell ("" for all); the count is of the group's unread messages.
	FindGroupNotifications(ctx context.Context, group NoticeGroup, unreadOnly bool, limit int) ([]*Notification, int, error)
	// NotificationGroups counts the caller's messages per group of the
	// bell, in the order of NoticeGroups, leaving out empty groups.
	NotificationGroups(ctx context.Context) ([]NotificationGroupCount, error)
	// CountUnread returns how many of the caller's messages are unread,
	// counting no further than max: the bell shows "99+" beyond 99, and a
	// department head whom the escalation ladder told of every late demand
	// may have tens of thousands.
	CountUnread(ctx context.Context, max int) (int, error)
	// MarkNotificationsRead marks the caller's messages read (all when id is 0).
	MarkNotificationsRead(ctx context.Context, id int64) error
}

// IntakeChannel is an outside system that files demands through Open311
// with an api_key.
type IntakeChannel struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	APIKey string `json:"api_key,omitempty"` // only when created
	// Public marks the channel publicly readable: the public fields of
	// the requests filed through it answer keyless Open311 GETs
	// (PublicRequest).
	Public    bool      `json:"public"`
	CreatedAt time.Time `json:"created_at"`
}

// IntakeService issues and checks Open311 api_keys.
type IntakeService interface {
	// CreateIntakeChannel issues a channel with a new random key, or with
	// key when it is not empty (admin only).
	CreateIntakeChannel(ctx context.Context, name, key string) (*IntakeChannel, error)
	// FindIntakeChannels lists the channels (admin only).
	FindIntakeChannels(ctx context.Context) ([]*IntakeChannel, error)
	// ActorByAPIKey returns the actor of a channel; EUNAUTHORIZED for a
	// missing or unknown key.
	ActorByAPIKey(ctx context.Context, key string) (*Actor, error)
	// SetIntakeChannelPublic marks a channel publicly readable or not
	// (admin only).
	SetIntakeChannelPublic(ctx context.Context, id int64, public bool) (*IntakeChannel, error)
	// FindPublicRequests returns, to anybody, the public fields of the
	// requests filed through publicly readable channels that f selects,
	// newest first.
	FindPublicRequests(ctx context.Context, f PublicRequestFilter) ([]*PublicRequest, error)
}
