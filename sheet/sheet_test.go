package sheet

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// collect reads every row of data with read.
func collect(t *testing.T, read func([]byte, func(int, []string) error) error, data []byte) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	if err := read(data, func(n int, cells []string) error {
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		out[n] = slices.Clone(cells)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFastRowsMatchesExcelize: the XML scanner reads what excelize reads,
// from shared strings (the usual writer), inline strings (the stream
// writer), rich text, entities, numbers, gaps in rows and columns.
func TestFastRowsMatchesExcelize(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "企业名称")
	f.SetCellValue("Sheet1", "C1", "地址 & <园区>")
	f.SetCellValue("Sheet1", "A2", "福州\"某\"公司")
	f.SetCellValue("Sheet1", "B2", 42)
	f.SetCellValue("Sheet1", "D2", true)
	f.SetCellRichText("Sheet1", "A5", []excelize.RichTextRun{{Text: "富"}, {Text: "文本", Font: &excelize.Font{Bold: true}}})
	f.SetCellValue("Sheet1", "AB5", "远列")
	f.NewSheet("第二页")
	f.SetCellValue("第二页", "A1", "不读")
	var shared bytes.Buffer
	if err := f.Write(&shared); err != nil {
		t.Fatal(err)
	}
	s := excelize.NewFile()
	sw, _ := s.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"统一社会信用代码", "x"})
	sw.SetRow("A3", []any{"91350100000000001X", 3.5, "a&b"})
	sw.Flush()
	var stream bytes.Buffer
	if err := s.Write(&stream); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"shared": shared.Bytes(), "stream": stream.Bytes()} {
		fast, slow := collect(t, fastRows, data), collect(t, slowRows, data)
		for n, want := range slow {
			if len(want) == 0 {
				continue
			}
			if got := fast[n]; !slices.Equal(got, want) {
				t.Errorf("%s row %d: fast %q, excelize %q", name, n, got, want)
			}
		}
		if len(fast) == 0 {
			t.Errorf("%s: nothing read", name)
		}
	}
	if got := collect(t, fastRows, shared.Bytes())[5]; len(got) != 28 || got[0] != "富文本" || got[27] != "远列" {
		t.Errorf("rich text and a far column: %q", got)
	}
}

// TestWriteReadsBack: an .xlsx export opens with its Chinese header frozen
// and its values typed; the CSV starts with a byte order mark.
func TestWriteReadsBack(t *testing.T) {
	type row struct {
		id   int64
		name string
		at   time.Time
	}
	tb := Table[row]{Name: "测试", Columns: []Column{{Header: "编号", Kind: Number}, {Header: "名称"}, {Header: "时间", Kind: DateTime}},
		Row: func(r row) []any { return []any{r.id, r.name, r.at} }}
	rows := []row{{1, "=SUM(A1)", time.Date(2026, 11, 2, 1, 30, 0, 0, time.UTC)}, {2, "乙", time.Time{}}}
	each := func(emit func(row) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}
	var x bytes.Buffer
	if err := Write(&x, XLSX, tb, each); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.GetRows("测试")
	if len(got) != 3 || got[0][0] != "编号" || got[1][1] != "=SUM(A1)" || got[1][2] != "2026-11-02 09:30" {
		t.Fatalf("xlsx rows: %q", got)
	}
	if p, _ := f.GetPanes("测试"); !p.Freeze || p.YSplit != 1 {
		t.Fatalf("header not frozen: %+v", p)
	}
	var c bytes.Buffer
	if err := Write(&c, CSV, tb, each); err != nil {
		t.Fatal(err)
	}
	if want := "\ufeff编号,名称,时间\n1,'=SUM(A1),2026-11-02 09:30\n2,乙,\n"; c.String() != want {
		t.Fatalf("csv %q, want %q", c.String(), want)
	}
}
