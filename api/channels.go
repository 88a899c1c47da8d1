package api

import (
	"net/http"

	"zhagen"
)

// channelRoutes registers the administrators' outside channels (with a
// test message each) and the deliveries over them: their status, their
// tries and the dead letters, which can be retried; and each user's own
// choice of personal channels.
func (h *Handler) channelRoutes() {
	if h.cfg.Channels == nil {
		return
	}
	h.handle("GET", "/api/v1/channels", h.listChannels)
	h.handle("POST", "/api/v1/channels", h.createChannel)
	h.handle("GET", "/api/v1/channels/{id}", h.getChannel)
	h.handle("PUT", "/api/v1/channels/{id}", h.putChannel)
	h.handle("POST", "/api/v1/channels/{id}/test", h.testChannel)
	h.handle("GET", "/api/v1/deliveries", h.listDeliveries)
	h.handle("GET", "/api/v1/deliveries/{id}", h.getDelivery)
	h.handle("POST", "/api/v1/deliveries/{id}/retry", h.retryDelivery)
	h.handle("GET", "/api/v1/me/notice-preferences", h.listPushPrefs)
	h.handle("PUT", "/api/v1/me/notice-preferences/{id}", h.putPushPref)
}

func (h *Handler) listChannels(w http.ResponseWriter, r *http.Request) error {
	items, err := h.cfg.Channels.FindChannels(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.PushChannel]{Items: items, Total: len(items)})
}

// channelInput is the body of a channel's create or update.
type channelInput struct {
	Name        string               `json:"name"`
	Kind        zhagen.ChannelKind   `json:"kind"`
	Enabled     *bool                `json:"enabled"`
	URL         string               `json:"url"`
	Body        string               `json:"body"`
	SMTPHost    string               `json:"smtp_host"`
	SMTPPort    int                  `json:"smtp_port"`
	SMTPUser    string               `json:"smtp_user"`
	SMTPTLS     string               `json:"smtp_tls"`
	From        string               `json:"from"`
	Secret      string               `json:"secret"`
	Groups      []zhagen.NoticeGroup `json:"groups"`
	MinSeverity zhagen.Severity      `json:"min_severity"`
	Version     int64                `json:"version"`
}

func (in channelInput) channel() *zhagen.PushChannel {
	c := &zhagen.PushChannel{Name: in.Name, Kind: in.Kind, Enabled: in.Enabled == nil || *in.Enabled, URL: in.URL, Body: in.Body,
		SMTPHost: in.SMTPHost, SMTPPort: in.SMTPPort, SMTPUser: in.SMTPUser, SMTPTLS: in.SMTPTLS, From: in.From, Secret: in.Secret,
		Groups: in.Groups, MinSeverity: in.MinSeverity, Version: in.Version}
	return c
}

func (h *Handler) createChannel(w http.ResponseWriter, r *http.Request) error {
	var in channelInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := in.channel()
	if err := h.cfg.Channels.CreateChannel(r.Context(), c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) getChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.cfg.Channels.FindChannelByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) putChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in channelInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := in.channel()
	c.ID = id
	if err := h.cfg.Channels.UpdateChannel(r.Context(), c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) testChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if h.cfg.ChannelTester == nil {
		return zhagen.Errorf(zhagen.EINTERNAL, "未配置测试消息的发送")
	}
	if err := h.cfg.ChannelTester.TestChannel(r.Context(), id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"sent": true})
}

func (h *Handler) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	var f zhagen.DeliveryFilter
	switch s := zhagen.DeliveryStatus(r.URL.Query().Get("status")); s {
	case "", zhagen.DeliveryPending, zhagen.DeliverySent, zhagen.DeliveryDead:
		f.Status = s
	default:
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "status", Message: "status 须为 pending、sent 或 dead"}
	}
	var err error
	if f.ChannelID, err = queryID(r, "channel_id"); err != nil {
		return err
	}
	if f.Limit, _, err = page(r); err != nil {
		return err
	}
	items, err := h.cfg.Channels.FindDeliveries(r.Context(), f)
	if err != nil {
		return err
	}
	counts, err := h.cfg.Channels.DeliveryCounts(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Items  []*zhagen.ChannelDelivery     `json:"items"`
		Counts map[zhagen.DeliveryStatus]int `json:"counts"`
	}{items, counts})
}

func (h *Handler) getDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.cfg.Channels.FindDeliveryByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (h *Handler) retryDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.cfg.Channels.RetryDelivery(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (h *Handler) listPushPrefs(w http.ResponseWriter, r *http.Request) error {
	items, err := h.cfg.Channels.FindPushPrefs(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.PushPref]{Items: items, Total: len(items)})
}

// putPushPref sets the caller's choice of channel {id}.
func (h *Handler) putPushPref(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Enabled bool                 `json:"enabled"`
		Address string               `json:"address"`
		Groups  []zhagen.NoticeGroup `json:"groups"`
		Digest  bool                 `json:"digest"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	p := &zhagen.PushPref{ChannelID: id, Enabled: in.Enabled, Address: in.Address, Groups: in.Groups, Digest: in.Digest}
	if err := h.cfg.Channels.SavePushPref(r.Context(), p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
