package sqldb

import (
	"context"
	"encoding/json"
	"slices"

	"zhagen"
)

// ChannelService keeps the outside channels notices are delivered over,
// the list of their deliveries and the users' choices of personal
// channels. Secrets are stored to sign and log in with, and never leave
// but through ChannelToTest and ClaimDeliveries (for the courier).
type ChannelService struct{ db *DB }

// NewChannelService returns the channel service of db.
func NewChannelService(db *DB) *ChannelService { return &ChannelService{db: db} }

var _ zhagen.ChannelService = (*ChannelService)(nil)

// channelConfig is the JSON of channels.config.
type channelConfig struct {
	URL      string `json:"url,omitempty"`
	Body     string `json:"body,omitempty"`
	SMTPHost string `json:"smtp_host,omitempty"`
	SMTPPort int    `json:"smtp_port,omitempty"`
	SMTPUser string `json:"smtp_user,omitempty"`
	SMTPTLS  string `json:"smtp_tls,omitempty"`
	From     string `json:"from,omitempty"`
}

func configOf(c *zhagen.PushChannel) string {
	b, _ := json.Marshal(channelConfig{URL: c.URL, Body: c.Body, SMTPHost: c.SMTPHost, SMTPPort: c.SMTPPort, SMTPUser: c.SMTPUser, SMTPTLS: c.SMTPTLS, From: c.From})
	return string(b)
}

const channelColumns = `id, name, kind, enabled, config, secret, notice_groups, min_severity, version, created_at, updated_at`

func scanChannel(sc interface{ Scan(...any) error }) (*zhagen.PushChannel, error) {
	c := &zhagen.PushChannel{}
	var kind, config, groups, sev string
	if err := sc.Scan(&c.ID, &c.Name, &kind, &c.Enabled, &config, &c.Secret, &groups, &sev, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.Kind, c.MinSeverity, c.Groups = zhagen.ChannelKind(kind), zhagen.Severity(sev), zhagen.ParseNoticeGroups(groups)
	var cfg channelConfig
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		return nil, err
	}
	c.URL, c.Body, c.SMTPHost, c.SMTPPort, c.SMTPUser, c.SMTPTLS, c.From = cfg.URL, cfg.Body, cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPUser, cfg.SMTPTLS, cfg.From
	return c, nil
}

// channels returns the channels (with their secrets) that where selects.
func (db *DB) channels(ctx context.Context, where string, args ...any) ([]*zhagen.PushChannel, error) {
	rows, err := db.query(ctx, `SELECT `+channelColumns+` FROM channels`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.PushChannel{}
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindChannels lists the channels, secrets masked (administrators).
func (s *ChannelService) FindChannels(ctx context.Context) ([]*zhagen.PushChannel, error) {
	if _, err := permitted(ctx, zhagen.PermChannelView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	cs, err := s.db.channels(ctx, "")
	for i, c := range cs {
		cs[i] = c.Masked()
	}
	return cs, err
}

func (s *ChannelService) channel(ctx context.Context, id int64) (*zhagen.PushChannel, error) {
	cs, err := s.db.channels(ctx, " WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "推送渠道不存在")
	}
	return cs[0], nil
}

// FindChannelByID returns a channel, its secret masked (administrators).
func (s *ChannelService) FindChannelByID(ctx context.Context, id int64) (*zhagen.PushChannel, error) {
	if _, err := permitted(ctx, zhagen.PermChannelView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	c, err := s.channel(ctx, id)
	if err != nil {
		return nil, err
	}
	return c.Masked(), nil
}

// ChannelToTest returns a channel with its secret for a test message and
// records the test in the operation log.
func (s *ChannelService) ChannelToTest(ctx context.Context, id int64) (*zhagen.PushChannel, error) {
	if _, err := permitted(ctx, zhagen.PermChannelTest, zhagen.Facts{}); err != nil {
		return nil, err
	}
	c, err := s.channel(ctx, id)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.writeOpLog(ctx, "测试", "推送渠道", id, c.Name); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// CreateChannel adds a channel (administrators).
func (s *ChannelService) CreateChannel(ctx context.Context, c *zhagen.PushChannel) error {
	if _, err := permitted(ctx, zhagen.PermChannelEdit, zhagen.Facts{}); err != nil {
		return err
	}
	c.ID = 0
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
	c.ID, err = tx.insert(ctx, `INSERT INTO channels (name, kind, enabled, config, secret, notice_groups, min_severity, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, c.Name, string(c.Kind), c.Enabled, configOf(c), c.Secret, zhagen.JoinNoticeGroups(c.Groups), string(c.MinSeverity), tx.now, tx.now)
	if err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "推送渠道", c.ID, c.Name+"（"+c.Kind.Label()+"）"); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	*c = *c.Masked()
	return nil
}

// UpdateChannel changes a channel at c.Version (administrators); an empty
// secret or address keeps the stored one. Its kind does not change.
func (s *ChannelService) UpdateChannel(ctx context.Context, c *zhagen.PushChannel) error {
	if _, err := permitted(ctx, zhagen.PermChannelEdit, zhagen.Facts{}); err != nil {
		return err
	}
	old, err := s.channel(ctx, c.ID)
	if err != nil {
		return err
	}
	c.Kind = old.Kind
	secret := c.Secret
	if secret == "" {
		c.Secret = old.Secret
	}
	if c.URL == "" {
		c.URL = old.URL // shown masked, so sent back empty
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE channels SET name = ?, enabled = ?, config = ?, secret = ?, notice_groups = ?, min_severity = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, c.Name, c.Enabled, configOf(c), c.Secret, zhagen.JoinNoticeGroups(c.Groups), string(c.MinSeverity), tx.now, c.ID, c.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "推送渠道已被他人修改，请刷新后重试")
	}
	summary := c.Name
	if secret != "" {
		summary += "（更换密钥）"
	}
	if err := tx.writeOpLog(ctx, "修改", "推送渠道", c.ID, summary); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	c.Version++
	c.CreatedAt, c.UpdatedAt = old.CreatedAt, tx.now
	*c = *c.Masked()
	return nil
}

// NoticeRouting returns the enabled channels and, when one is personal,
// the choices users made among them; nil when no channel is enabled. It
// costs a drain one small query while no channel is configured.
func (o *Outbox) NoticeRouting(ctx context.Context, users []int64) (*zhagen.ChannelRouting, error) {
	cs, err := o.db.channels(ctx, " WHERE enabled = TRUE")
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	rt := &zhagen.ChannelRouting{Channels: cs, Prefs: map[int64][]*zhagen.PushPref{}}
	if !rt.HasPersonal() {
		return rt, nil
	}
	slices.Sort(users)
	users = slices.Compact(users)
	for len(users) > 0 {
		chunk := users[:min(len(users), 500)]
		users = users[len(chunk):]
		args := make([]any, len(chunk))
		for i, u := range chunk {
			args[i] = u
		}
		ph := placeholders(len(chunk))
		rows, err := o.db.sql.QueryContext(ctx, o.db.dialect.rebind(`SELECT user_id, channel_id, address, notice_groups, digest FROM notice_prefs WHERE user_id IN (`+ph+`)`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			p := &zhagen.PushPref{Enabled: true}
			var groups string
			if err := rows.Scan(&p.UserID, &p.ChannelID, &p.Address, &groups, &p.Digest); err != nil {
				rows.Close()
				return nil, err
			}
			p.Groups = zhagen.ParseNoticeGroups(groups)
			rt.Prefs[p.UserID] = append(rt.Prefs[p.UserID], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return rt, nil
}

// FindPushPrefs returns the caller's choices, one per enabled personal
// channel.
func (s *ChannelService) FindPushPrefs(ctx context.Context) ([]*zhagen.PushPref, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermPushPrefs, zhagen.Facts{UserID: a.UserID}); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT c.id, c.name, c.kind, p.address, p.notice_groups, p.digest, p.user_id IS NOT NULL
		FROM channels c LEFT JOIN notice_prefs p ON p.channel_id = c.id AND p.user_id = ?
		WHERE c.enabled = TRUE AND c.kind IN ('email', 'sms') ORDER BY c.id`, a.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.PushPref{}
	for rows.Next() {
		p := &zhagen.PushPref{UserID: a.UserID}
		var kind string
		var addr, groups *string
		var digest *bool
		if err := rows.Scan(&p.ChannelID, &p.ChannelName, &kind, &addr, &groups, &digest, &p.Enabled); err != nil {
			return nil, err
		}
		p.ChannelKind = zhagen.ChannelKind(kind)
		p.Groups = []zhagen.NoticeGroup{}
		if addr != nil {
			p.Address, p.Groups, p.Digest = *addr, zhagen.ParseNoticeGroups(*groups), *digest
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SavePushPref makes, changes or (Enabled false) removes the caller's
// choice of one enabled personal channel.
func (s *ChannelService) SavePushPref(ctx context.Context, p *zhagen.PushPref) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermPushPrefs, zhagen.Facts{UserID: a.UserID}); err != nil {
		return err
	}
	p.UserID = a.UserID
	var kind string
	if err := s.db.queryRow(ctx, `SELECT name, kind FROM channels WHERE id = ? AND enabled = TRUE AND kind IN ('email', 'sms')`, p.ChannelID).Scan(&p.ChannelName, &kind); err != nil {
		if isNoRows(err) {
			return &zhagen.Error{Code: zhagen.ENOTFOUND, Field: "channel_id", Message: "该接收渠道不存在或未启用"}
		}
		return err
	}
	p.ChannelKind = zhagen.ChannelKind(kind)
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if !p.Enabled {
		if _, err := tx.exec(ctx, `DELETE FROM notice_prefs WHERE user_id = ? AND channel_id = ?`, p.UserID, p.ChannelID); err != nil {
			return err
		}
	} else if _, err := tx.exec(ctx, `INSERT INTO notice_prefs (user_id, channel_id, address, notice_groups, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, channel_id) DO UPDATE SET address = excluded.address, notice_groups = excluded.notice_groups, digest = excluded.digest, updated_at = excluded.updated_at`,
		p.UserID, p.ChannelID, p.Address, zhagen.JoinNoticeGroups(p.Groups), p.Digest, tx.now); err != nil {
		return err
	}
	return tx.Commit()
}
