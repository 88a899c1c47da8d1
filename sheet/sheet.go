// Package sheet is the one way lists leave the platform as spreadsheets
// and enterprises, cadres and linkages come in from them. A list is a
// Table (Chinese headers, widths, kinds of column, how a row reads) and a
// row iterator; Write streams it as .xlsx (excelize's StreamWriter, with
// a frozen header row and date formats) or as CSV (UTF-8 with a byte
// order mark, so that Excel reads the Chinese). Nothing holds the list:
// the rows go from the store's cursor to the writer.
package sheet

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Format is a spreadsheet format.
type Format string

// The formats a list exports to.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// ParseFormat reads a ?format= value; ok is false for anything else.
func ParseFormat(s string) (Format, bool) {
	switch Format(s) {
	case XLSX, CSV:
		return Format(s), true
	}
	return "", false
}

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	if f == CSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// Kind is how a column's values are written.
type Kind uint8

// Kinds of column.
const (
	Text     Kind = iota // strings, written as text (never a formula)
	Number               // int, int64, float64
	Date                 // time.Time or *time.Time, day only
	DateTime             // time.Time or *time.Time, to the minute
)

// Column is one column of a table.
type Column struct {
	Header string  // Chinese
	Width  float64 // in characters; 0 takes 14
	Kind   Kind
}

// Table is how a list of T becomes rows: the sheet's name, its columns and
// each row's values in column order (nil for an empty cell).
type Table[T any] struct {
	Name    string // the sheet's and the file's name, Chinese
	Columns []Column
	Row     func(T) []any
}

// MaxRows is the most data rows a sheet holds (Excel's limit less the
// header row); an export of more fails rather than cut the list short.
const MaxRows = 1048575

// ErrTooManyRows is returned once a list passes MaxRows.
var ErrTooManyRows = errors.New("sheet: more rows than a worksheet holds (1048575)")

// Beijing is the time zone dates are written in.
var Beijing = time.FixedZone("CST", 8*3600)

// Each hands every row of a list to emit, in order, and stops at the
// first error emit returns.
type Each[T any] func(emit func(T) error) error

// Write streams the table's rows as f to w.
func Write[T any](w io.Writer, f Format, t Table[T], each Each[T]) error {
	if f == CSV {
		return writeCSV(w, t, each)
	}
	return writeXLSX(w, t, each)
}

func writeCSV[T any](w io.Writer, t Table[T], each Each[T]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Header
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	n := 0
	err := each(func(v T) error {
		if n++; n > MaxRows {
			return ErrTooManyRows
		}
		for i, val := range t.Row(v) {
			rec[i] = csvValue(t.Columns[i].Kind, val)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// csvValue renders one cell; text that a spreadsheet would take for a
// formula gets a leading apostrophe.
func csvValue(k Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	case time.Time:
		return csvTime(k, &x)
	case *time.Time:
		return csvTime(k, x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(v)
}

func csvTime(k Kind, t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	if k == Date {
		return t.In(Beijing).Format("2006-01-02")
	}
	return t.In(Beijing).Format("2006-01-02 15:04")
}

func writeXLSX[T any](w io.Writer, t Table[T], each Each[T]) error {
	f := excelize.NewFile()
	defer f.Close()
	name := t.Name
	if name == "" {
		name = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}}})
	if err != nil {
		return err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		return err
	}
	stamp, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		width := c.Width
		if width == 0 {
			width = 14
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		row[i] = excelize.Cell{StyleID: head, Value: c.Header}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	n := 1
	err = each(func(v T) error {
		if n > MaxRows {
			return ErrTooManyRows
		}
		n++
		for i, val := range t.Row(v) {
			row[i] = xlsxValue(t.Columns[i].Kind, val, date, stamp)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// excelize assembles a workbook in a buffer before writing it out;
	// its zip writer hook lets the archive go straight to w instead, so
	// the compressed sheet is not held either (the rows themselves wait
	// in the stream writer's temporary file).
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return f.Write(io.Discard)
}

func xlsxValue(k Kind, v any, date, stamp int) any {
	var t *time.Time
	switch x := v.(type) {
	case time.Time:
		t = &x
	case *time.Time:
		t = x
	case bool:
		return csvValue(Text, x)
	case string:
		return x
	default:
		return v
	}
	if t == nil || t.IsZero() {
		return nil
	}
	// Excel has no time zones: write Beijing's wall clock.
	b := t.In(Beijing)
	wall := time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, time.UTC)
	if k == Date {
		return excelize.Cell{StyleID: date, Value: wall}
	}
	return excelize.Cell{StyleID: stamp, Value: wall}
}

func ptr[T any](v T) *T { return &v }
