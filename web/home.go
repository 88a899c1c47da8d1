package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// homeData is the data of 我的工作台.
type homeData struct {
	Greeting string
	Today    string
	DeptName string
	ShowDept bool // government roles always show their department
	Cards    []homeCard
	Links    []navItem
	Items    []itemRow // the caller's pending action items
	Orders   []svTodo  // supervision orders to answer or to close, first
	// FollowUps are the follow-ups due by the end of today (of
	// FollowUpsDue in all, FollowUpsOpen open), for those who make them.
	FollowUps                   []followUpRow
	FollowUpsDue, FollowUpsOpen int
	// Portal is an enterprise user's own part: its cadres, open demands,
	// the policies it qualifies for and its applications.
	Portal *zhagen.EnterprisePortal
	Field  *fieldData // a cadre's visits, first on the page
}

// fieldData is what a cadre in the field needs first: the visits due
// (overdue or due soon, most pressing first), recording one, and their
// linked enterprises.
type fieldData struct {
	Due      []*zhagen.Linkage
	DueCount int
	Linked   []*zhagen.Linkage
}

// homeField fills the cadre's field block from their active linkages.
func (h *Handler) homeField(r *http.Request, a *zhagen.Actor, d *homeData) {
	if h.cfg.Linkages == nil || !a.Has(zhagen.RoleCadre) || !zhagen.CanAny(a, zhagen.PermVisitLog) {
		return
	}
	yes := true
	rows, _, err := h.cfg.Linkages.FindLinkages(ctx(r), zhagen.LinkageFilter{CadreID: a.UserID, Active: &yes, Limit: 200})
	if err != nil {
		return
	}
	f := &fieldData{Linked: rows}
	for _, l := range rows {
		if l.Overdue || l.DueSoon {
			f.Due = append(f.Due, l)
		}
	}
	slices.SortStableFunc(f.Due, func(x, y *zhagen.Linkage) int {
		if x.Overdue != y.Overdue {
			if x.Overdue {
				return -1
			}
			return 1
		}
		return strings.Compare(x.NextDue, y.NextDue)
	})
	f.DueCount = len(f.Due)
	if len(f.Due) > 5 {
		f.Due = f.Due[:5]
	}
	d.Field = f
}

// svTodo is a supervision order that needs the caller now: a reply from
// the addressee department, or closing from the issuer.
type svTodo struct {
	*zhagen.SupervisionOrder
	Reply   bool // to answer (else to close)
	Overdue bool
}

// homeOrders lists the orders the caller answers (open, addressed to
// their department) or closes (replied, issued by them or the command
// centre's), most pressing first.
func (h *Handler) homeOrders(r *http.Request, a *zhagen.Actor, d *homeData) error {
	if h.cfg.Supervision == nil || !zhagen.CanAny(a, zhagen.PermSupervisionView) {
		return nil
	}
	os, err := h.cfg.Supervision.FindSupervisions(ctx(r), zhagen.SupervisionFilter{Open: true, Limit: 200})
	if err != nil {
		return err
	}
	now := h.clock.Now()
	for _, o := range os {
		switch {
		case o.Status == zhagen.SupervisionOpen && zhagen.Can(a, zhagen.PermSupervisionReply, o.Facts()):
			d.Orders = append(d.Orders, svTodo{o, true, o.Overdue(now)})
		case o.Status == zhagen.SupervisionReplied && zhagen.Can(a, zhagen.PermSupervisionClose, o.Facts()):
			d.Orders = append(d.Orders, svTodo{o, false, false})
		}
		if len(d.Orders) == 10 {
			break
		}
	}
	return nil
}

// homeCard is a figure with a link on the workbench.
type homeCard struct {
	Label string
	Value string
	Href  string
	Tone  string // CSS modifier: blue, red, green, grey, purple
	Text  bool   // Value is a name, not a number
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	now := h.clock.Now().In(zhagen.Shanghai)
	d := homeData{Greeting: h.tr(r, greetingKey(now.Hour())), Today: now.Format("2006-01-02"), ShowDept: zhagen.CanAny(a, zhagen.PermDepartmentTree)}
	if a.DeptID != 0 {
		if dept, err := h.cfg.Departments.FindDepartmentByID(ctx(r), a.DeptID); err == nil {
			d.DeptName = dept.Name
		} else if code := zhagen.ErrorCode(err); code != zhagen.ENOTFOUND && code != zhagen.EFORBIDDEN {
			h.serverError(w, r, err)
			return
		}
	}

	h.homeField(r, a, &d)
	if h.cfg.Policies != nil && a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		p, err := h.cfg.Policies.Portal(ctx(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Portal = p
	}
	if err := h.homeOrders(r, a, &d); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.homeFollowUps(r, a, &d); err != nil {
		h.fail(w, r, err)
		return
	}
	if zhagen.CanAny(a, zhagen.PermDemandView) {
		cards, err := h.demandCards(r, a)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Cards = append(d.Cards, cards...)
	}
	d.Cards = append(d.Cards, h.linkageCards(r, a)...)
	d.Cards = append(d.Cards, h.rateCards(r, a)...)

	if err := h.homeItems(r, a, &d); err != nil {
		h.fail(w, r, err)
		return
	}

	count := func(f zhagen.EnterpriseFilter) (int, error) {
		f.Limit = 1
		_, n, err := h.cfg.Enterprises.FindEnterprises(ctx(r), f)
		return n, err
	}
	switch all, via := zhagen.ScopeOf(a, zhagen.PermEnterpriseView); {
	case all:
		total, err := count(zhagen.EnterpriseFilter{})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		yes := true
		key, err := count(zhagen.EnterpriseFilter{IsKey: &yes})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		operating, err := count(zhagen.EnterpriseFilter{Status: zhagen.EntOperating})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Cards = append(d.Cards,
			homeCard{Label: h.tr(r, "home.card.enterprises"), Value: strconv.Itoa(total), Href: "/enterprises", Tone: "blue"},
			homeCard{Label: h.tr(r, "home.card.key"), Value: strconv.Itoa(key), Href: "/enterprises?is_key=1", Tone: "red"},
			homeCard{Label: h.tr(r, "home.card.operating"), Value: strconv.Itoa(operating), Href: "/enterprises?status=operating", Tone: "green"},
		)
	case via&zhagen.RelOwnEnterprise != 0:
		e, err := h.cfg.Enterprises.FindEnterpriseByID(ctx(r), a.EnterpriseID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Cards = append(d.Cards, homeCard{Label: h.tr(r, "home.card.my_enterprise"), Value: e.Name,
			Href: "/enterprises/" + strconv.FormatInt(e.ID, 10), Tone: "blue", Text: true})
	}
	if zhagen.CanAny(a, zhagen.PermUserCreate) { // the administrators' figures
		_, users, err := h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Limit: 1})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		depts, err := h.cfg.Departments.FindDepartments(ctx(r))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Cards = append(d.Cards,
			homeCard{Label: h.tr(r, "home.card.users"), Value: strconv.Itoa(users), Href: "/users", Tone: "grey"},
			homeCard{Label: h.tr(r, "home.card.departments"), Value: strconv.Itoa(len(depts)), Href: "/departments", Tone: "grey"},
		)
	}
	for _, g := range h.menu(langOf(r), a, "") {
		for _, it := range g.Items {
			if it.Key != "home" {
				d.Links = append(d.Links, it)
			}
		}
	}
	if zhagen.CanAny(a, zhagen.PermEnterpriseCreate) {
		d.Links = append([]navItem{{Label: h.tr(r, "ent.new"), Href: "/enterprises/new", Icon: "plus"}}, d.Links...)
	}
	h.render(w, r, http.StatusOK, "home", &page{Title: h.tr(r, "nav.home"), Nav: "home", Data: d})
}

func greetingKey(hour int) string {
	switch {
	case hour >= 5 && hour < 11:
		return "home.greet.morning"
	case hour >= 11 && hour < 13:
		return "home.greet.noon"
	case hour >= 13 && hour < 18:
		return "home.greet.afternoon"
	}
	return "home.greet.evening"
}
