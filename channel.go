package zhagen

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Notices that leave the building: outside channels an administrator
// configures, the deliveries fanned out to them from the outbox, and the
// users' choices of personal channels. The drainer asks Route which
// deliveries a notice makes (package notify); senders live in notify too.

// ChannelKind is the kind of an outside channel.
type ChannelKind string

// Channel kinds.
const (
	ChannelWeCom    ChannelKind = "wecom"    // WeCom (企业微信) group robot webhook
	ChannelDingTalk ChannelKind = "dingtalk" // DingTalk (钉钉) robot webhook, optionally signed
	ChannelWebhook  ChannelKind = "webhook"  // a generic JSON webhook signed with HMAC-SHA256
	ChannelEmail    ChannelKind = "email"    // e-mail over SMTP, to users who chose it
	ChannelSMS      ChannelKind = "sms"      // SMS through an HTTP gateway, to users who chose it
)

// ChannelKinds lists the kinds in the order pages show them.
var ChannelKinds = []ChannelKind{ChannelWeCom, ChannelDingTalk, ChannelWebhook, ChannelEmail, ChannelSMS}

// Personal reports whether the channel reaches users one by one (at the
// address each gave) rather than a group.
func (k ChannelKind) Personal() bool { return k == ChannelEmail || k == ChannelSMS }

// Valid reports whether k is a known kind.
func (k ChannelKind) Valid() bool { return slices.Contains(ChannelKinds, k) }

// Label is the kind's Chinese name.
func (k ChannelKind) Label() string {
	switch k {
	case ChannelWeCom:
		return "企业微信群机器人"
	case ChannelDingTalk:
		return "钉钉机器人"
	case ChannelWebhook:
		return "通用Webhook"
	case ChannelEmail:
		return "电子邮件"
	case ChannelSMS:
		return "短信"
	}
	return string(k)
}

// PushChannel is an outside channel notices are delivered over.
type PushChannel struct {
	ID      int64       `json:"id"`
	Name    string      `json:"name"`
	Kind    ChannelKind `json:"kind"`
	Enabled bool        `json:"enabled"`
	// URL is the robot's or webhook's address, or the SMS gateway's
	// address template ({phone} and {text} are replaced, URL-escaped).
	URL string `json:"url,omitempty"`
	// Body is the SMS gateway's request body template ({phone} and
	// {text}, JSON-escaped); empty: a GET of URL.
	Body string `json:"body,omitempty"`
	// SMTP server and sender of an e-mail channel.
	SMTPHost string `json:"smtp_host,omitempty"`
	SMTPPort int    `json:"smtp_port,omitempty"`
	SMTPUser string `json:"smtp_user,omitempty"`
	// SMTPTLS is "starttls" (required), "tls" (implicit) or "none".
	SMTPTLS string `json:"smtp_tls,omitempty"`
	From    string `json:"from,omitempty"`
	// Secret is the signing key (DingTalk, webhook), the SMTP password or
	// the gateway's token. It is written, never read back: reads carry
	// SecretSet and a mask instead. An update with an empty Secret keeps
	// the stored one.
	Secret     string `json:"secret,omitempty"`
	SecretSet  bool   `json:"secret_set"`
	SecretMask string `json:"secret_mask,omitempty"`
	// Groups are the notice groups a group channel forwards (empty: all);
	// MinSeverity the least pressing it forwards.
	Groups      []NoticeGroup `json:"groups"`
	MinSeverity Severity      `json:"min_severity"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// MaskSecret shows a secret as its length in stars and its last two
// characters when it is long enough to keep the rest hidden.
func MaskSecret(s string) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	if len(r) < 12 {
		return strings.Repeat("•", 8)
	}
	return strings.Repeat("•", 8) + string(r[len(r)-2:])
}

// MaskURL hides the query values and the user information of an
// address (a WeCom robot's key is in its query): what pages and logs show.
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return MaskSecret(s)
	}
	if u.User != nil {
		u.User = url.User("•••")
	}
	q := u.Query()
	for k := range q {
		q.Set(k, "•••")
	}
	u.RawQuery = q.Encode()
	out, _ := url.QueryUnescape(u.String())
	return out
}

// Masked returns a copy of c fit to show: no secret, the address's query
// values hidden.
func (c *PushChannel) Masked() *PushChannel {
	m := *c
	m.SecretSet = c.Secret != ""
	m.SecretMask = MaskSecret(c.Secret)
	m.Secret = ""
	if c.Kind != ChannelSMS {
		m.URL = MaskURL(c.URL)
	}
	m.Groups = slices.Clone(c.Groups)
	return &m
}

// Validate checks a channel's settings; the error names the field.
func (c *PushChannel) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len([]rune(c.Name)) > 60 {
		return &Error{Code: EINVALID, Field: "name", Message: "请填写渠道名称（不超过60个字）"}
	}
	if !c.Kind.Valid() {
		return &Error{Code: EINVALID, Field: "kind", Message: "请选择渠道类型"}
	}
	if c.MinSeverity == "" {
		c.MinSeverity = SeverityInfo
	}
	if severityRank(c.MinSeverity) < 0 {
		return &Error{Code: EINVALID, Field: "min_severity", Message: "最低紧急程度无效"}
	}
	for _, g := range c.Groups {
		if !slices.Contains(NoticeGroups, g) {
			return &Error{Code: EINVALID, Field: "groups", Message: "消息类别无效：" + string(g)}
		}
	}
	if len(c.URL) > 1000 || len(c.Body) > 2000 || len(c.Secret) > 500 {
		return &Error{Code: EINVALID, Field: "url", Message: "地址、模板或密钥过长"}
	}
	switch c.Kind {
	case ChannelWeCom, ChannelDingTalk, ChannelWebhook, ChannelSMS:
		u, err := url.Parse(strings.NewReplacer("{phone}", "1", "{text}", "x").Replace(c.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{Code: EINVALID, Field: "url", Message: "请填写以 http:// 或 https:// 开头的地址"}
		}
		if c.Kind == ChannelSMS && !strings.Contains(c.URL+c.Body, "{phone}") {
			return &Error{Code: EINVALID, Field: "url", Message: "短信网关的地址或请求体须含 {phone}"}
		}
	case ChannelEmail:
		if strings.TrimSpace(c.SMTPHost) == "" {
			return &Error{Code: EINVALID, Field: "smtp_host", Message: "请填写SMTP服务器"}
		}
		if c.SMTPPort == 0 {
			c.SMTPPort = 587
		}
		if c.SMTPPort < 1 || c.SMTPPort > 65535 {
			return &Error{Code: EINVALID, Field: "smtp_port", Message: "SMTP端口无效"}
		}
		if c.SMTPTLS == "" {
			c.SMTPTLS = "starttls"
		}
		if !slices.Contains([]string{"starttls", "tls", "none"}, c.SMTPTLS) {
			return &Error{Code: EINVALID, Field: "smtp_tls", Message: "SMTP加密方式无效"}
		}
		if !strings.Contains(c.From, "@") {
			return &Error{Code: EINVALID, Field: "from", Message: "请填写发件人地址"}
		}
	}
	if c.Kind == ChannelWebhook && c.Secret == "" && c.ID == 0 {
		return &Error{Code: EINVALID, Field: "secret", Message: "通用Webhook须设置签名密钥"}
	}
	return nil
}

// ChannelService is the administrators' configuration of outside
// channels and the list of their deliveries.
type ChannelService interface {
	FindChannels(ctx context.Context) ([]*PushChannel, error)
	FindChannelByID(ctx context.Context, id int64) (*PushChannel, error)
	CreateChannel(ctx context.Context, c *PushChannel) error
	// UpdateChannel changes a channel at c.Version; an empty c.Secret or
	// c.URL (both shown masked) keeps the stored one.
	UpdateChannel(ctx context.Context, c *PushChannel) error
	// ChannelToTest returns a channel with its secret, to send a test
	// message over (PermChannelTest), and records the test.
	ChannelToTest(ctx context.Context, id int64) (*PushChannel, error)

	FindDeliveries(ctx context.Context, f DeliveryFilter) ([]*ChannelDelivery, error)
	FindDeliveryByID(ctx context.Context, id int64) (*ChannelDelivery, error)
	// DeliveryCounts counts the deliveries by status.
	DeliveryCounts(ctx context.Context) (map[DeliveryStatus]int, error)
	// RetryDelivery puts a dead delivery back in the queue, due now, with
	// its tries counted afresh; ECONFLICT when it is not dead.
	RetryDelivery(ctx context.Context, id int64) (*ChannelDelivery, error)

	// FindPushPrefs returns the caller's choices, one per enabled
	// personal channel (Enabled false where none is made).
	FindPushPrefs(ctx context.Context) ([]*PushPref, error)
	// SavePushPref makes or changes (or, with Enabled false, removes)
	// the caller's choice of one channel.
	SavePushPref(ctx context.Context, p *PushPref) error
}

// ChannelTester sends a test message over a channel (notify.Courier).
type ChannelTester interface {
	TestChannel(ctx context.Context, id int64) error
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryDead    DeliveryStatus = "dead" // the dead-letter list
)

// ChannelDelivery is one notice on its way over an outside channel, to a
// user or to the channel's group (UserID 0).
type ChannelDelivery struct {
	ID          int64          `json:"id"`
	OutboxID    int64          `json:"outbox_id"`
	ChannelID   int64          `json:"channel_id"`
	ChannelName string         `json:"channel_name"`
	ChannelKind ChannelKind    `json:"channel_kind"`
	UserID      int64          `json:"user_id,omitempty"`
	UserName    string         `json:"user_name,omitempty"`
	Address     string         `json:"address,omitempty"`
	Kind        string         `json:"kind"`
	Severity    Severity       `json:"severity"`
	Title       string         `json:"title"`
	Body        string         `json:"body"`
	Link        string         `json:"link"`
	Digest      bool           `json:"digest"`
	Status      DeliveryStatus `json:"status"`
	Attempts    int            `json:"attempts"`
	NextAt      time.Time      `json:"next_at"`
	LastError   string         `json:"last_error,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	SentAt      *time.Time     `json:"sent_at,omitempty"`

	Claim   string       `json:"-"` // the claim token while a courier holds it
	Channel *PushChannel `json:"-"` // with its secret, while a courier holds it
}

// DeliveryFilter selects deliveries for the administrators' list.
type DeliveryFilter struct {
	Status    DeliveryStatus
	ChannelID int64
	Limit     int
}

// PushPref is a user's choice of a personal channel: where to be
// reached, for which groups of notices (empty: all), and whether in one
// message a day.
type PushPref struct {
	UserID      int64         `json:"user_id"`
	ChannelID   int64         `json:"channel_id"`
	ChannelName string        `json:"channel_name"`
	ChannelKind ChannelKind   `json:"channel_kind"`
	Enabled     bool          `json:"enabled"`
	Address     string        `json:"address"`
	Groups      []NoticeGroup `json:"groups"`
	Digest      bool          `json:"digest"`
}

// Validate checks a preference's address for its channel's kind.
func (p *PushPref) Validate() error {
	p.Address = strings.TrimSpace(p.Address)
	for _, g := range p.Groups {
		if !slices.Contains(NoticeGroups, g) {
			return &Error{Code: EINVALID, Field: "groups", Message: "消息类别无效：" + string(g)}
		}
	}
	if !p.Enabled {
		return nil
	}
	switch p.ChannelKind {
	case ChannelEmail:
		at := strings.LastIndexByte(p.Address, '@')
		if at < 1 || at == len(p.Address)-1 || len(p.Address) > 200 || strings.ContainsAny(p.Address, " <>,;\"") {
			return &Error{Code: EINVALID, Field: "address", Message: "请填写有效的电子邮箱"}
		}
	case ChannelSMS:
		if _, problem := ParsePhone(p.Address); problem != "" || p.Address == "" {
			return &Error{Code: EINVALID, Field: "address", Message: "请填写有效的手机号码"}
		}
	}
	return nil
}

// NoticeGroup is what the bell and the preferences group notices by: the
// thing a notice is about.
type NoticeGroup string

// Notice groups.
const (
	GroupDemand       NoticeGroup = "demand"       // 诉求
	GroupSupervision  NoticeGroup = "supervision"  // 督办: the escalation ladder and supervision orders
	GroupFollowUp     NoticeGroup = "followup"     // 回访
	GroupVisit        NoticeGroup = "visit"        // 走访
	GroupProject      NoticeGroup = "project"      // 项目: approvals
	GroupConsultation NoticeGroup = "consultation" // 会商
	GroupTalent       NoticeGroup = "talent"       // 人才
	GroupOther        NoticeGroup = "other"
)

// NoticeGroups lists the groups in the order the bell shows them.
var NoticeGroups = []NoticeGroup{GroupDemand, GroupSupervision, GroupFollowUp, GroupVisit, GroupProject, GroupConsultation, GroupTalent, GroupOther}

// noticeGroupPrefixes maps the first part of a notice kind to its group.
var noticeGroupPrefixes = map[string]NoticeGroup{
	"demand": GroupDemand, "ladder": GroupSupervision, "supervision": GroupSupervision, "escalation": GroupSupervision,
	"followup": GroupFollowUp, "follow_up": GroupFollowUp, "withdrawal": GroupFollowUp,
	"visit": GroupVisit, "approval": GroupProject, "project": GroupProject, "consultation": GroupConsultation,
	"match": GroupTalent, "position": GroupTalent, "talent": GroupTalent, "graduate": GroupTalent, "programme": GroupTalent,
}

// GroupOf returns the group of a notice kind ("ladder.red" → 督办), by
// the kind's first part; kinds of no known part are GroupOther.
func GroupOf(kind string) NoticeGroup {
	head, _, _ := strings.Cut(kind, ".")
	if g, ok := noticeGroupPrefixes[head]; ok {
		return g
	}
	return GroupOther
}

// GroupKinds returns the first parts of the kinds of group g; for
// GroupOther, those of every other group (which its kinds are not).
func GroupKinds(g NoticeGroup) []string {
	var out []string
	for head, hg := range noticeGroupPrefixes {
		if hg == g || g == GroupOther {
			out = append(out, head)
		}
	}
	slices.Sort(out)
	return out
}

// ParseNoticeGroups reads a comma-separated list of groups, keeping the
// known ones, in the order of NoticeGroups.
func ParseNoticeGroups(s string) []NoticeGroup {
	named := strings.Split(s, ",")
	for i := range named {
		named[i] = strings.TrimSpace(named[i])
	}
	out := []NoticeGroup{}
	for _, g := range NoticeGroups {
		if slices.Contains(named, string(g)) {
			out = append(out, g)
		}
	}
	return out
}

// JoinNoticeGroups writes groups as ParseNoticeGroups reads them.
func JoinNoticeGroups(gs []NoticeGroup) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = string(g)
	}
	return strings.Join(s, ",")
}

func severityRank(s Severity) int {
	switch s {
	case SeverityInfo:
		return 0
	case SeverityWarning:
		return 1
	case SeverityUrgent:
		return 2
	}
	return -1
}

// Quiet hours: outside deliveries that fall between 22:00 and 07:30
// Beijing time wait until 07:30, except urgent ones (a red escalation),
// which go at once. Daily digests go at DigestHour.
const (
	QuietFrom  = 22*time.Hour + 0*time.Minute
	QuietUntil = 7*time.Hour + 30*time.Minute
	DigestHour = 8
)

// ReleaseAt is when an outside delivery of a notice of severity sev
// written at t may be sent: t itself, or the end of the quiet hours it
// falls in.
func ReleaseAt(t time.Time, sev Severity) time.Time {
	if sev == SeverityUrgent {
		return t
	}
	local := t.In(Shanghai)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Shanghai)
	since := local.Sub(day)
	switch {
	case since >= QuietFrom:
		return day.AddDate(0, 0, 1).Add(QuietUntil)
	case since < QuietUntil:
		return day.Add(QuietUntil)
	}
	return t
}

// DigestAt is when the daily digest that gathers a notice written at t
// goes: the next DigestHour o'clock, Beijing time, after t.
func DigestAt(t time.Time) time.Time {
	local := t.In(Shanghai)
	at := time.Date(local.Year(), local.Month(), local.Day(), DigestHour, 0, 0, 0, Shanghai)
	if !at.After(local) {
		at = at.AddDate(0, 0, 1)
	}
	return at
}

// ChannelRouting is what routing a notice needs to know: the enabled
// channels and, for the personal ones, the choices of the users.
type ChannelRouting struct {
	Channels []*PushChannel
	Prefs    map[int64][]*PushPref // by user
}

// Empty reports whether no notice goes anywhere outside.
func (rt *ChannelRouting) Empty() bool { return rt == nil || len(rt.Channels) == 0 }

// HasPersonal reports whether an enabled channel is a personal one.
func (rt *ChannelRouting) HasPersonal() bool {
	if rt == nil {
		return false
	}
	for _, c := range rt.Channels {
		if c.Kind.Personal() {
			return true
		}
	}
	return false
}

// DeliveryRoute is one outside delivery a notice makes.
type DeliveryRoute struct {
	ChannelID int64
	UserID    int64 // 0 for a group channel
	Address   string
	Digest    bool
	NextAt    time.Time
}

// Route returns the outside deliveries of notice n written at created, to
// recipients to: one per enabled group channel that forwards its group
// and severity, and one per recipient and personal channel they chose for
// its group. Each waits out the quiet hours unless urgent; a digest one
// waits for the daily digest (urgent ones go at once even then).
func (rt *ChannelRouting) Route(n Notice, created time.Time, to []Recipient) []DeliveryRoute {
	if rt.Empty() {
		return nil
	}
	group := GroupOf(n.Kind)
	wants := func(gs []NoticeGroup) bool { return len(gs) == 0 || slices.Contains(gs, group) }
	release := ReleaseAt(created, n.Severity)
	var out []DeliveryRoute
	enabled := map[int64]bool{}
	for _, c := range rt.Channels {
		enabled[c.ID] = c.Enabled
		if c.Enabled && !c.Kind.Personal() && wants(c.Groups) && severityRank(n.Severity) >= severityRank(c.MinSeverity) {
			out = append(out, DeliveryRoute{ChannelID: c.ID, NextAt: release})
		}
	}
	for _, r := range to {
		for _, p := range rt.Prefs[r.UserID] {
			if !p.Enabled || !enabled[p.ChannelID] || p.Address == "" || !wants(p.Groups) {
				continue
			}
			d := DeliveryRoute{ChannelID: p.ChannelID, UserID: r.UserID, Address: p.Address, NextAt: release}
			if p.Digest && n.Severity != SeverityUrgent {
				d.Digest, d.NextAt = true, DigestAt(created)
			}
			out = append(out, d)
		}
	}
	return out
}
