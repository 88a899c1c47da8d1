package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"path"
	"strconv"
	"strings"
)

// errLayout is a workbook the fast reader does not follow; the caller
// reads it with excelize instead.
var errLayout = errors.New("sheet: unexpected workbook layout")

// fastRows reads the first worksheet of an .xlsx by scanning its XML for
// rows and cells, an order of magnitude faster than a full XML decoder on
// large imports. It hands fn each row's number and its cells' text (raw
// values, shared strings resolved, by column position).
func fastRows(data []byte, fn func(n int, cells []string) error) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	sheetPath, err := firstSheet(files)
	if err != nil {
		return err
	}
	var shared []string
	if f := files["xl/sharedStrings.xml"]; f != nil {
		b, err := readZip(f)
		if err != nil {
			return err
		}
		shared = sharedStrings(b)
	}
	f := files[sheetPath]
	if f == nil {
		return errLayout
	}
	b, err := readZip(f)
	if err != nil {
		return err
	}
	return scanSheet(b, shared, fn)
}

func readZip(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > 1<<30 {
		return nil, errLayout
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// firstSheet finds the path of the workbook's first sheet.
func firstSheet(files map[string]*zip.File) (string, error) {
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		f := files[name]
		if f == nil {
			return "", errLayout
		}
		b, err := readZip(f)
		if err != nil {
			return "", err
		}
		if err := xml.Unmarshal(b, v); err != nil {
			return "", errLayout
		}
	}
	if len(wb.Sheets) == 0 {
		return "", errLayout
	}
	for _, r := range rels.Rels {
		if r.ID == wb.Sheets[0].ID {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join("xl", r.Target), nil
		}
	}
	return "", errLayout
}

// sharedStrings reads the shared string table: each <si>'s text, the
// runs of rich text joined, phonetic hints (<rPh>) left out.
func sharedStrings(b []byte) []string {
	var out []string
	for {
		i := tagStart(b, "si")
		if i < 0 {
			return out
		}
		b = b[i:]
		end := bytes.Index(b, []byte("</si>"))
		gt := bytes.IndexByte(b, '>')
		if gt > 0 && b[gt-1] == '/' && (end < 0 || gt < end) { // <si/>
			out = append(out, "")
			b = b[gt+1:]
			continue
		}
		if end < 0 {
			return out
		}
		out = append(out, texts(b[:end]))
		b = b[end+5:]
	}
}

// texts joins the text of every <t> in b outside <rPh>.
func texts(b []byte) string {
	var sb strings.Builder
	for {
		if ph := tagStart(b, "rPh"); ph >= 0 {
			if t := tagStart(b, "t"); t < 0 || ph < t {
				end := bytes.Index(b[ph:], []byte("</rPh>"))
				if end < 0 {
					break
				}
				b = b[ph+end+6:]
				continue
			}
		}
		i := tagStart(b, "t")
		if i < 0 {
			break
		}
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 0 {
			break
		}
		if b[i+gt-1] == '/' { // <t/>
			b = b[i+gt+1:]
			continue
		}
		b = b[i+gt+1:]
		end := bytes.Index(b, []byte("</t>"))
		if end < 0 {
			break
		}
		sb.WriteString(unescape(b[:end]))
		b = b[end+4:]
	}
	return sb.String()
}

// tagStart is the index of the first <name …> or <name> in b, -1 if none.
func tagStart(b []byte, name string) int {
	off := 0
	for {
		i := bytes.Index(b[off:], []byte("<"+name))
		if i < 0 {
			return -1
		}
		i += off
		if j := i + 1 + len(name); j < len(b) && (b[j] == '>' || b[j] == ' ' || b[j] == '/' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
			return i
		}
		off = i + 1
	}
}

func unescape(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	return html.UnescapeString(string(b))
}

// attr returns the value of name="…" in the tag text.
func attr(tag []byte, name string) string {
	key := []byte(" " + name + `="`)
	i := bytes.Index(tag, key)
	if i < 0 {
		return ""
	}
	rest := tag[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// colIndex is the 0-based column of a reference such as "AB12".
func colIndex(ref string) int {
	n := 0
	for _, c := range ref {
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A'+1)
	}
	return n - 1
}

// scanSheet walks <sheetData>: every <row> and its <c> cells.
func scanSheet(b []byte, shared []string, fn func(n int, cells []string) error) error {
	rowNum := 0
	var cells []string
	for {
		i := tagStart(b, "row")
		if i < 0 {
			return nil
		}
		b = b[i:]
		gt := bytes.IndexByte(b, '>')
		if gt < 0 {
			return errLayout
		}
		tag := b[:gt]
		rowNum++
		if r := attr(tag, "r"); r != "" {
			n, err := strconv.Atoi(r)
			if err != nil {
				return errLayout
			}
			rowNum = n
		}
		if b[gt-1] == '/' { // an empty row
			b = b[gt+1:]
			continue
		}
		end := bytes.Index(b, []byte("</row>"))
		if end < 0 {
			return errLayout
		}
		row := b[gt+1 : end]
		b = b[end+6:]
		cells = cells[:0]
		if err := scanCells(row, shared, &cells); err != nil {
			return err
		}
		if err := fn(rowNum, cells); err != nil {
			return err
		}
	}
}

func scanCells(row []byte, shared []string, cells *[]string) error {
	col := -1
	for {
		i := tagStart(row, "c")
		if i < 0 {
			return nil
		}
		row = row[i:]
		gt := bytes.IndexByte(row, '>')
		if gt < 0 {
			return errLayout
		}
		tag := row[:gt]
		col++
		if r := attr(tag, "r"); r != "" {
			col = colIndex(r)
		}
		if col < 0 || col > 16383 {
			return errLayout
		}
		var body []byte
		if row[gt-1] == '/' {
			row = row[gt+1:]
		} else {
			end := bytes.Index(row, []byte("</c>"))
			if end < 0 {
				return errLayout
			}
			body, row = row[gt+1:end], row[end+4:]
		}
		val, err := cellValue(attr(tag, "t"), body, shared)
		if err != nil {
			return err
		}
		for len(*cells) <= col {
			*cells = append(*cells, "")
		}
		(*cells)[col] = val
	}
}

func cellValue(typ string, body []byte, shared []string) (string, error) {
	if typ == "inlineStr" {
		return texts(body), nil
	}
	i := tagStart(body, "v")
	if i < 0 {
		return "", nil
	}
	gt := bytes.IndexByte(body[i:], '>')
	end := bytes.Index(body, []byte("</v>"))
	if gt < 0 || end < i+gt {
		return "", nil
	}
	v := unescape(body[i+gt+1 : end])
	if typ == "s" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n >= len(shared) {
			return "", errLayout
		}
		return shared[n], nil
	}
	return v, nil
}
