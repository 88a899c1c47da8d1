package web

import (
	"net/http"

	"zhagen"
)

type flagListData struct {
	Open, Cleared []*zhagen.RedFlag
	Rules         []*zhagen.RedFlagRule
	Fields        any
	Ops           []zhagen.RuleOp
	CanClear      bool
	IsAdmin       bool
	RuleForm      zhagen.RedFlagRule
	Errors        map[string]string
	Error         string
	ClearID       int64
}

// ruleFieldIsBool reports whether the rule field compares with yes or no.
func ruleFieldIsBool(key string) bool {
	for _, f := range zhagen.RuleFields {
		if f.Key == key {
			return f.Bool
		}
	}
	return false
}

func (h *Handler) redFlagList(w http.ResponseWriter, r *http.Request) {
	h.renderFlags(w, r, http.StatusOK, &flagListData{})
}

func (h *Handler) renderFlags(w http.ResponseWriter, r *http.Request, status int, d *flagListData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermRedFlagView) {
		h.forbidden(w, r, zhagen.PermRedFlagView)
		return
	}
	all, err := h.cfg.Linkages.FindRedFlags(ctx(r), false, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range all {
		if f.ClearedAt == nil {
			d.Open = append(d.Open, f)
		} else if len(d.Cleared) < 50 {
			d.Cleared = append(d.Cleared, f)
		}
	}
	d.Rules, _ = h.cfg.Linkages.FindRedFlagRules(ctx(r))
	d.Fields, d.Ops = zhagen.RuleFields, zhagen.RuleOps
	d.CanClear, d.IsAdmin = zhagen.CanAny(a, zhagen.PermRedFlagClear), zhagen.CanAny(a, zhagen.PermRedFlagRuleEdit)
	h.render(w, r, status, "redflag_list", &page{Title: h.tr(r, "nav.lk_flags"), Nav: "lk_flags", Data: d})
}

func (h *Handler) redFlagClear(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	_, err := h.cfg.Linkages.ClearRedFlag(ctx(r), id, r.PostForm.Get("note"))
	if err == nil {
		h.redirectFlash(w, r, "/red-flags", "rf.flash.cleared")
		return
	}
	d := &flagListData{ClearID: id}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if msg := d.Errors["note"]; msg != "" {
		d.Error = msg
	}
	h.renderFlags(w, r, status, d)
}

func (h *Handler) ruleCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	rule := &zhagen.RedFlagRule{Field: r.PostForm.Get("field"), Op: zhagen.RuleOp(r.PostForm.Get("op")),
		Threshold: r.PostForm.Get("threshold"), Reason: r.PostForm.Get("reason")}
	err := h.cfg.Linkages.CreateRedFlagRule(ctx(r), rule)
	if err == nil {
		h.redirectFlash(w, r, "/red-flags#rules", "rf.flash.rule")
		return
	}
	d := &flagListData{RuleForm: *rule}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderFlags(w, r, status, d)
}

func (h *Handler) ruleToggle(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	if err := h.cfg.Linkages.SetRedFlagRuleActive(ctx(r), id, r.PostForm.Get("active") == "1"); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/red-flags#rules", "rf.flash.rule")
}
