package sqldb

import (
	"context"
	"slices"
	"strings"

	"zhagen"
)

// NotificationService gives users their in-app messages.
type NotificationService struct{ db *DB }

// NewNotificationService returns the notification service of db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ zhagen.NotificationService = (*NotificationService)(nil)

// notificationScopeSQL selects the messages an actor reaches through
// each relation of the policy's PermNotificationRead.
var notificationScopeSQL = scopeSQL{
	zhagen.RelSelf: eqSQL("user_id", actorUser),
}

// FindNotifications returns the caller's newest messages and the unread count.
func (s *NotificationService) FindNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*zhagen.Notification, int, error) {
	return s.FindGroupNotifications(ctx, "", unreadOnly, limit)
}

// groupSQL adds to w the condition of the kinds of group g: their first
// part is one of the group's (or, for GroupOther, none of the others').
func groupSQL(w *where, g zhagen.NoticeGroup) {
	var conds []string
	var args []any
	for _, head := range zhagen.GroupKinds(g) {
		conds = append(conds, "kind = ? OR kind LIKE (? || '.%')") // see deptsBelowSQL
		args = append(args, head, head)
	}
	c := "(" + strings.Join(conds, " OR ") + ")"
	if g == zhagen.GroupOther {
		c = "NOT " + c
	}
	w.add(c, args...)
}

// CountUnread counts the caller's unread messages, up to max.
func (s *NotificationService) CountUnread(ctx context.Context, max int) (int, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return 0, err
	}
	w := where{conds: []string{"read_at IS NULL"}}
	if err := scope(a, zhagen.PermNotificationRead, &w, notificationScopeSQL); err != nil {
		return 0, err
	}
	var n int
	err = s.db.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications`+w.String()+` LIMIT ?) u`, append(w.args, max)...).Scan(&n)
	return n, err
}

// FindGroupNotifications returns the caller's newest messages of group g
// ("" for all) and the count of its unread ones.
func (s *NotificationService) FindGroupNotifications(ctx context.Context, g zhagen.NoticeGroup, unreadOnly bool, limit int) ([]*zhagen.Notification, int, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	var w where
	if err := scope(a, zhagen.PermNotificationRead, &w, notificationScopeSQL); err != nil {
		return nil, 0, err
	}
	if g != "" {
		if !slices.Contains(zhagen.NoticeGroups, g) {
			return nil, 0, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "group", Message: "消息类别无效"}
		}
		groupSQL(&w, g)
	}
	unreadW := where{conds: append(slices.Clone(w.conds), "read_at IS NULL"), args: w.args}
	var unread int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM notifications`+unreadW.String(), unreadW.args...).Scan(&unread); err != nil {
		return nil, 0, err
	}
	if unreadOnly {
		w = unreadW
	}
	rows, err := s.db.query(ctx, `SELECT id, user_id, title, body, link, created_at, read_at, kind FROM notifications`+w.String()+` ORDER BY id DESC LIMIT ?`,
		append(slices.Clone(w.args), zhagen.ClampLimit(limit, 50, 200))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Notification{}
	for rows.Next() {
		n := &zhagen.Notification{}
		if err := rows.Scan(&n.ID, &n.UserID, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &n.ReadAt, &n.Kind); err != nil {
			return nil, 0, err
		}
		n.Group = zhagen.GroupOf(n.Kind)
		out = append(out, n)
	}
	return out, unread, rows.Err()
}

// NotificationGroups counts the caller's messages, and the unread ones,
// per group of the bell.
func (s *NotificationService) NotificationGroups(ctx context.Context) ([]zhagen.NotificationGroupCount, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	if err := scope(a, zhagen.PermNotificationRead, &w, notificationScopeSQL); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT kind, COUNT(*), SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END) FROM notifications`+w.String()+` GROUP BY kind`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[zhagen.NoticeGroup]*zhagen.NotificationGroupCount{}
	for rows.Next() {
		var kind string
		var total, unread int
		if err := rows.Scan(&kind, &total, &unread); err != nil {
			return nil, err
		}
		g := zhagen.GroupOf(kind)
		if by[g] == nil {
			by[g] = &zhagen.NotificationGroupCount{Group: g}
		}
		by[g].Total += total
		by[g].Unread += unread
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []zhagen.NotificationGroupCount{}
	for _, g := range zhagen.NoticeGroups {
		if c := by[g]; c != nil {
			out = append(out, *c)
		}
	}
	return out, nil
}

// MarkNotificationsRead marks one (or, for id 0, every) message of the
// caller read.
func (s *NotificationService) MarkNotificationsRead(ctx context.Context, id int64) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	w := where{conds: []string{"read_at IS NULL"}}
	if err := scope(a, zhagen.PermNotificationRead, &w, notificationScopeSQL); err != nil {
		return err
	}
	if id != 0 {
		w.add("id = ?", id)
	}
	_, err = s.db.exec(ctx, `UPDATE notifications SET read_at = ?`+w.String(), append([]any{s.db.now()}, w.args...)...)
	return err
}

// IntakeService issues and checks Open311 api_keys. Only key hashes are
// stored.
type IntakeService struct{ db *DB }

// NewIntakeService returns the intake service of db.
func NewIntakeService(db *DB) *IntakeService { return &IntakeService{db: db} }

var _ zhagen.IntakeService = (*IntakeService)(nil)

// CreateIntakeChannel issues a channel (admin only). An empty key gets a
// random one; a given key must be at least 16 characters.
func (s *IntakeService) CreateIntakeChannel(ctx context.Context, name, key string) (*zhagen.IntakeChannel, error) {
	if _, err := permitted(ctx, zhagen.PermIntakeCreate, zhagen.Facts{}); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 60 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "name", Message: "请填写渠道名称（不超过60个字）"}
	}
	if key == "" {
		var err error
		if key, _, err = newSecret("o311_"); err != nil {
			return nil, err
		}
	} else if len(key) < 16 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "api_key", Message: "api_key 至少16个字符"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ch := &zhagen.IntakeChannel{Name: name, APIKey: key, CreatedAt: tx.now}
	ch.ID, err = tx.insert(ctx, `INSERT INTO intake_channels (name, key_hash, created_at) VALUES (?, ?, ?)`, name, hashSecret(key), tx.now)
	if isUniqueViolation(err) {
		return nil, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "api_key", Message: "该 api_key 已被使用"}
	} else if err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "新建", "Open311渠道", ch.ID, name); err != nil {
		return nil, err
	}
	return ch, tx.Commit()
}

// FindIntakeChannels lists the channels (admin only).
func (s *IntakeService) FindIntakeChannels(ctx context.Context) ([]*zhagen.IntakeChannel, error) {
	if _, err := permitted(ctx, zhagen.PermIntakeView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, name, public_read, created_at FROM intake_channels ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.IntakeChannel{}
	for rows.Next() {
		c := &zhagen.IntakeChannel{}
		if err := rows.Scan(&c.ID, &c.Name, &c.Public, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ActorByAPIKey returns the actor of an intake channel; EUNAUTHORIZED
// for a missing or unknown key (Open311 answers both with 403).
func (s *IntakeService) ActorByAPIKey(ctx context.Context, key string) (*zhagen.Actor, error) {
	if key == "" {
		return nil, zhagen.Errorf(zhagen.EUNAUTHORIZED, "缺少 api_key")
	}
	a := &zhagen.Actor{}
	err := s.db.queryRow(ctx, `SELECT id, name FROM intake_channels WHERE key_hash = ?`, hashSecret(key)).Scan(&a.IntakeChannelID, &a.Name)
	if err != nil {
		if isNoRows(err) {
			return nil, zhagen.Errorf(zhagen.EUNAUTHORIZED, "api_key 无效")
		}
		return nil, err
	}
	a.Login = "open311"
	return a, nil
}
