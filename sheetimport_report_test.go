package zhagen_test

import (
	"errors"
	"testing"

	"zhagen"
)

var reportCols = []zhagen.ImportColumn{{Field: "name", Header: "名称"}, {Field: "phone", Header: "电话", Also: []string{"contact_phone"}}}

// TestImportColumnOf: a field is found by its own name or as one of a
// column's further fields.
func TestImportColumnOf(t *testing.T) {
	if c, ok := zhagen.ImportColumnOf(reportCols, "name"); !ok || c.Header != "名称" {
		t.Errorf("name: %+v %v", c, ok)
	}
	if c, ok := zhagen.ImportColumnOf(reportCols, "contact_phone"); !ok || c.Header != "电话" {
		t.Errorf("contact_phone: %+v %v", c, ok)
	}
	if _, ok := zhagen.ImportColumnOf(reportCols, "other"); ok {
		t.Error("other found")
	}
}

// TestImportReportAdd: every problem is counted, at most
// MaxImportProblems listed.
func TestImportReportAdd(t *testing.T) {
	var r zhagen.ImportReport
	for i := range zhagen.MaxImportProblems + 1 {
		r.Add(reportCols, i+2, "contact_phone", "无效")
	}
	if r.ProblemCount != zhagen.MaxImportProblems+1 || len(r.Problems) != zhagen.MaxImportProblems {
		t.Errorf("counted %d, listed %d", r.ProblemCount, len(r.Problems))
	}
	if p := r.Problems[0]; p.Row != 2 || p.Column != "电话" || p.Field != "contact_phone" || p.Message != "无效" {
		t.Errorf("problem %+v", p)
	}
}

// TestImportReportAddErr: a validation error adds one problem per field
// (or its one field); another error adds one problem without a column.
func TestImportReportAddErr(t *testing.T) {
	var r zhagen.ImportReport
	r.AddErr(reportCols, 2, &zhagen.Error{Code: zhagen.EINVALID, Fields: []zhagen.FieldError{{Field: "name", Message: "请填写"}, {Field: "phone", Message: "无效"}}})
	r.AddErr(reportCols, 3, &zhagen.Error{Code: zhagen.EINVALID, Field: "name", Message: "太长"})
	r.AddErr(reportCols, 4, &zhagen.Error{Code: zhagen.ECONFLICT, Message: "已存在"})
	r.AddErr(reportCols, 5, errors.New("坏了"))
	want := []zhagen.ImportProblem{{Row: 2, Field: "name", Column: "名称", Message: "请填写"}, {Row: 2, Field: "phone", Column: "电话", Message: "无效"},
		{Row: 3, Field: "name", Column: "名称", Message: "太长"}, {Row: 4, Message: "已存在"}, {Row: 5, Message: zhagen.ErrorMessage(errors.New("坏了"))}}
	if len(r.Problems) != len(want) {
		t.Fatalf("problems %+v", r.Problems)
	}
	for i := range want {
		if r.Problems[i] != want[i] {
			t.Errorf("problem %d: %+v, want %+v", i, r.Problems[i], want[i])
		}
	}
}

// TestLabelsOfImport: statuses and roles by Chinese name or code, a
// default for a blank cell.
func TestLabelsOfImport(t *testing.T) {
	if s, ok := zhagen.EnterpriseStatusByLabel(" "); !ok || s != zhagen.EntOperating {
		t.Errorf("blank status: %s %v", s, ok)
	}
	if s, ok := zhagen.EnterpriseStatusByLabel("停产"); !ok || s != zhagen.EntSuspended {
		t.Errorf("停产: %s %v", s, ok)
	}
	if s, ok := zhagen.EnterpriseStatusByLabel(string(zhagen.EntClosed)); !ok || s != zhagen.EntClosed {
		t.Errorf("closed code: %s %v", s, ok)
	}
	if _, ok := zhagen.EnterpriseStatusByLabel("倒闭"); ok {
		t.Error("倒闭 accepted")
	}
	if r, ok := zhagen.LinkRoleByLabel(""); !ok || r != zhagen.LinkContact {
		t.Errorf("blank role: %s %v", r, ok)
	}
	if r, ok := zhagen.LinkRoleByLabel("服务专员"); !ok || r != zhagen.LinkOfficer {
		t.Errorf("服务专员: %s %v", r, ok)
	}
	if r, ok := zhagen.LinkRoleByLabel(string(zhagen.LinkParty)); !ok || r != zhagen.LinkParty {
		t.Errorf("party code: %s %v", r, ok)
	}
	if _, ok := zhagen.LinkRoleByLabel("领导"); ok {
		t.Error("领导 accepted")
	}
}
