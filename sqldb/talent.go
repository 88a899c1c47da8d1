package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"

	"zhagen"
)

// TalentService stores positions, surveys, universities, graduates,
// programmes and service teams, with the caller's scope in every query.
type TalentService struct{ db *DB }

// NewTalentService returns the talent service of db.
func NewTalentService(db *DB) *TalentService { return &TalentService{db: db} }

var _ zhagen.TalentService = (*TalentService)(nil)

type scanner interface{ Scan(...any) error }

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonStrings(s string) []string {
	var out []string
	if json.Unmarshal([]byte(s), &out) != nil || out == nil {
		return []string{}
	}
	return out
}

// scanMap reads the two-column rows of a query, such as a key and the
// COUNT(*) grouped by it, into a map from the first column to the second,
// and closes the rows.
func scanMap[K comparable, V any](rows *sql.Rows, err error) (map[K]V, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[K]V{}
	for rows.Next() {
		var k K
		var v V
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// jsonContains is the LIKE argument that finds s as an element of a JSON
// array of strings.
func jsonContains(s string) string {
	b, _ := json.Marshal(s)
	return likeArg(string(b))
}

// entOwner checks that the caller may do p (PermPositionPost,
// PermSurveyFill) for the enterprise *id: whoever p reaches every
// enterprise for, for any; an enterprise user for its own, which fills
// in a missing *id; another enterprise is ENOTFOUND.
func entOwner(ctx context.Context, p zhagen.Perm, id *int64) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if every, _ := zhagen.ScopeOf(a, p); every {
		return a, nil
	}
	if !zhagen.CanAny(a, p) {
		return nil, zhagen.Forbidden(p)
	}
	if *id == 0 {
		*id = a.EnterpriseID
	}
	if !zhagen.Can(a, p, zhagen.Facts{EnterpriseID: *id}) {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "企业不存在")
	}
	return a, nil
}

func (tx *Tx) enterpriseName(ctx context.Context, id int64) (string, string, error) {
	var name, industry string
	err := tx.queryRow(ctx, `SELECT name, industry FROM enterprises WHERE id = ?`, id).Scan(&name, &industry)
	if err != nil {
		if isNoRows(err) {
			return "", "", &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "企业不存在",
				Fields: []zhagen.FieldError{{Field: "enterprise_id", Message: "企业不存在"}}}
		}
		return "", "", err
	}
	return name, industry, nil
}
