package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
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
