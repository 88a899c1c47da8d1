package sqldb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"zhagen"
	"zhagen/match"
)

const runColumns = `id, programme_id, status, done, total, proposals, matched, unmatched, blocking, by_name, started_at, finished_at, published_at`

func scanRun(sc scanner) (*zhagen.MatchRun, error) {
	r := &zhagen.MatchRun{}
	err := sc.Scan(&r.ID, &r.ProgrammeID, &r.Status, &r.Done, &r.Total, &r.Proposals, &r.Matched, &r.Unmatched, &r.BlockingPairs, &r.ByName, &r.StartedAt, &r.FinishedAt, &r.PublishedAt)
	return r, err
}

// latestRun returns the newest run of a programme (the newest published
// one when publishedOnly), or nil.
func (s *TalentService) latestRun(ctx context.Context, programmeID int64, publishedOnly bool) (*zhagen.MatchRun, error) {
	q := `SELECT ` + runColumns + ` FROM match_runs WHERE programme_id = ?`
	if publishedOnly {
		q += ` AND published_at IS NOT NULL`
	}
	r, err := scanRun(s.db.queryRow(ctx, q+` ORDER BY id DESC LIMIT 1`, programmeID))
	if err != nil {
		if isNoRows(err) {
			return nil, nil
		}
		return nil, err
	}
	return r, nil
}

// progData is a programme loaded for ranking and matching.
type progData struct {
	positions  []*zhagen.ProgrammePosition
	posIndex   map[int64]int
	grads      map[int64]*zhagen.Graduate
	order      []int64 // graduate ids of the applicants, ascending
	withdrawn  map[int64]bool
	choices    map[int64][]int64 // graduate → position ids, first choice first
	byPosition map[int64][]*zhagen.Applicant
}

func (s *TalentService) loadProgramme(ctx context.Context, programmeID int64) (*progData, error) {
	d := &progData{posIndex: map[int64]int{}, grads: map[int64]*zhagen.Graduate{}, withdrawn: map[int64]bool{},
		choices: map[int64][]int64{}, byPosition: map[int64][]*zhagen.Applicant{}}
	var err error
	if d.positions, err = s.programmePositions(ctx, programmeID); err != nil {
		return nil, err
	}
	for i, pp := range d.positions {
		d.posIndex[pp.ID] = i
	}
	rows, err := s.db.query(ctx, `SELECT `+graduateColumns+`, a.withdrawn FROM programme_applicants a JOIN graduates g ON g.id = a.graduate_id WHERE a.programme_id = ? ORDER BY g.id`, programmeID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var w bool
		g, err := scanGraduate(rows, &w)
		if err != nil {
			rows.Close()
			return nil, err
		}
		d.grads[g.ID], d.withdrawn[g.ID] = g, w
		d.order = append(d.order, g.ID)
	}
	rows.Close()
	rows, err = s.db.query(ctx, `SELECT graduate_id, position_id, choice, ent_rank FROM programme_choices WHERE programme_id = ? ORDER BY graduate_id, choice`, programmeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var gid, pid int64
		var choice, rank int
		if err := rows.Scan(&gid, &pid, &choice, &rank); err != nil {
			return nil, err
		}
		g := d.grads[gid]
		i, ok := d.posIndex[pid]
		if g == nil || !ok {
			continue
		}
		d.choices[gid] = append(d.choices[gid], pid)
		d.byPosition[pid] = append(d.byPosition[pid], &zhagen.Applicant{PositionID: pid, GraduateID: gid, Graduate: g, Choice: choice,
			EnteredRank: rank, Score: zhagen.ScoreApplicant(d.positions[i], g), Withdrawn: d.withdrawn[gid]})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, list := range d.byPosition {
		rankApplicants(list)
	}
	return d, nil
}

// rankApplicants puts a position's applicants in the enterprise's order:
// entered ranks first, then by score, then by registration; applicants
// neither ranked nor acceptable by score are not acceptable (Rank 0), nor
// are withdrawn ones.
func rankApplicants(list []*zhagen.Applicant) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		ka, kb := a.EnteredRank > 0 || a.Score.Acceptable, b.EnteredRank > 0 || b.Score.Acceptable
		if ka != kb {
			return ka
		}
		if (a.EnteredRank > 0) != (b.EnteredRank > 0) {
			return a.EnteredRank > 0
		}
		if a.EnteredRank != b.EnteredRank {
			return a.EnteredRank < b.EnteredRank
		}
		if a.Score.Total != b.Score.Total {
			return a.Score.Total > b.Score.Total
		}
		return a.GraduateID < b.GraduateID
	})
	r := 0
	for _, ap := range list {
		if ap.EnteredRank > 0 || ap.Score.Acceptable {
			if !ap.Withdrawn {
				r++
				ap.Rank = r
			}
		}
	}
}

// progPositionScopeSQL selects the programme positions an actor reaches
// through each relation of the policy's PermApplicantView and
// PermApplicantRank.
var progPositionScopeSQL = scopeSQL{
	zhagen.RelOwnEnterprise: eqSQL("enterprise_id", actorEnterprise),
}

// positionFor returns a programme position whose applicants the caller
// may see (PermApplicantView) or, when write, rank (PermApplicantRank).
func (s *TalentService) positionFor(ctx context.Context, positionID int64, write bool) (*zhagen.Actor, *zhagen.ProgrammePosition, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, nil, err
	}
	p := zhagen.PermApplicantView
	if write {
		p = zhagen.PermApplicantRank
	}
	var w where
	w.add("id = ?", positionID)
	if err := scope(a, p, &w, progPositionScopeSQL); err != nil {
		return nil, nil, err
	}
	pp, err := s.positionWhere(ctx, w)
	if err != nil {
		return nil, nil, err
	}
	return a, pp, nil
}

// positionWhere reads the ID, ProgrammeID and EnterpriseID of the
// programme position w selects.
func (s *TalentService) positionWhere(ctx context.Context, w where) (*zhagen.ProgrammePosition, error) {
	pp := &zhagen.ProgrammePosition{}
	err := s.db.queryRow(ctx, `SELECT id, programme_id, enterprise_id FROM programme_positions`+w.String(), w.args...).Scan(&pp.ID, &pp.ProgrammeID, &pp.EnterpriseID)
	if err != nil {
		return nil, notFound(err, "项目岗位")
	}
	return pp, nil
}

// FindProgrammePosition returns the ID, ProgrammeID and EnterpriseID of a
// programme position to any logged-in caller, as FindProgrammeByID shows
// every participant the positions it offers.
func (s *TalentService) FindProgrammePosition(ctx context.Context, id int64) (*zhagen.ProgrammePosition, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, err
	}
	var w where
	w.add("id = ?", id)
	return s.positionWhere(ctx, w)
}

// FindApplicants returns the applicants to a programme position in the
// enterprise's order, with scores and their derivation.
func (s *TalentService) FindApplicants(ctx context.Context, positionID int64) ([]*zhagen.Applicant, error) {
	a, pp, err := s.positionFor(ctx, positionID, false)
	if err != nil {
		return nil, err
	}
	d, err := s.loadProgramme(ctx, pp.ProgrammeID)
	if err != nil {
		return nil, err
	}
	out := []*zhagen.Applicant{}
	for _, ap := range d.byPosition[positionID] {
		if !zhagen.Can(a, zhagen.PermGraduateView, zhagen.GraduateFacts(ap.Graduate, []int64{pp.EnterpriseID})) {
			continue // withheld consent: invisible to enterprises
		}
		out = append(out, ap)
	}
	return out, nil
}

// SetRanking stores an enterprise's order of applicants to a position.
func (s *TalentService) SetRanking(ctx context.Context, positionID int64, graduateIDs []int64) error {
	a, pp, err := s.positionFor(ctx, positionID, true)
	if err != nil {
		return err
	}
	// An enterprise cannot rank, nor learn of, an applicant who withheld
	// consent: such an id reads as "not an applicant".
	every, _ := zhagen.ScopeOf(a, zhagen.PermGraduateView)
	onlyConsenting := !every
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	seen := map[int64]bool{}
	for _, gid := range graduateIDs {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM programme_choices c JOIN graduates g ON g.id = c.graduate_id
			WHERE c.position_id = ? AND c.graduate_id = ? AND (g.consent = TRUE OR ? = FALSE)`, positionID, gid, onlyConsenting).Scan(&n); err != nil {
			return err
		}
		if n == 0 || seen[gid] {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "graduate_ids", Message: fmt.Sprintf("毕业生 %d 不是该岗位的申请人或重复排序", gid)}
		}
		seen[gid] = true
	}
	if _, err := tx.exec(ctx, `UPDATE programme_choices SET ent_rank = 0 WHERE position_id = ?`, positionID); err != nil {
		return err
	}
	for i, gid := range graduateIDs {
		if _, err := tx.exec(ctx, `UPDATE programme_choices SET ent_rank = ? WHERE position_id = ? AND graduate_id = ?`, i+1, positionID, gid); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, "排序", "项目岗位", pp.ID, fmt.Sprintf("录入 %d 名申请人的排序", len(graduateIDs))); err != nil {
		return err
	}
	return tx.Commit()
}

// instance builds the matching instance of the programme: residents are
// the applicants in id order with their choices, hospitals the positions
// with their capacities and the applicants they rank; withdrawn applicants
// are taken out.
func (d *progData) instance() (*match.Instance, error) {
	resIndex := map[int64]int{}
	for i, gid := range d.order {
		resIndex[gid] = i
	}
	capacity := make([]int, len(d.positions))
	hospitals := make([][]int, len(d.positions))
	for h, pp := range d.positions {
		capacity[h] = pp.Capacity
		for _, ap := range d.byPosition[pp.ID] {
			if ap.Rank > 0 {
				hospitals[h] = append(hospitals[h], resIndex[ap.GraduateID])
			}
		}
	}
	residents := make([][]int, len(d.order))
	var withdrawn []int
	for r, gid := range d.order {
		for _, pid := range d.choices[gid] {
			residents[r] = append(residents[r], d.posIndex[pid])
		}
		if d.withdrawn[gid] {
			withdrawn = append(withdrawn, r)
		}
	}
	in, err := match.NewInstance(capacity, residents, hospitals)
	if err != nil || len(withdrawn) == 0 {
		return in, err
	}
	return in.Withdraw(withdrawn, nil)
}

// unmatchedReason words the audit reason of an unmatched graduate for
// people, telling the choices that were full of better-ranked applicants
// from those that do not accept the graduate at all.
func (d *progData) unmatchedReason(gid int64, r match.Reason) string {
	refused := 0
	for _, pid := range d.choices[gid] {
		for _, ap := range d.byPosition[pid] {
			if ap.GraduateID == gid && ap.Rank == 0 {
				refused++
			}
		}
	}
	full := len(d.choices[gid]) - refused
	switch r {
	case match.ReasonEmptyList:
		if len(d.choices[gid]) == 0 {
			return "未填报志愿"
		}
		return "志愿已用尽：所填志愿岗位均不接受其专业"
	case match.ReasonOutranked:
		if refused == 0 {
			return "所填志愿岗位均已被排名更靠前的申请人占满"
		}
		return fmt.Sprintf("志愿已用尽：%d个志愿岗位已被排名更靠前的申请人占满，%d个志愿岗位不接受其专业", full, refused)
	case match.ReasonWithdrawn:
		return "已退出项目"
	}
	return r.Chinese()
}

// runStale is how long an unfinished run keeps another from starting.
const runStale = 10 * time.Minute

// RunMatch runs graduate-proposing deferred acceptance over the programme
// (talent managers). The run row records progress while it runs; the
// results and the audit are written when it ends.
func (s *TalentService) RunMatch(ctx context.Context, programmeID int64) (*zhagen.MatchRun, error) {
	a, err := authorizeKind(ctx, zhagen.PermMatchRun)
	if err != nil {
		return nil, err
	}
	if _, err := s.programme(ctx, programmeID); err != nil {
		return nil, err
	}
	d, err := s.loadProgramme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	if len(d.order) == 0 || len(d.positions) == 0 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "项目还没有岗位或报名，无法匹配")
	}
	in, err := d.instance()
	if err != nil {
		return nil, err
	}

	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	// One run at a time per programme (a double click starts one run). A
	// run that never finished — the server stopped — blocks no longer
	// than runStale.
	// The programme's row lock makes the check and the insert one step.
	if err := tx.lockRow(ctx, "programmes", programmeID); err != nil {
		tx.Rollback()
		return nil, notFound(err, "人才项目")
	}
	var busy int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM match_runs WHERE programme_id = ? AND status = 'running' AND started_at > ?`, programmeID, tx.now.Add(-runStale)).Scan(&busy); err != nil {
		tx.Rollback()
		return nil, err
	}
	if busy > 0 {
		tx.Rollback()
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该项目正在匹配中，请稍后查看结果")
	}
	run := &zhagen.MatchRun{ProgrammeID: programmeID, Status: "running", Total: len(d.order), ByName: a.Name, StartedAt: tx.now}
	run.ID, err = tx.insert(ctx, `INSERT INTO match_runs (programme_id, status, done, total, by_name, started_at) VALUES (?, 'running', 0, ?, ?, ?)`, programmeID, run.Total, a.Name, tx.now)
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return nil, err
	}

	res := match.Solve(in, func(done, total int) {
		s.db.exec(ctx, `UPDATE match_runs SET done = ?, total = ? WHERE id = ?`, done, total, run.ID)
	})
	audit := match.Audit(in, res)

	tx, err = s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	reasons := map[int32]match.Reason{}
	for _, u := range audit.Unmatched {
		reasons[u.Resident] = u.Reason
	}
	for r, gid := range d.order {
		mr := &zhagen.MatchResult{GraduateID: gid}
		var pos any
		if h := res.Match[r]; h >= 0 {
			pp := d.positions[h]
			pos = pp.ID
			mr.Choice = slices.Index(d.choices[gid], pp.ID) + 1
		} else {
			mr.Reason = d.unmatchedReason(gid, reasons[int32(r)])
		}
		if _, err := tx.exec(ctx, `INSERT INTO match_results (run_id, graduate_id, position_id, choice, reason) VALUES (?, ?, ?, ?, ?)`, run.ID, gid, pos, mr.Choice, mr.Reason); err != nil {
			return nil, err
		}
	}
	finished := tx.now
	run.Status, run.Done, run.Proposals, run.Matched = "done", run.Total, res.Proposals, audit.Matched
	run.Unmatched, run.BlockingPairs, run.FinishedAt = len(audit.Unmatched), len(audit.BlockingPairs), &finished
	if _, err := tx.exec(ctx, `UPDATE match_runs SET status = 'done', done = ?, proposals = ?, matched = ?, unmatched = ?, blocking = ?, finished_at = ? WHERE id = ?`,
		run.Done, run.Proposals, run.Matched, run.Unmatched, run.BlockingPairs, finished, run.ID); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "匹配", "人才项目", programmeID, fmt.Sprintf("第 %d 次运行：匹配 %d 人，未匹配 %d 人，阻塞对 %d", run.ID, run.Matched, run.Unmatched, run.BlockingPairs)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindMatchRun(ctx, run.ID)
}

// resultScopeSQL selects the match results an actor reaches through each
// relation of the policy's PermMatchResultView: the graduate themself;
// the enterprise a consenting graduate was placed with.
var resultScopeSQL = scopeSQL{
	zhagen.RelSelf: eqSQL("g.user_id", actorUser),
	zhagen.RelOwnEnterprise: func(a *zhagen.Actor) (string, []any) {
		if a.EnterpriseID == 0 {
			return "", nil
		}
		return "(pp.enterprise_id = ? AND g.consent = TRUE)", []any{a.EnterpriseID}
	},
}

// FindMatchRun returns a run with the results the caller may see (the
// policy's PermMatchResultView); a run not yet published only to those
// with PermMatchDraft.
func (s *TalentService) FindMatchRun(ctx context.Context, runID int64) (*zhagen.MatchRun, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	run, err := scanRun(s.db.queryRow(ctx, `SELECT `+runColumns+` FROM match_runs WHERE id = ?`, runID))
	if err != nil {
		return nil, notFound(err, "匹配记录")
	}
	w := where{conds: []string{"r.run_id = ?"}, args: []any{runID}}
	if run.PublishedAt == nil && !zhagen.CanAny(a, zhagen.PermMatchDraft) {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "匹配记录不存在")
	}
	if err := scope(a, zhagen.PermMatchResultView, &w, resultScopeSQL); err != nil {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "匹配记录不存在")
	}
	rows, err := s.db.query(ctx, `SELECT r.graduate_id, g.name, g.major, COALESCE(r.position_id, 0), COALESCE(pp.title, ''), COALESCE(pp.enterprise_id, 0), COALESCE(e.name, ''), r.choice, r.reason
		FROM match_results r JOIN graduates g ON g.id = r.graduate_id LEFT JOIN programme_positions pp ON pp.id = r.position_id LEFT JOIN enterprises e ON e.id = pp.enterprise_id`+
		w.String()+` ORDER BY CASE WHEN r.position_id IS NULL THEN 1 ELSE 0 END, e.name, pp.id, g.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	run.Results = []*zhagen.MatchResult{}
	for rows.Next() {
		m := &zhagen.MatchResult{}
		if err := rows.Scan(&m.GraduateID, &m.GraduateName, &m.Major, &m.PositionID, &m.PositionTitle, &m.EnterpriseID, &m.EnterpriseName, &m.Choice, &m.Reason); err != nil {
			return nil, err
		}
		run.Results = append(run.Results, m)
	}
	return run, rows.Err()
}

// PublishMatch publishes a finished run: each graduate gets their result
// and each enterprise its placements as in-app notifications.
func (s *TalentService) PublishMatch(ctx context.Context, runID int64) (*zhagen.MatchRun, error) {
	if _, err := authorizeKind(ctx, zhagen.PermMatchPublish); err != nil {
		return nil, err
	}
	run, err := s.FindMatchRun(ctx, runID)
	if err != nil {
		return nil, err
	}
	if run.Status != "done" {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "匹配尚未完成，不能发布")
	}
	if run.PublishedAt != nil {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该匹配结果已于 %s 发布", run.PublishedAt.In(zhagen.Shanghai).Format("2006-01-02 15:04"))
	}
	if run.BlockingPairs > 0 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "匹配存在 %d 个阻塞对，不能发布", run.BlockingPairs)
	}
	if latest, err := s.latestRun(ctx, run.ProgrammeID, false); err != nil {
		return nil, err
	} else if latest.ID != run.ID {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "只能发布最近一次匹配结果")
	}
	p, err := s.programme(ctx, run.ProgrammeID)
	if err != nil {
		return nil, err
	}
	users, err := scanMap[int64, int64](s.db.query(ctx, `SELECT g.id, g.user_id FROM match_results r JOIN graduates g ON g.id = r.graduate_id WHERE r.run_id = ?`, runID))
	if err != nil {
		return nil, err
	}
	consent, err := scanMap[int64, bool](s.db.query(ctx, `SELECT g.id, g.consent FROM match_results r JOIN graduates g ON g.id = r.graduate_id WHERE r.run_id = ?`, runID))
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// An enterprise learns the names of the consenting graduates placed
	// with it only; the others are counted.
	perEnt, withheld := map[int64][]string{}, map[int64]int{}
	for _, m := range run.Results {
		if m.PositionID != 0 {
			if consent[m.GraduateID] {
				perEnt[m.EnterpriseID] = append(perEnt[m.EnterpriseID], m.GraduateName)
			} else {
				perEnt[m.EnterpriseID] = append(perEnt[m.EnterpriseID], "")
				withheld[m.EnterpriseID]++
			}
		}
		if err := tx.enqueue(ctx, zhagen.NoticeMatchGraduate(p, m, users[m.GraduateID])); err != nil {
			return nil, err
		}
	}
	var entIDs []int64
	for id := range perEnt {
		entIDs = append(entIDs, id)
	}
	slices.Sort(entIDs)
	for _, id := range entIDs {
		names := slices.DeleteFunc(slices.Clone(perEnt[id]), func(n string) bool { return n == "" })
		if err := tx.enqueue(ctx, zhagen.NoticeMatchEnterprise(p, id, len(perEnt[id]), names, withheld[id])); err != nil {
			return nil, err
		}
	}
	if res, err := tx.exec(ctx, `UPDATE match_runs SET published_at = ? WHERE id = ? AND published_at IS NULL`, tx.now, runID); err != nil {
		return nil, err
	} else if n, _ := res.RowsAffected(); n != 1 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该匹配结果已发布")
	}
	now := tx.now
	run.PublishedAt = &now
	if err := tx.writeOpLog(ctx, "发布", "人才项目", p.ID, fmt.Sprintf("发布第 %d 次匹配结果", runID)); err != nil {
		return nil, err
	}
	return run, tx.Commit()
}
