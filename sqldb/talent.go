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

func requireTalentManager(ctx context.Context) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.CanManageTalent() {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅管理员、指挥中心和人才服务部门人员可以办理")
	}
	return a, nil
}

func requireGovernment(ctx context.Context) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsGovernment() {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看")
	}
	return a, nil
}

// entOwner checks that the caller may write for enterprise id: an
// enterprise user for its own (which it forces), a talent manager for any.
func entOwner(ctx context.Context, id *int64) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 && !a.CanManageTalent():
		if *id == 0 {
			*id = a.EnterpriseID
		}
		if *id != a.EnterpriseID {
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "企业不存在")
		}
	case a.CanManageTalent():
	default:
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权办理企业人才事项")
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
