package zhagen

import (
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// Attachment limits.
const (
	MaxAttachmentSize     = 10 << 20 // bytes per file
	MaxAttachmentsPerItem = 20       // files per demand
)

// Attachment is a file attached to a demand; its bytes are served only
// through the demand's scope check.
type Attachment struct {
	ID          int64     `json:"id"`
	DemandID    int64     `json:"demand_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// attachmentMagic maps accepted extensions to the leading bytes their
// content must start with; text files are checked separately.
var attachmentMagic = map[string][]string{
	".pdf":  {"%PDF-"},
	".jpg":  {"\xff\xd8\xff"},
	".jpeg": {"\xff\xd8\xff"},
	".png":  {"\x89PNG\r\n\x1a\n"},
	".docx": {"PK\x03\x04"},
	".xlsx": {"PK\x03\x04"},
	".pptx": {"PK\x03\x04"},
	".zip":  {"PK\x03\x04", "PK\x05\x06"},
	".doc":  {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
	".xls":  {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
	".txt":  nil,
}

// contentMatches reports whether data looks like a file of type ext.
func contentMatches(ext string, data []byte) bool {
	if ext == ".txt" {
		head := data[:min(len(data), 512)]
		lower := strings.ToLower(string(head))
		return utf8.Valid(data) && !strings.ContainsRune(string(head), 0) &&
			!strings.Contains(lower, "<html") && !strings.Contains(lower, "<script")
	}
	for _, magic := range attachmentMagic[ext] {
		if strings.HasPrefix(string(data), magic) {
			return true
		}
	}
	return false
}

var servedTypes = map[string]string{
	".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".txt": "text/plain; charset=utf-8",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".zip":  "application/zip", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
}

// CheckAttachment validates a file's name, size and bytes: an accepted
// extension whose content matches it (a renamed executable is refused).
// It returns the cleaned name and the content type to serve it with, or
// an EINVALID error on field "file".
func CheckAttachment(name string, data []byte) (string, string, error) {
	bad := func(msg string) (string, string, error) {
		return "", "", &Error{Code: EINVALID, Field: "file", Message: msg, Fields: []FieldError{{Field: "file", Message: msg}}}
	}
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "" || name == "." || name == "/" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 {
		return bad("文件名无效（不超过100个字）")
	}
	if len(data) == 0 {
		return bad("文件为空")
	}
	if len(data) > MaxAttachmentSize {
		return bad("文件不能超过10MB")
	}
	ext := strings.ToLower(path.Ext(name))
	if _, ok := attachmentMagic[ext]; !ok {
		return bad("不支持的文件类型，仅限 PDF、图片（JPG/PNG）、Word、Excel、PPT、TXT、ZIP")
	}
	if contentMatches(ext, data) {
		return name, servedTypes[ext], nil
	}
	return bad("文件内容与扩展名 " + ext + " 不符")
}
