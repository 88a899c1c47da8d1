package web

import (
	"net/http"

	"zhagen"
)

// intakeRoutes registers the administrators' page of the Open311 intake
// channels, where a channel is made publicly readable or not; served
// when Config.Intake is set.
func (h *Handler) intakeRoutes(auth func(pattern string, fn func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Intake == nil {
		return
	}
	auth("GET /intake-channels", h.intakeList)
	auth("POST /intake-channels/{id}/public", h.intakePublic)
}

// intakeList is GET /intake-channels: the channels with whether each is
// publicly readable.
func (h *Handler) intakeList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermIntakeView) {
		h.forbidden(w, r, zhagen.PermIntakeView)
		return
	}
	rows, err := h.cfg.Intake.FindIntakeChannels(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := struct {
		Rows    []*zhagen.IntakeChannel
		CanEdit bool
	}{rows, zhagen.CanAny(a, zhagen.PermIntakeEdit)}
	h.render(w, r, http.StatusOK, "intake_list", &page{Title: h.tr(r, "nav.intake"), Nav: "intake", Data: d})
}

// intakePublic is POST /intake-channels/{id}/public: public=1 makes the
// channel publicly readable, anything else not.
func (h *Handler) intakePublic(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	public := r.PostFormValue("public") == "1"
	if _, err := h.cfg.Intake.SetIntakeChannelPublic(ctx(r), id, public); err != nil {
		h.fail(w, r, err)
		return
	}
	key := "ich.flash.private"
	if public {
		key = "ich.flash.public"
	}
	h.redirectFlash(w, r, "/intake-channels", key)
}
