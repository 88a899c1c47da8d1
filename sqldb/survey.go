package sqldb

import (
	"context"
	"encoding/json"
	"sort"

	"zhagen"
)

const surveyColumns = `s.id, s.enterprise_id, e.name, e.industry, s.period, s.lines, s.remarks, s.version, s.created_at, s.updated_at`
const surveyFrom = ` FROM surveys s JOIN enterprises e ON e.id = s.enterprise_id`

func scanSurvey(sc scanner) (*zhagen.Survey, error) {
	s := &zhagen.Survey{}
	var lines string
	if err := sc.Scan(&s.ID, &s.EnterpriseID, &s.EnterpriseName, &s.Industry, &s.Period, &lines, &s.Remarks, &s.Version, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return nil, err
	}
	if json.Unmarshal([]byte(lines), &s.Lines) != nil || s.Lines == nil {
		s.Lines = []zhagen.SurveyLine{}
	}
	return s, nil
}

// surveyScopeSQL selects the surveys an actor reaches through each
// relation of the policy's PermSurveyView.
var surveyScopeSQL = scopeSQL{
	zhagen.RelOwnEnterprise: eqSQL("s.enterprise_id", actorEnterprise),
}

// surveyScope adds the caller's scope over surveys (the policy's
// PermSurveyView) to w.
func surveyScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	return scope(a, zhagen.PermSurveyView, w, surveyScopeSQL)
}

// FindSurveys returns the surveys of a period ("" for all) in scope.
func (s *TalentService) FindSurveys(ctx context.Context, period string) ([]*zhagen.Survey, error) {
	var w where
	if err := surveyScope(ctx, &w); err != nil {
		return nil, err
	}
	if period != "" {
		w.add("s.period = ?", period)
	}
	rows, err := s.db.query(ctx, `SELECT `+surveyColumns+surveyFrom+w.String()+` ORDER BY s.period DESC, e.name`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Survey{}
	for rows.Next() {
		sv, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

// FindSurveyByID returns one survey in scope.
func (s *TalentService) FindSurveyByID(ctx context.Context, id int64) (*zhagen.Survey, error) {
	w := where{conds: []string{"s.id = ?"}, args: []any{id}}
	if err := surveyScope(ctx, &w); err != nil {
		return nil, err
	}
	sv, err := scanSurvey(s.db.queryRow(ctx, `SELECT `+surveyColumns+surveyFrom+w.String(), w.args...))
	return sv, notFound(err, "摸底记录")
}

// SaveSurvey creates or replaces the survey of an enterprise and period.
func (s *TalentService) SaveSurvey(ctx context.Context, sv *zhagen.Survey) error {
	if _, err := entOwner(ctx, zhagen.PermSurveyFill, &sv.EnterpriseID); err != nil {
		return err
	}
	if err := sv.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if sv.EnterpriseName, sv.Industry, err = tx.enterpriseName(ctx, sv.EnterpriseID); err != nil {
		return err
	}
	var id int64
	read := sv.Version // the version the client read, 0 for none
	err = tx.queryRow(ctx, `SELECT id FROM surveys WHERE enterprise_id = ? AND period = ?`, sv.EnterpriseID, sv.Period).Scan(&id)
	if isNoRows(err) {
		// The period's first filing. Of concurrent first filings the
		// (enterprise, period) key lets one insert; the others find its
		// row (PostgreSQL waits for it to commit) and update it below.
		sv.Version, sv.CreatedAt, sv.UpdatedAt = 1, tx.now, tx.now
		err = tx.queryRow(ctx, `INSERT INTO surveys (enterprise_id, period, lines, remarks, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT (enterprise_id, period) DO NOTHING RETURNING id`, sv.EnterpriseID, sv.Period, jsonText(sv.Lines), sv.Remarks, tx.now, tx.now).Scan(&sv.ID)
		if isNoRows(err) {
			err = tx.queryRow(ctx, `SELECT id FROM surveys WHERE enterprise_id = ? AND period = ?`, sv.EnterpriseID, sv.Period).Scan(&id)
		} else if err == nil {
			id = 0 // inserted
		}
	}
	if err != nil {
		return err
	}
	if id != 0 {
		// One statement checks and writes: with the version the client
		// read, of concurrent edits from it exactly one applies; without
		// one, the edits apply in turn.
		q := `UPDATE surveys SET lines = ?, remarks = ?, version = version + 1, updated_at = ? WHERE id = ?`
		args := []any{jsonText(sv.Lines), sv.Remarks, tx.now, id}
		if read != 0 {
			q += ` AND version = ?`
			args = append(args, read)
		}
		err := tx.queryRow(ctx, q+` RETURNING version, created_at`, args...).Scan(&sv.Version, &sv.CreatedAt)
		if isNoRows(err) {
			cur, err := scanSurvey(tx.queryRow(ctx, `SELECT `+surveyColumns+surveyFrom+` WHERE s.id = ?`, id))
			if err != nil {
				return err
			}
			return staleError(cur, cur.Version)
		} else if err != nil {
			return err
		}
		sv.ID, sv.UpdatedAt = id, tx.now
	}
	if err := tx.writeOpLog(ctx, "填报", "人才需求摸底", sv.ID, sv.EnterpriseName+" "+sv.Period); err != nil {
		return err
	}
	return tx.Commit()
}

// SurveySummary adds up a period's surveys by major and industry and sets
// each major's demand against the registered graduates of that major.
func (s *TalentService) SurveySummary(ctx context.Context, period string) (*zhagen.SurveySummary, error) {
	if _, err := authorizeKind(ctx, zhagen.PermSurveySummary); err != nil {
		return nil, err
	}
	surveys, err := s.FindSurveys(ctx, period)
	if err != nil {
		return nil, err
	}
	supply, err := scanMap[string, int](s.db.query(ctx, `SELECT major, COUNT(*) FROM graduates GROUP BY major`))
	if err != nil {
		return nil, err
	}
	sum := &zhagen.SurveySummary{Period: period, Surveys: len(surveys), ByMajor: []zhagen.MajorDemand{}, ByIndustry: []zhagen.IndustryDemand{}}
	majors := map[string]*zhagen.MajorDemand{}
	weight := map[string]int{}
	inds := map[string]*zhagen.IndustryDemand{}
	for _, sv := range surveys {
		ind := inds[sv.Industry]
		if ind == nil {
			ind = &zhagen.IndustryDemand{Industry: sv.Industry}
			inds[sv.Industry] = ind
		}
		ind.Enterprises++
		for _, l := range sv.Lines {
			m := majors[l.Major]
			if m == nil {
				m = &zhagen.MajorDemand{Major: l.Major, Supply: supply[l.Major]}
				majors[l.Major] = m
			}
			m.Demand += l.Count
			weight[l.Major] += l.Count * l.Difficulty
			ind.Demand += l.Count
			if l.Difficulty == 3 {
				ind.Hard += l.Count
			}
		}
	}
	for _, m := range majors {
		m.Gap = max(0, m.Demand-m.Supply)
		if m.Demand > 0 {
			m.Difficulty = float64(weight[m.Major]*10/m.Demand) / 10
		}
		sum.ByMajor = append(sum.ByMajor, *m)
	}
	sort.Slice(sum.ByMajor, func(i, j int) bool {
		a, b := sum.ByMajor[i], sum.ByMajor[j]
		if a.Gap != b.Gap {
			return a.Gap > b.Gap
		}
		if a.Demand != b.Demand {
			return a.Demand > b.Demand
		}
		return a.Major < b.Major
	})
	for _, i := range inds {
		sum.ByIndustry = append(sum.ByIndustry, *i)
	}
	sort.Slice(sum.ByIndustry, func(i, j int) bool {
		a, b := sum.ByIndustry[i], sum.ByIndustry[j]
		if a.Demand != b.Demand {
			return a.Demand > b.Demand
		}
		return a.Industry < b.Industry
	})
	return sum, nil
}
