package web

import (
	"net/http"
	"strconv"

	"zhagen"
)

type notifListData struct {
	Rows   []*zhagen.Notification
	Unread int
}

// notificationList is GET /notifications: the caller's newest messages.
func (h *Handler) notificationList(w http.ResponseWriter, r *http.Request) {
	rows, unread, err := h.cfg.Notifications.FindNotifications(ctx(r), false, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "notification_list", &page{Title: h.tr(r, "nav.notifications"), Nav: "notifications",
		Data: notifListData{Rows: rows, Unread: unread}})
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
	_, n, err := h.cfg.Notifications.FindNotifications(ctx(r), true, 1)
	if err != nil {
		h.log.Warn("web: unread notifications", "err", err)
		return 0
	}
	return n
}
