// Package docx writes the minutes of a consultation and the monthly
// bulletin (bulletin.go) as Word documents
// (Office Open XML, WordprocessingML) with archive/zip and hand-written
// XML: no dependency, nothing but the parts Word needs.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"zhagen"
)

// Para is a paragraph: a style ("Title", "Heading1" or "" for body text)
// and its text; newlines in Text become line breaks. A Para with Table
// is a table instead: its first row the header, in bold.
type Para struct {
	Style string
	Text  string
	Bold  bool
	Table [][]string
}

// Write returns a .docx holding the paragraphs.
func Write(title string, paras []Para) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles},
		{"docProps/core.xml", core(title)},
		{"word/document.xml", document(paras)},
	}
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func document(paras []Para) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		if p.Table != nil {
			table(&b, p.Table)
			continue
		}
		b.WriteString("<w:p>")
		if p.Style != "" {
			fmt.Fprintf(&b, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, p.Style)
		}
		b.WriteString("<w:r>")
		if p.Bold {
			b.WriteString("<w:rPr><w:b/></w:rPr>")
		}
		for i, line := range strings.Split(strings.ReplaceAll(p.Text, "\r\n", "\n"), "\n") {
			if i > 0 {
				b.WriteString("<w:br/>")
			}
			fmt.Fprintf(&b, `<w:t xml:space="preserve">%s</w:t>`, esc(line))
		}
		b.WriteString("</w:r></w:p>")
	}
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	b.WriteString("</w:body></w:document>")
	return b.String()
}

// table writes rows as a bordered table across the page's width.
func table(b *strings.Builder, rows [][]string) {
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="808080"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr>`)
	for i, row := range rows {
		b.WriteString("<w:tr>")
		for _, cell := range row {
			b.WriteString(`<w:tc><w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r>`)
			if i == 0 {
				b.WriteString("<w:rPr><w:b/><w:sz w:val=\"21\"/></w:rPr>")
			} else {
				b.WriteString("<w:rPr><w:sz w:val=\"21\"/></w:rPr>")
			}
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t></w:r></w:p></w:tc>`, esc(cell))
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString(`</w:tbl><w:p/>`)
}

func core(title string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + esc(title) + `</dc:title><dc:creator>zhagen</dc:creator></cp:coreProperties>`
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`

const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="SimSun" w:eastAsia="SimSun" w:hAnsi="SimSun"/><w:sz w:val="24"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:rFonts w:eastAsia="SimHei"/><w:b/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240"/></w:pPr><w:rPr><w:rFonts w:eastAsia="SimHei"/><w:b/><w:sz w:val="28"/></w:rPr></w:style>
</w:styles>`

// Minutes lays out a consultation's minutes: title, meeting facts,
// attendance, agenda, minutes, decisions and the action items.
func Minutes(c *zhagen.Consultation) ([]byte, error) {
	title := c.Kind.Label() + "会议纪要：" + c.Title
	paras := []Para{{Style: "Title", Text: title}}
	when := "待定"
	if c.StartsAt != nil {
		when = c.StartsAt.In(zhagen.Shanghai).Format("2006年1月2日 15:04")
	}
	facts := fmt.Sprintf("会议类型：%s\n时间：%s\n地点：%s\n召集人：%s", c.Kind.Label(), when, orDash(c.Place), c.ConvenerName)
	if c.ProjectName != "" {
		facts += "\n重点项目：" + c.ProjectName
	}
	if len(c.DemandIDs) > 0 {
		ids := make([]string, len(c.DemandIDs))
		for i, id := range c.DemandIDs {
			ids[i] = fmt.Sprintf("#%d", id)
		}
		facts += "\n关联诉求：" + strings.Join(ids, "、")
	}
	paras = append(paras, Para{Text: facts})
	var att []string
	for _, v := range c.Invitees {
		name := v.DeptName
		if v.UserName != "" {
			name = v.UserName
		}
		att = append(att, name+"（"+v.Attendance.Label()+"）")
	}
	paras = append(paras, Para{Style: "Heading1", Text: "一、参会单位"}, Para{Text: orDash(strings.Join(att, "；"))})
	paras = append(paras, Para{Style: "Heading1", Text: "二、会议议程"}, Para{Text: orDash(c.Agenda)})
	paras = append(paras, Para{Style: "Heading1", Text: "三、会议纪要"}, Para{Text: orDash(c.Minutes)})
	paras = append(paras, Para{Style: "Heading1", Text: "四、会议决定"}, Para{Text: orDash(c.Decisions)})
	paras = append(paras, Para{Style: "Heading1", Text: "五、责任事项"})
	if len(c.Items) == 0 {
		paras = append(paras, Para{Text: "—"})
	}
	for i, it := range c.Items {
		line := fmt.Sprintf("%d. %s —— 责任部门：%s", i+1, it.Title, it.OwnerDeptName)
		if it.AssigneeName != "" {
			line += "，经办人：" + it.AssigneeName
		}
		line += "，时限：" + it.DueAt.In(zhagen.Shanghai).Format("2006-01-02") + "，状态：" + it.Status.Label()
		paras = append(paras, Para{Text: line})
	}
	return Write(title, paras)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
