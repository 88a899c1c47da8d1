package web

import (
	"net/http"
	"slices"
	"strconv"

	"zhagen"
)

type notifListData struct {
	Rows   []*zhagen.Notification
	Unread int
	// Groups count the messages of each group of the bell (诉求, 督办,
	// 回访, 走访, 项目, 会商, 人才); Group is the one shown ("" for all).
	Groups    []zhagen.NotificationGroupCount
	Group     zhagen.NoticeGroup
	Total     int
	AllUnread int
	Prefs     bool // the link to the user's choice of personal channels
}

// notificationList is GET /notifications?group=…: the caller's newest
// messages, of one group of the bell or of all, with the count of each
// group; each message links to the thing it is about.
func (h *Handler) notificationList(w http.ResponseWriter, r *http.Request) {
	g := zhagen.NoticeGroup(r.URL.Query().Get("group"))
	if g != "" && !slices.Contains(zhagen.NoticeGroups, g) {
		g = ""
	}
	rows, unread, err := h.cfg.Notifications.FindGroupNotifications(ctx(r), g, false, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	groups, err := h.cfg.Notifications.NotificationGroups(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := notifListData{Rows: rows, Unread: unread, Groups: groups, Group: g, Prefs: h.cfg.Channels != nil}
	for _, c := range groups {
		d.Total += c.Total
		d.AllUnread += c.Unread
	}
	h.render(w, r, http.StatusOK, "notification_list", &page{Title: h.tr(r, "nav.notifications"), Nav: "notifications", Data: d})
}

// notificationRead is POST /notifications/read: it marks one message
// (id) or all of them read.
func (h *Handler) notificationRead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err := h.cfg.Notifications.MarkNotificationsRead(ctx(r), max(id, 0)); err != nil {
		h.fail(w, r, err)
		return
	}
	if next := r.PostFormValue("next"); next != "" {
		http.Redirect(w, r, localPath(next), http.StatusSeeOther)
		return
	}
	h.redirectFlash(w, r, "/notifications", "ntf.flash.read")
}

// unreadCount is the number on the bell; an error only hides it.
func (h *Handler) unreadCount(r *http.Request) int {
	n, err := h.cfg.Notifications.CountUnread(ctx(r), 100) // the bell shows 99+
	if err != nil {
		h.log.Warn("web: unread notifications", "err", err)
		return 0
	}
	return n
}
