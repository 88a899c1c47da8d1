package sqldb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhagen"
	"zhagen/assign"
)

// Costs of a candidate pair: the worse the fit, the higher.
const (
	costBase          = 100
	costExpertise     = -40 // the cadre's expertise names the industry
	costDept          = -15 // the cadre's department serves enterprises
	costSamePark      = -10 // the cadre already serves an enterprise of the park
	costPerLoad       = 10  // per enterprise the cadre already serves elsewhere
	costSeniorOnPlain = 15  // a 处级 cadre is kept for the key enterprises
	costSlot          = 25  // per enterprise the run already gave the cadre
)

// serviceDepts are words of department names whose cadres serve
// enterprises as their main work.
var serviceDepts = []string{"经济发展", "科技创新", "工业", "商务", "企业服务"}

type suggCadre struct {
	id        int64
	name      string
	rank      string
	dept      string
	expertise []string
	senior    bool
	load      int             // active linkages
	parks     map[string]bool // parks of the enterprises they serve
	linked    map[int64]bool
}

type suggEnt struct {
	id       int64
	name     string
	industry string
	park     string
	key      bool
	have     int  // cadres linked already
	senior   bool // one of them is 处级
}

// pairCost is the cost of linking c to e with the reasons behind it.
func pairCost(c *suggCadre, e *suggEnt) (int64, []string) {
	cost := int64(costBase)
	reasons := []string{}
	if slices.Contains(c.expertise, e.industry) {
		cost += costExpertise
		reasons = append(reasons, fmt.Sprintf("专长对口行业“%s”（%d）", e.industry, costExpertise))
	}
	for _, w := range serviceDepts {
		if strings.Contains(c.dept, w) {
			cost += costDept
			reasons = append(reasons, fmt.Sprintf("所在部门%s对口企业服务（%d）", c.dept, costDept))
			break
		}
	}
	if e.park != "" && c.parks[e.park] {
		cost += costSamePark
		reasons = append(reasons, fmt.Sprintf("已联系同园区“%s”企业（%d）", e.park, costSamePark))
	}
	if load := c.load; load > 0 {
		cost += int64(load * costPerLoad)
		reasons = append(reasons, fmt.Sprintf("已挂钩%d家企业（+%d）", load, load*costPerLoad))
	}
	if c.senior && !e.key {
		cost += costSeniorOnPlain
		reasons = append(reasons, fmt.Sprintf("处级干部优先留给重点企业（+%d）", costSeniorOnPlain))
	}
	if e.key && c.senior {
		reasons = append(reasons, "重点企业由处级干部联系")
	}
	return cost, reasons
}

// RunSuggestion builds the linkage model from the cadres and the
// enterprises in operation, solves it to optimality and stores the run
// with its pairs, or with the reason it is infeasible. Nothing else
// changes.
func (s *LinkageService) RunSuggestion(ctx context.Context, p zhagen.SuggestionParams) (*zhagen.Suggestion, error) {
	a, err := authorizeKind(ctx, zhagen.PermSuggestionRun)
	if err != nil {
		return nil, err
	}
	if p.Need == 0 {
		p.Need = 1
	}
	if p.Capacity == 0 {
		p.Capacity = 2
	}
	var v zhagen.Validation
	if p.Need < 1 || p.Need > 5 {
		v.Add("need", "每家企业挂钩干部数须为1–5")
	}
	if p.Capacity < 1 || p.Capacity > 20 {
		v.Add("capacity", "每名干部联系企业数须为1–20")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cadres, ents, err := s.suggestionInput(ctx)
	if err != nil {
		return nil, err
	}
	// With one cadre per enterprise, each cadre is split into Capacity
	// slots of capacity one, the k-th costing k×costSlot more: the flow
	// then spreads the enterprises over the cadres (a convex load cost)
	// and stays optimal. With more cadres per enterprise a cadre could
	// fill two slots of one enterprise, so the plain model is used.
	//
	// The run fills the gaps of the current linkages: a cadre takes at
	// most Capacity minus the enterprises they serve, an enterprise needs
	// Need minus the cadres it has (a key enterprise without a 处级
	// cadre at least one more, who must be 处级), and linked pairs are
	// no candidates. Accepting it therefore never puts a cadre over
	// capacity.
	type slot struct{ cadre, k int }
	var slots []slot
	model := &assign.Linkage{}
	for i, c := range cadres {
		room := max(p.Capacity-c.load, 0)
		if p.Need == 1 {
			for k := range room {
				slots = append(slots, slot{i, k})
				model.Cadres = append(model.Cadres, assign.Cadre{ID: c.name, Capacity: 1, Senior: c.senior})
			}
		} else {
			slots = append(slots, slot{i, 0})
			model.Cadres = append(model.Cadres, assign.Cadre{ID: c.name, Capacity: room, Senior: c.senior})
		}
	}
	var open []*suggEnt
	for _, e := range ents {
		need, key := max(p.Need-e.have, 0), e.key && !e.senior
		if key && need == 0 {
			need = 1
		}
		if need > 0 {
			open = append(open, e)
			model.Enterprises = append(model.Enterprises, assign.Enterprise{ID: e.name, Need: need, Key: key})
		}
	}
	ents = open
	reasons := map[[2]int][]string{}
	for si, sl := range slots {
		c := cadres[sl.cadre]
		for j, e := range ents {
			if c.linked[e.id] {
				continue
			}
			cost, why := pairCost(c, e)
			if sl.k > 0 {
				cost += int64(sl.k * costSlot)
				why = append(slices.Clip(why), fmt.Sprintf("本次为其分配的第%d家企业（+%d）", sl.k+1, sl.k*costSlot))
			}
			model.Candidates = append(model.Candidates, assign.Candidate{Cadre: si, Enterprise: j, Cost: cost})
			reasons[[2]int{si, j}] = why
		}
	}
	sg := &zhagen.Suggestion{Params: p, Cadres: len(cadres), Enterprises: len(ents), CreatedBy: a.Name}
	res, err := model.Solve()
	var le *assign.LinkageError
	switch {
	case err == nil:
		sg.Feasible, sg.Cost = true, res.Cost
	case errors.As(err, &le):
		sg.Message, sg.Constraint = le.Message, string(le.Constraint)
	default:
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sg.CreatedAt = tx.now
	if sg.ID, err = tx.insert(ctx, `INSERT INTO linkage_runs (need, capacity, feasible, message, constraint_name, cost, cadres, enterprises, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Need, p.Capacity, sg.Feasible, sg.Message, sg.Constraint, sg.Cost, sg.Cadres, sg.Enterprises, sg.CreatedBy, tx.now); err != nil {
		return nil, err
	}
	if res != nil {
		for _, pc := range res.Pairs {
			c, e := cadres[slots[pc.Cadre].cadre], ents[pc.Enterprise]
			why := reasons[[2]int{pc.Cadre, pc.Enterprise}]
			rj, _ := json.Marshal(why)
			id, err := tx.insert(ctx, `INSERT INTO linkage_run_pairs (run_id, cadre_id, enterprise_id, cost, reasons, accepted) VALUES (?, ?, ?, ?, ?, FALSE)`,
				sg.ID, c.id, e.id, pc.Cost, string(rj))
			if err != nil {
				return nil, err
			}
			sg.Pairs = append(sg.Pairs, &zhagen.SuggestionPair{ID: id, CadreID: c.id, CadreName: c.name, CadreRank: c.rank, DeptName: c.dept,
				EnterpriseID: e.id, EnterpriseName: e.name, EnterpriseKey: e.key, Industry: e.industry, Cost: pc.Cost, Reasons: why})
		}
	}
	summary := fmt.Sprintf("干部%d名，企业%d家，每企业%d名，每干部至多%d家", sg.Cadres, sg.Enterprises, p.Need, p.Capacity)
	if !sg.Feasible {
		summary += "；无可行方案：" + sg.Message
	}
	if err := tx.writeOpLog(ctx, "计算", "挂钩建议", sg.ID, summary); err != nil {
		return nil, err
	}
	return sg, tx.Commit()
}

// suggestionInput reads the cadres (users with the cadre role) with their
// current load and the enterprises in operation or preparation.
func (s *LinkageService) suggestionInput(ctx context.Context) ([]*suggCadre, []*suggEnt, error) {
	rows, err := s.db.query(ctx, `SELECT u.id, u.name, u.roles, u.rank, u.expertise, COALESCE(d.name, '') FROM users u LEFT JOIN departments d ON d.id = u.dept_id
		WHERE u.archived = FALSE AND (',' || u.roles || ',') LIKE '%,cadre,%' ORDER BY u.id`)
	if err != nil {
		return nil, nil, err
	}
	var cadres []*suggCadre
	byID := map[int64]*suggCadre{}
	for rows.Next() {
		c := &suggCadre{parks: map[string]bool{}, linked: map[int64]bool{}}
		var roles, expertise string
		if err := rows.Scan(&c.id, &c.name, &roles, &c.rank, &expertise, &c.dept); err != nil {
			rows.Close()
			return nil, nil, err
		}
		json.Unmarshal([]byte(expertise), &c.expertise)
		c.senior = zhagen.RankLevel(c.rank) >= zhagen.RankLevel("副处级")
		cadres = append(cadres, c)
		byID[c.id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.db.query(ctx, `SELECT id, name, industry, park, is_key FROM enterprises WHERE archived = FALSE AND status <> 'closed' ORDER BY id`)
	if err != nil {
		return nil, nil, err
	}
	var ents []*suggEnt
	entByID := map[int64]*suggEnt{}
	for rows.Next() {
		e := &suggEnt{}
		if err := rows.Scan(&e.id, &e.name, &e.industry, &e.park, &e.key); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ents = append(ents, e)
		entByID[e.id] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.db.query(ctx, `SELECT l.cadre_id, l.enterprise_id, e.park FROM linkages l JOIN enterprises e ON e.id = l.enterprise_id WHERE l.active = TRUE`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid, eid int64
		var park string
		if err := rows.Scan(&cid, &eid, &park); err != nil {
			return nil, nil, err
		}
		if c := byID[cid]; c != nil && !c.linked[eid] {
			c.linked[eid] = true
			c.load++
			if park != "" {
				c.parks[park] = true
			}
			if e := entByID[eid]; e != nil {
				e.have++
				e.senior = e.senior || c.senior
			}
		}
	}
	return cadres, ents, rows.Err()
}

const suggestionColumns = `id, need, capacity, feasible, message, constraint_name, cost, cadres, enterprises, created_by, created_at, accepted_at`

func scanSuggestion(sc interface{ Scan(...any) error }) (*zhagen.Suggestion, error) {
	s := &zhagen.Suggestion{}
	err := sc.Scan(&s.ID, &s.Params.Need, &s.Params.Capacity, &s.Feasible, &s.Message, &s.Constraint, &s.Cost, &s.Cadres, &s.Enterprises, &s.CreatedBy, &s.CreatedAt, &s.AcceptedAt)
	return s, err
}

// FindSuggestion returns a run with its pairs.
func (s *LinkageService) FindSuggestion(ctx context.Context, id int64) (*zhagen.Suggestion, error) {
	if _, err := authorizeKind(ctx, zhagen.PermSuggestionView); err != nil {
		return nil, err
	}
	sg, err := scanSuggestion(s.db.queryRow(ctx, `SELECT `+suggestionColumns+` FROM linkage_runs WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "挂钩建议")
	}
	rows, err := s.db.query(ctx, `SELECT p.id, p.cadre_id, u.name, u.rank, COALESCE(d.name, ''), p.enterprise_id, e.name, e.is_key, e.industry, p.cost, p.reasons, p.accepted
		FROM linkage_run_pairs p JOIN users u ON u.id = p.cadre_id LEFT JOIN departments d ON d.id = u.dept_id JOIN enterprises e ON e.id = p.enterprise_id
		WHERE p.run_id = ? ORDER BY e.is_key DESC, e.name, p.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sg.Pairs = []*zhagen.SuggestionPair{}
	for rows.Next() {
		p := &zhagen.SuggestionPair{}
		var reasons string
		if err := rows.Scan(&p.ID, &p.CadreID, &p.CadreName, &p.CadreRank, &p.DeptName, &p.EnterpriseID, &p.EnterpriseName, &p.EnterpriseKey, &p.Industry, &p.Cost, &reasons, &p.Accepted); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(reasons), &p.Reasons)
		sg.Pairs = append(sg.Pairs, p)
	}
	return sg, rows.Err()
}

// FindSuggestions lists the 20 newest runs without their pairs.
func (s *LinkageService) FindSuggestions(ctx context.Context) ([]*zhagen.Suggestion, error) {
	if _, err := authorizeKind(ctx, zhagen.PermSuggestionView); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+suggestionColumns+` FROM linkage_runs ORDER BY id DESC LIMIT 20`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Suggestion{}
	for rows.Next() {
		sg, err := scanSuggestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}

// AcceptSuggestion creates a 联系干部 linkage for each chosen pair of the
// run (every pair when pairIDs is empty) that is not linked already, and
// marks the pairs accepted. It returns how many linkages it created.
func (s *LinkageService) AcceptSuggestion(ctx context.Context, id int64, pairIDs []int64, startDate string) (int, error) {
	if _, err := authorizeKind(ctx, zhagen.PermSuggestionAccept); err != nil {
		return 0, err
	}
	if startDate != "" {
		if _, ok := zhagen.ParseDay(startDate); !ok || startDate > s.db.today() {
			msg := "起始日期须为不晚于今天的日期（YYYY-MM-DD）"
			return 0, &zhagen.Error{Code: zhagen.EINVALID, Field: "start_date", Message: msg, Fields: []zhagen.FieldError{{Field: "start_date", Message: msg}}}
		}
	}
	sg, err := s.FindSuggestion(ctx, id)
	if err != nil {
		return 0, err
	}
	if !sg.Feasible {
		return 0, zhagen.Errorf(zhagen.ECONFLICT, "该次计算无可行方案，不能采纳：%s", sg.Message)
	}
	chosen := map[int64]bool{}
	for _, pid := range pairIDs {
		chosen[pid] = true
	}
	for pid := range chosen {
		if !slices.ContainsFunc(sg.Pairs, func(p *zhagen.SuggestionPair) bool { return p.ID == pid }) {
			return 0, &zhagen.Error{Code: zhagen.EINVALID, Field: "pair_ids", Message: fmt.Sprintf("建议%d中没有配对%d", id, pid)}
		}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	created, claimed := 0, 0
	for _, p := range sg.Pairs {
		if len(chosen) > 0 && !chosen[p.ID] || p.Accepted {
			continue
		}
		// Each pair is accepted once: the first request claims it, a
		// concurrent one finds it taken.
		res, err := tx.exec(ctx, `UPDATE linkage_run_pairs SET accepted = TRUE WHERE id = ? AND accepted = FALSE`, p.ID)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, err
		} else if n != 1 {
			return 0, zhagen.Errorf(zhagen.ECONFLICT, "建议%d的配对（%s—%s）已被他人采纳，请刷新后重试", id, p.CadreName, p.EnterpriseName)
		}
		claimed++
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM linkages WHERE cadre_id = ? AND enterprise_id = ? AND active = TRUE`, p.CadreID, p.EnterpriseID).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			// The run may be stale: other linkages may have been made
			// since. Accepting never puts a cadre over the run's capacity.
			// The cadre's row lock: runs accepted at once count their
			// linkages in turn.
			if err := tx.lockRow(ctx, "users", p.CadreID); err != nil {
				return 0, err
			}
			var load int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM linkages WHERE cadre_id = ? AND active = TRUE`, p.CadreID).Scan(&load); err != nil {
				return 0, err
			}
			if load >= sg.Params.Capacity {
				return 0, zhagen.Errorf(zhagen.ECONFLICT, "干部%s已挂钩%d家企业，达到本次建议每人至多%d家的上限；挂钩关系已变化，请重新计算建议", p.CadreName, load, sg.Params.Capacity)
			}
			l := &zhagen.Linkage{CadreID: p.CadreID, EnterpriseID: p.EnterpriseID, Role: zhagen.LinkContact, CadenceDays: zhagen.DefaultCadenceDays, SuggestionID: id, StartDate: startDate}
			if err := l.Validate(); err != nil {
				return 0, err
			}
			if err := s.insertLinkage(ctx, tx, l); err != nil {
				return 0, err
			}
			created++
		}
	}
	if claimed == 0 && len(sg.Pairs) > 0 {
		return 0, zhagen.Errorf(zhagen.ECONFLICT, "建议%d没有待采纳的配对：所选配对均已采纳", id)
	}
	// A run without pairs (every enterprise was linked) is accepted once.
	q := `UPDATE linkage_runs SET accepted_at = ? WHERE id = ?`
	if claimed == 0 {
		q += ` AND accepted_at IS NULL`
	}
	if res, err := tx.exec(ctx, q, tx.now, id); err != nil {
		return 0, err
	} else if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n != 1 {
		return 0, zhagen.Errorf(zhagen.ECONFLICT, "建议%d已采纳", id)
	}
	if err := tx.writeOpLog(ctx, "采纳", "挂钩建议", id, fmt.Sprintf("新建挂钩关系%d条", created)); err != nil {
		return 0, err
	}
	return created, tx.Commit()
}
