package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// channelRoutes registers the administrators' pages of the outside
// channels (with a test message each) and of the deliveries over them
// (with the dead letters to retry), and each user's page of their own
// personal channels; served when Config.Channels is set.
func (h *Handler) channelRoutes(auth func(pattern string, fn func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Channels == nil {
		return
	}
	auth("GET /channels", h.channelList)
	auth("GET /channels/new", h.channelNew)
	auth("POST /channels", h.channelCreate)
	auth("GET /channels/{id}/edit", h.channelEdit)
	auth("POST /channels/{id}", h.channelUpdate)
	auth("POST /channels/{id}/test", h.channelTest)
	auth("GET /deliveries", h.deliveryList)
	auth("POST /deliveries/{id}/retry", h.deliveryRetry)
	auth("GET /account/notices", h.noticePrefs)
	auth("POST /account/notices/{id}", h.noticePrefSave)
}

type channelListData struct {
	Rows    []*zhagen.PushChannel
	Kinds   []zhagen.ChannelKind
	CanEdit bool
	CanTest bool
	Error   string // a failed test message
}

// channelList is GET /channels.
func (h *Handler) channelList(w http.ResponseWriter, r *http.Request) {
	h.renderChannelList(w, r, http.StatusOK, "")
}

func (h *Handler) renderChannelList(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermChannelView) {
		h.forbidden(w, r, zhagen.PermChannelView)
		return
	}
	rows, err := h.cfg.Channels.FindChannels(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := channelListData{Rows: rows, Kinds: zhagen.ChannelKinds, CanEdit: zhagen.CanAny(a, zhagen.PermChannelEdit),
		CanTest: zhagen.CanAny(a, zhagen.PermChannelTest) && h.cfg.ChannelTester != nil, Error: errMsg}
	h.render(w, r, status, "channel_list", &page{Title: h.tr(r, "nav.channels"), Nav: "channels", Data: d})
}

type channelFormData struct {
	C          *zhagen.PushChannel
	IsNew      bool
	Action     string
	Groups     []zhagen.NoticeGroup
	Severities []zhagen.Severity
	TLSModes   []string
	Errors     map[string]string
	Error      string
}

// Has reports whether the channel forwards group g.
func (d *channelFormData) Has(g zhagen.NoticeGroup) bool { return slices.Contains(d.C.Groups, g) }

func (h *Handler) renderChannelForm(w http.ResponseWriter, r *http.Request, status int, fd *channelFormData) {
	fd.Groups, fd.Severities = zhagen.NoticeGroups, []zhagen.Severity{zhagen.SeverityInfo, zhagen.SeverityWarning, zhagen.SeverityUrgent}
	fd.TLSModes = []string{"starttls", "tls", "none"}
	if fd.Errors == nil {
		fd.Errors = map[string]string{}
	}
	title := h.tr(r, "chn.edit")
	if fd.IsNew {
		title = h.tr(r, "chn.new")
	}
	h.render(w, r, status, "channel_form", &page{Title: title, Nav: "channels", Data: fd})
}

// channelFromForm reads the channel form.
func channelFromForm(r *http.Request) *zhagen.PushChannel {
	f := r.PostForm
	c := &zhagen.PushChannel{Name: f.Get("name"), Kind: zhagen.ChannelKind(f.Get("kind")), Enabled: f.Get("enabled") == "1",
		URL: strings.TrimSpace(f.Get("url")), Body: strings.TrimSpace(f.Get("body")), SMTPHost: strings.TrimSpace(f.Get("smtp_host")),
		SMTPUser: strings.TrimSpace(f.Get("smtp_user")), SMTPTLS: f.Get("smtp_tls"), From: strings.TrimSpace(f.Get("from")),
		Secret: f.Get("secret"), MinSeverity: zhagen.Severity(f.Get("min_severity")), Groups: zhagen.ParseNoticeGroups(strings.Join(f["groups"], ","))}
	c.SMTPPort, _ = strconv.Atoi(strings.TrimSpace(f.Get("smtp_port")))
	c.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	return c
}

// channelFormError shows the form again for an invalid field; false for
// any other error.
func (h *Handler) channelFormError(w http.ResponseWriter, r *http.Request, err error, fd *channelFormData) bool {
	fd.C.Secret = ""
	if zhagen.ErrorCode(err) == zhagen.EINVALID {
		fd.Errors = map[string]string{}
		for f, msg := range zhagen.FieldErrors(err) {
			fd.Errors[f] = msg
		}
		if len(fd.Errors) == 0 {
			fd.Error = zhagen.ErrorMessage(err)
		}
		h.renderChannelForm(w, r, http.StatusUnprocessableEntity, fd)
		return true
	}
	if staleUpdate(err) || zhagen.ErrorCode(err) == zhagen.ECONFLICT {
		fd.Error = zhagen.ErrorMessage(err)
		h.renderChannelForm(w, r, http.StatusConflict, fd)
		return true
	}
	return false
}

// channelNew is GET /channels/new?kind=…: the form of a new channel.
func (h *Handler) channelNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermChannelEdit) {
		h.forbidden(w, r, zhagen.PermChannelEdit)
		return
	}
	kind := zhagen.ChannelKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = zhagen.ChannelWebhook
	}
	c := &zhagen.PushChannel{Kind: kind, Enabled: true, MinSeverity: zhagen.SeverityInfo, SMTPPort: 587, SMTPTLS: "starttls"}
	h.renderChannelForm(w, r, http.StatusOK, &channelFormData{C: c, IsNew: true, Action: "/channels"})
}

// channelCreate is POST /channels.
func (h *Handler) channelCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermChannelEdit) {
		h.forbidden(w, r, zhagen.PermChannelEdit)
		return
	}
	c := channelFromForm(r)
	fd := &channelFormData{C: c, IsNew: true, Action: "/channels"}
	if err := h.cfg.Channels.CreateChannel(ctx(r), c); err != nil {
		if !h.channelFormError(w, r, err, fd) {
			h.fail(w, r, err)
		}
		return
	}
	h.redirectFlash(w, r, "/channels", "chn.flash.created")
}

// channelEdit is GET /channels/{id}/edit.
func (h *Handler) channelEdit(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermChannelEdit) {
		h.forbidden(w, r, zhagen.PermChannelEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	c, err := h.cfg.Channels.FindChannelByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if c.Kind != zhagen.ChannelSMS {
		c.URL = "" // masked: an empty address keeps the stored one
	}
	h.renderChannelForm(w, r, http.StatusOK, &channelFormData{C: c, Action: fmt.Sprintf("/channels/%d", id)})
}

// channelUpdate is POST /channels/{id}. An empty address (shown masked)
// or secret keeps the stored one.
func (h *Handler) channelUpdate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermChannelEdit) {
		h.forbidden(w, r, zhagen.PermChannelEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	c := channelFromForm(r)
	c.ID = id
	fd := &channelFormData{C: c, Action: fmt.Sprintf("/channels/%d", id)}
	if err := h.cfg.Channels.UpdateChannel(ctx(r), c); err != nil {
		if c.Kind != zhagen.ChannelSMS {
			c.URL = ""
		}
		if !h.channelFormError(w, r, err, fd) {
			h.fail(w, r, err)
		}
		return
	}
	h.redirectFlash(w, r, "/channels", "chn.flash.updated")
}

// channelTest is POST /channels/{id}/test: a test message at once; a
// failure shows the list again with what went wrong.
func (h *Handler) channelTest(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermChannelTest) {
		h.forbidden(w, r, zhagen.PermChannelTest)
		return
	}
	id, ok := pathID(r)
	if !ok || h.cfg.ChannelTester == nil {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.ChannelTester.TestChannel(ctx(r), id); err != nil {
		if zhagen.ErrorCode(err) != zhagen.EINVALID {
			h.fail(w, r, err)
			return
		}
		h.renderChannelList(w, r, http.StatusUnprocessableEntity, zhagen.ErrorMessage(err))
		return
	}
	h.redirectFlash(w, r, "/channels", "chn.flash.tested")
}

type deliveryListData struct {
	Rows     []*zhagen.ChannelDelivery
	Status   zhagen.DeliveryStatus
	Counts   map[zhagen.DeliveryStatus]int
	Statuses []zhagen.DeliveryStatus
	CanRetry bool
}

// deliveryList is GET /deliveries?status=…: the deliveries over outside
// channels, newest first; status=dead is the dead-letter list.
func (h *Handler) deliveryList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDeliveryView) {
		h.forbidden(w, r, zhagen.PermDeliveryView)
		return
	}
	st := zhagen.DeliveryStatus(r.URL.Query().Get("status"))
	statuses := []zhagen.DeliveryStatus{zhagen.DeliveryPending, zhagen.DeliverySent, zhagen.DeliveryDead}
	if st != "" && !slices.Contains(statuses, st) {
		st = ""
	}
	rows, err := h.cfg.Channels.FindDeliveries(ctx(r), zhagen.DeliveryFilter{Status: st, Limit: 200})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	counts, err := h.cfg.Channels.DeliveryCounts(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := deliveryListData{Rows: rows, Status: st, Counts: counts, Statuses: statuses, CanRetry: zhagen.CanAny(a, zhagen.PermDeliveryRetry)}
	h.render(w, r, http.StatusOK, "delivery_list", &page{Title: h.tr(r, "nav.deliveries"), Nav: "deliveries", Data: d})
}

// deliveryRetry is POST /deliveries/{id}/retry: a dead letter back in
// the queue.
func (h *Handler) deliveryRetry(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermDeliveryRetry) {
		h.forbidden(w, r, zhagen.PermDeliveryRetry)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if _, err := h.cfg.Channels.RetryDelivery(ctx(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/deliveries?status=dead", "chn.flash.retried")
}

type noticePrefsData struct {
	Prefs  []*zhagen.PushPref
	Groups []zhagen.NoticeGroup
	Errors map[int64]string // by channel
}

// noticePrefs is GET /account/notices: the caller's choice, per enabled
// personal channel, of an address, the groups of notices and a digest.
func (h *Handler) noticePrefs(w http.ResponseWriter, r *http.Request) {
	h.renderPushPrefs(w, r, http.StatusOK, nil)
}

func (h *Handler) renderPushPrefs(w http.ResponseWriter, r *http.Request, status int, errs map[int64]string) {
	prefs, err := h.cfg.Channels.FindPushPrefs(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "notice_prefs", &page{Title: h.tr(r, "nav.notice_prefs"), Nav: "notifications",
		Data: noticePrefsData{Prefs: prefs, Groups: zhagen.NoticeGroups, Errors: errs}})
}

// noticePrefSave is POST /account/notices/{id}: the caller's choice of
// channel {id}.
func (h *Handler) noticePrefSave(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	f := r.PostForm
	p := &zhagen.PushPref{ChannelID: id, Enabled: f.Get("enabled") == "1", Address: f.Get("address"), Digest: f.Get("digest") == "1",
		Groups: zhagen.ParseNoticeGroups(strings.Join(f["groups"], ","))}
	if err := h.cfg.Channels.SavePushPref(ctx(r), p); err != nil {
		if zhagen.ErrorCode(err) == zhagen.EINVALID {
			h.renderPushPrefs(w, r, http.StatusUnprocessableEntity, map[int64]string{id: zhagen.ErrorMessage(err)})
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/account/notices", "chn.flash.prefs_saved")
}
