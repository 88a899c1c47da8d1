package sheet

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"zhagen"
)

// MaxImportRows is the most data rows one file may hold.
const MaxImportRows = 200000

// Layout is where a file holds each template column: the letter of its
// column, by field.
type Layout map[string]string

// Locate fills the cell (e.g. "B12") of each problem of rep.
func (l Layout) Locate(rep *zhagen.ImportReport) {
	for i := range rep.Problems {
		p := &rep.Problems[i]
		c, ok := zhagen.ImportColumnOf(rep.Kind.Columns(), p.Field)
		if letter := l[c.Field]; ok && letter != "" {
			p.Cell = letter + strconv.Itoa(p.Row)
		}
	}
}

// Template writes the kind's template: the columns' headers on the first
// sheet (frozen, with widths) and what each takes on a second.
func Template(w io.Writer, kind zhagen.ImportKind) error {
	f := excelize.NewFile()
	defer f.Close()
	name := "导入" + kind.Label()
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": codes stay text
	if err != nil {
		return err
	}
	cols := kind.Columns()
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetCellValue(name, cell, c.Header)
		f.SetCellStyle(name, cell, cell, head)
		f.SetColWidth(name, col, col, c.Width)
		f.SetColStyle(name, col, text)
	}
	f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	help := "填写说明"
	if _, err := f.NewSheet(help); err != nil {
		return err
	}
	f.SetSheetRow(help, "A1", &[]any{"列", "必填", "说明"})
	f.SetColWidth(help, "A", "A", 22)
	f.SetColWidth(help, "C", "C", 48)
	for i, c := range cols {
		req := ""
		if c.Required {
			req = "是"
		}
		f.SetSheetRow(help, "A"+strconv.Itoa(i+2), &[]any{c.Header, req, c.Hint})
	}
	return f.Write(w)
}

// grid reads the first sheet of an .xlsx: the layout of its header row
// against cols and each non-empty data row as field → trimmed text. It
// scans the sheet's XML itself (fastRows) and falls back to excelize for
// a workbook laid out otherwise.
func grid(r io.Reader, cols []zhagen.ImportColumn, row func(n int, get func(field string) string)) (Layout, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var index map[string]int
	layout := Layout{}
	called, count := false, 0
	handle := func(n int, cells []string) error {
		called = true
		if index == nil {
			index = map[string]int{}
			return headerLayout(cells, cols, index, layout)
		}
		if blank(cells) {
			return nil
		}
		if count++; count > MaxImportRows {
			return zhagen.Errorf(zhagen.EINVALID, "文件超过%d行，请分批导入", MaxImportRows)
		}
		row(n, func(field string) string {
			if i, ok := index[field]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		})
		return nil
	}
	err = fastRows(data, handle)
	if err != nil && !called {
		err = slowRows(data, handle)
	}
	if err != nil {
		return nil, err
	}
	if index == nil {
		return nil, zhagen.Errorf(zhagen.EINVALID, "文件为空：第1行应为表头")
	}
	return layout, nil
}

// headerLayout maps the header row's cells to the template's fields; a
// required column missing is the file's error.
func headerLayout(header []string, cols []zhagen.ImportColumn, index map[string]int, layout Layout) error {
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), "*"))
		for _, c := range cols {
			if c.Header == h {
				index[c.Field] = i
				layout[c.Field], _ = excelize.ColumnNumberToName(i + 1)
			}
		}
	}
	var missing []string
	for _, c := range cols {
		if _, ok := index[c.Field]; !ok && c.Required {
			missing = append(missing, c.Header)
		}
	}
	if len(missing) > 0 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: "表头缺少列：" + strings.Join(missing, "、") + "（请使用导入模板）"}
	}
	return nil
}

// slowRows reads the first sheet with excelize's row iterator.
func slowRows(data []byte, fn func(n int, cells []string) error) error {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return zhagen.Errorf(zhagen.EINVALID, "无法读取文件：请上传 .xlsx 格式的表格")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return zhagen.Errorf(zhagen.EINVALID, "文件中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return err
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	return rows.Error()
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ReadEnterprises reads an enterprise file: each data row as an
// enterprise, or the problems of the cells that could not be read.
func ReadEnterprises(r io.Reader) ([]*zhagen.EnterpriseImportRow, Layout, error) {
	cols := zhagen.EnterpriseImportColumns
	var out []*zhagen.EnterpriseImportRow
	layout, err := grid(r, cols, func(n int, get func(string) string) {
		row := &zhagen.EnterpriseImportRow{Row: n}
		bad := func(field, msg string) {
			c, _ := zhagen.ImportColumnOf(cols, field)
			row.Problems = append(row.Problems, zhagen.ImportProblem{Row: n, Field: field, Column: c.Header, Message: msg})
		}
		e := &zhagen.Enterprise{Name: get("name"), USCC: get("uscc"), Industry: get("industry"), Park: get("park"),
			Address: get("address"), LegalRep: get("legal_rep")}
		var ok bool
		if e.IsKey, ok = zhagen.ParseYesNo(get("is_key")); !ok {
			bad("is_key", "重点企业应填“是”或“否”")
		}
		if e.Status, ok = zhagen.EnterpriseStatusByLabel(get("status")); !ok {
			bad("status", "企业状态应为在营、筹建、停产或注销")
		}
		if name, phone := get("contact_name"), get("contact_phone"); name != "" || phone != "" {
			e.Contacts = []zhagen.Contact{{Name: name, Phone: phone}}
		}
		row.Enterprise = e
		out = append(out, row)
	})
	return out, layout, err
}

// ReadLinkages reads a linkage file: each data row with the cadre's login
// and the enterprise's USCC to resolve, or the problems of its cells.
func ReadLinkages(r io.Reader) ([]*zhagen.LinkageImportRow, Layout, error) {
	cols := zhagen.LinkageImportColumns
	var out []*zhagen.LinkageImportRow
	layout, err := grid(r, cols, func(n int, get func(string) string) {
		row := &zhagen.LinkageImportRow{Row: n, CadreLogin: get("cadre_login"), USCC: get("uscc")}
		bad := func(field, msg string) {
			c, _ := zhagen.ImportColumnOf(cols, field)
			row.Problems = append(row.Problems, zhagen.ImportProblem{Row: n, Field: field, Column: c.Header, Message: msg})
		}
		if row.CadreLogin == "" {
			bad("cadre_login", "请填写干部账号")
		}
		if row.USCC == "" {
			bad("uscc", "请填写企业统一社会信用代码")
		}
		l := &zhagen.Linkage{StartDate: get("start_date")}
		var ok bool
		if l.Role, ok = zhagen.LinkRoleByLabel(get("role")); !ok {
			bad("role", "挂钩角色应为联系干部、党建工作指导员或服务专员")
		}
		if s := get("cadence_days"); s != "" {
			if l.CadenceDays, ok = atoi(s); !ok {
				bad("cadence_days", "走访周期应为天数，如 30")
			}
		}
		row.Linkage = l
		out = append(out, row)
	})
	return out, layout, err
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// ReadCadres reads a cadre file: each data row as a cadre's account with
// the name of its department to resolve, or the problems of its cells.
func ReadCadres(r io.Reader) ([]*zhagen.CadreImportRow, Layout, error) {
	var out []*zhagen.CadreImportRow
	layout, err := grid(r, zhagen.CadreImportColumns, func(n int, get func(string) string) {
		u := &zhagen.User{Login: get("login"), Name: get("name"), Rank: get("rank"), Phone: get("phone"),
			Expertise: zhagen.SplitTags(get("expertise"))}
		out = append(out, &zhagen.CadreImportRow{Row: n, Dept: get("dept"), User: u})
	})
	return out, layout, err
}
