package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhagen"
)

func TestMinutesDocx(t *testing.T) {
	at := time.Date(2026, 11, 2, 15, 0, 0, 0, zhagen.Shanghai)
	c := &zhagen.Consultation{Kind: zhagen.KindJoint, Title: "D区3号楼层高变更 <联合会诊>", StartsAt: &at, Place: "项目部", ConvenerName: "郑科长",
		DemandIDs: []int64{7}, Decisions: "一、业主单位申请总评变更；\n二、各部门按程序加速审批。",
		Invitees: []*zhagen.Invitee{{DeptName: "自然资源和规划局", Attendance: zhagen.AttendYes}},
		Items:    []*zhagen.ActionItem{{Title: "审查总评变更", OwnerDeptName: "自然资源和规划局", DueAt: at, Status: zhagen.ItemOpen}}}
	data, err := Minutes(c)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(b)
		}
	}
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
		if !names[n] {
			t.Errorf("missing part %s", n)
		}
	}
	// Well-formed XML whose text holds the title, the decisions and the item.
	dec := xml.NewDecoder(strings.NewReader(doc))
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
		}
	}
	for _, want := range []string{"D区3号楼层高变更 <联合会诊>", "一、业主单位申请总评变更；", "二、各部门按程序加速审批。", "审查总评变更", "#7", "确认参会"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
}

// TestPackage checks the package as Word opens it: [Content_Types].xml
// comes first, every part is well-formed XML, every part has a content
// type, every relationship points at a part that exists, and the main
// document is a w:document with a body whose last child is the section.
func TestPackage(t *testing.T) {
	at := time.Date(2026, 11, 2, 15, 0, 0, 0, zhagen.Shanghai)
	c := &zhagen.Consultation{Kind: zhagen.KindProjectCoord, Title: "控制字符\x01与&符号", StartsAt: &at, Minutes: "第一行\r\n第二行\t制表",
		Items: []*zhagen.ActionItem{{Title: "a<b>", OwnerDeptName: "建设局", AssigneeName: "张三", DueAt: at, Status: zhagen.ItemDone}}}
	data, err := Minutes(c)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part %s", zr.File[0].Name)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
		}
	}
	var types struct {
		Defaults []struct {
			Extension string `xml:"Extension,attr"`
		} `xml:"Default"`
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(xml.Unmarshal(parts["[Content_Types].xml"], &types))
	typed := map[string]string{}
	for _, o := range types.Overrides {
		if _, ok := parts[strings.TrimPrefix(o.PartName, "/")]; !ok {
			t.Errorf("content type for a missing part %s", o.PartName)
		}
		typed[strings.TrimPrefix(o.PartName, "/")] = o.ContentType
	}
	exts := map[string]bool{}
	for _, d := range types.Defaults {
		exts[d.Extension] = true
	}
	for name := range parts {
		ext := name[strings.LastIndex(name, ".")+1:]
		if name != "[Content_Types].xml" && typed[name] == "" && !exts[ext] {
			t.Errorf("part %s has no content type", name)
		}
	}
	if typed["word/document.xml"] != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
		t.Errorf("main document type %q", typed["word/document.xml"])
	}
	type rels struct {
		Rels []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for relPart, dir := range map[string]string{"_rels/.rels": "", "word/_rels/document.xml.rels": "word/"} {
		var r rels
		must(xml.Unmarshal(parts[relPart], &r))
		if len(r.Rels) == 0 {
			t.Errorf("%s has no relationships", relPart)
		}
		for _, x := range r.Rels {
			if _, ok := parts[dir+x.Target]; !ok {
				t.Errorf("%s points at a missing part %s", relPart, dir+x.Target)
			}
		}
	}
	var doc struct {
		XMLName xml.Name
		Body    struct {
			Inner []struct{ XMLName xml.Name } `xml:",any"`
		} `xml:"body"`
	}
	must(xml.Unmarshal(parts["word/document.xml"], &doc))
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	if doc.XMLName != (xml.Name{Space: w, Local: "document"}) || len(doc.Body.Inner) < 2 || doc.Body.Inner[len(doc.Body.Inner)-1].XMLName.Local != "sectPr" {
		t.Errorf("document %v with %d body elements", doc.XMLName, len(doc.Body.Inner))
	}
	if s := string(parts["word/document.xml"]); strings.Contains(s, "\x01") || !strings.Contains(s, "a&lt;b&gt;") || !strings.Contains(s, "与&amp;符号") {
		t.Errorf("text not escaped: %.400s", s)
	}
}

// TestOpensInLibreOffice converts the minutes to PDF with LibreOffice
// (headless Writer) and reads the PDF's text back with pdftotext: a
// document Writer cannot read fails the conversion, and the Chinese text
// must come out. scripts/test.sh installs both and sets
// ZHAGEN_REQUIRE_OFFICE=1, which makes their absence a failure; elsewhere
// the test skips without them and says why.
func TestOpensInLibreOffice(t *testing.T) {
	tool := func(name, pkg string) string {
		path, err := exec.LookPath(name)
		if err == nil {
			return path
		}
		if os.Getenv("ZHAGEN_REQUIRE_OFFICE") == "1" {
			t.Fatalf("%s not found and ZHAGEN_REQUIRE_OFFICE=1 (Debian: apt-get install -y --no-install-recommends %s)", name, pkg)
		}
		t.Skipf("%s not installed (Debian package %s); set ZHAGEN_REQUIRE_OFFICE=1 to make this a failure", name, pkg)
		return ""
	}
	soffice := tool("soffice", "libreoffice-writer-nogui")
	pdftotext := tool("pdftotext", "poppler-utils")
	at := time.Date(2026, 11, 2, 15, 0, 0, 0, zhagen.Shanghai)
	data, err := Minutes(&zhagen.Consultation{Kind: zhagen.KindJoint, Title: "D区3号楼层高变更联合会诊", StartsAt: &at, Decisions: "一、申请总评变更；\n二、加速审批。",
		Items: []*zhagen.ActionItem{{Title: "审查总评变更", OwnerDeptName: "自然资源和规划局", DueAt: at, Status: zhagen.ItemOpen}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "minutes.docx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdfPath := filepath.Join(dir, "minutes.pdf")
	pdf, err := os.ReadFile(pdfPath)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 1000 {
		t.Fatalf("no PDF from LibreOffice (%v): %s", err, out)
	}
	text, err := exec.CommandContext(ctx, pdftotext, "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Table cells wrap; compare without white space.
	flat := strings.Join(strings.Fields(string(text)), "")
	for _, want := range []string{"D区3号楼层高变更联合会诊", "一、申请总评变更；", "二、加速审批。", "审查总评变更", "自然资源和规划局"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q; its text:\n%s", want, text)
		}
	}
}

// TestBulletinDocx: the bulletin's .docx opens as a zip whose document
// holds the title, the number, the tables and the commentary.
func TestBulletinDocx(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, zhagen.Shanghai)
	b := &zhagen.Bulletin{Month: "2026-11", Year: 2026, Number: 3, Status: zhagen.BulletinIssued, IssuedAt: &now, Commentary: "各部门要对照排名<查找差距>",
		Content: &zhagen.BulletinContent{Month: "2026-11",
			This:     zhagen.TrendCounts{Submitted: 40, DemandRates: zhagen.DemandRates{DueForResponse: 40, AcceptedInTime: 38}},
			Top:      []zhagen.DeptScore{{Rank: 1, DeptName: "经济发展局", Score: 96.5}},
			Overdue:  []zhagen.BulletinCase{{DemandID: 7, Title: "双回路供电", Enterprise: "甲公司", Dept: "供电公司", Status: "办理中"}},
			Coverage: zhagen.Coverage{Linked: 10, Visited: 8, Percent: 80}}}
	out, err := Bulletin(b)
	if err != nil {
		t.Fatal(err)
	}
	doc := documentXML(t, out)
	for _, want := range []string{"2026年11月工作通报", "2026年第3期", "95.0%", "经济发展局", "双回路供电", "&lt;查找差距&gt;", "<w:tbl>", "完成率80.0%"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
}

// documentXML is the document part of a .docx, checked well-formed.
func documentXML(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("document.xml: %v", err)
			}
		}
		return string(b)
	}
	t.Fatal("no word/document.xml")
	return ""
}
