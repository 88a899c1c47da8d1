package zhagen

import (
	"bytes"
	"strings"
	"testing"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func TestCheckFile(t *testing.T) {
	cases := []struct {
		name    string
		data    []byte
		ok      bool
		outName string
	}{
		{"现场照片.png", pngBytes, true, "现场照片.png"},
		{`C:\Users\a\..\负荷测算.pdf`, []byte("%PDF-1.7\n..."), true, "负荷测算.pdf"},
		{"../../etc/说明.txt", []byte("纯文本说明"), true, "说明.txt"},
		{"photo.PNG", pngBytes, true, "photo.PNG"},
		{"virus.exe", []byte("MZ\x90\x00"), false, ""},
		{"virus.png", []byte("MZ\x90\x00\x03\x00\x00\x00"), false, ""},
		{"invoice.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), false, ""},
		{"page.txt", []byte("<html><script>alert(1)</script>"), false, ""},
		{"empty.pdf", nil, false, ""},
		{"big.txt", bytes.Repeat([]byte("a"), MaxFileSize+1), false, ""},
		{"", []byte("x"), false, ""},
	}
	for _, kind := range []FileOwnerKind{FileOfDemand, FileOfVisit, FileOfActionItem} {
		for _, c := range cases {
			f, err := CheckFile(kind, c.name, c.data)
			if (err == nil) != c.ok {
				t.Errorf("%s %q: err %v, want ok %v", kind, c.name, err, c.ok)
				continue
			}
			if c.ok && (f.Name != c.outName || f.ContentType == "" || f.OwnerKind != kind || f.Size != int64(len(c.data)) || len(f.SHA256) != 64) {
				t.Errorf("%s %q: %+v", kind, c.name, f)
			}
			if !c.ok && FieldErrors(err)["file"] == "" {
				t.Errorf("%s %q: no field error on file", kind, c.name)
			}
		}
	}
	if _, err := CheckFile("project", "a.png", pngBytes); ErrorCode(err) != EINVALID {
		t.Errorf("unknown owner kind: %v", err)
	}
	f, _ := CheckFile(FileOfDemand, "a.txt", []byte("abc"))
	if f.SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("sha256 of abc: %s", f.SHA256)
	}
	if _, err := CheckFile(FileOfDemand, "invoice.pdf", []byte("MZ\x90\x00")); !strings.Contains(ErrorMessage(err), "文件内容与扩展名 .pdf 不符") {
		t.Errorf("renamed executable: %v", err)
	}
}

func TestFileRules(t *testing.T) {
	for _, kind := range []FileOwnerKind{FileOfDemand, FileOfVisit, FileOfActionItem} {
		r, ok := FileRuleFor(kind)
		if !ok || r.MaxCount != MaxFilesPerOwner || r.MaxSize > MaxFileSize || r.LimitMessage == "" || len(r.Types) == 0 {
			t.Errorf("%s: %+v", kind, r)
		}
		for _, ext := range r.Types {
			if _, known := fileMagic[ext]; !known || servedTypes[ext] == "" {
				t.Errorf("%s accepts %s that the check does not know", kind, ext)
			}
		}
	}
	if r, _ := FileRuleFor(FileOfDemand); r.LimitMessage != "每条诉求最多上传20个附件" {
		t.Errorf("demand limit message %q", r.LimitMessage)
	}
}

func TestFileDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"a.pdf":        "attachment; filename=a.pdf",
		"现场照片.png":     "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png",
		`say "hi".txt`: `attachment; filename="say \"hi\".txt"`,
	} {
		if got := (&File{Name: name}).Disposition(); got != want {
			t.Errorf("%q: %s, want %s", name, got, want)
		}
	}
}

// FuzzCheckFile: any accepted name is a plain file name with an accepted
// extension.
func FuzzCheckFile(f *testing.F) {
	f.Add("a.png", pngBytes)
	f.Add("../x.pdf", []byte("%PDF-"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		out, err := CheckFile(FileOfDemand, name, data)
		if err != nil {
			return
		}
		if out.ContentType == "" || bytes.ContainsAny([]byte(out.Name), `/\`) || out.Name == ".." {
			t.Fatalf("accepted %q as %q (%s)", name, out.Name, out.ContentType)
		}
	})
}
