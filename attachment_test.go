package zhagen

import (
	"bytes"
	"testing"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func TestCheckAttachment(t *testing.T) {
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
		{"page.txt", []byte("<html><script>alert(1)</script>"), false, ""},
		{"empty.pdf", nil, false, ""},
		{"big.txt", bytes.Repeat([]byte("a"), MaxAttachmentSize+1), false, ""},
		{"", []byte("x"), false, ""},
	}
	for _, c := range cases {
		name, ctype, err := CheckAttachment(c.name, c.data)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok %v", c.name, err, c.ok)
			continue
		}
		if c.ok && (name != c.outName || ctype == "") {
			t.Errorf("%q: name %q type %q", c.name, name, ctype)
		}
		if !c.ok && FieldErrors(err)["file"] == "" {
			t.Errorf("%q: no field error on file", c.name)
		}
	}
}

// FuzzCheckAttachment: any accepted name is a plain file name with an
// accepted extension.
func FuzzCheckAttachment(f *testing.F) {
	f.Add("a.png", pngBytes)
	f.Add("../x.pdf", []byte("%PDF-"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		out, ctype, err := CheckAttachment(name, data)
		if err != nil {
			return
		}
		if ctype == "" || bytes.ContainsAny([]byte(out), `/\`) || out == ".." {
			t.Fatalf("accepted %q as %q (%s)", name, out, ctype)
		}
	})
}
