package zhagen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// File limits: no kind of owner allows more.
const (
	MaxFileSize      = 10 << 20 // bytes per file
	MaxFilesPerOwner = 20       // files per demand, visit or action item
)

// FileOwnerKind names what a file belongs to.
type FileOwnerKind string

// The kinds of owner a file can have.
const (
	FileOfDemand     FileOwnerKind = "demand"      // an attachment of a demand (诉求附件)
	FileOfVisit      FileOwnerKind = "visit"       // a photo or file of a visit (走访照片与文件)
	FileOfActionItem FileOwnerKind = "action_item" // the evidence of an action item (佐证材料)
	FileOfPolicyApp  FileOwnerKind = "policy_app"  // the materials of a policy application (申报材料)
)

// FileOwner is the record a file belongs to.
type FileOwner struct {
	Kind FileOwnerKind
	ID   int64
}

// DemandFiles, VisitFiles and ActionItemFiles name the owner of a file.
func DemandFiles(id int64) FileOwner     { return FileOwner{Kind: FileOfDemand, ID: id} }
func VisitFiles(id int64) FileOwner      { return FileOwner{Kind: FileOfVisit, ID: id} }
func ActionItemFiles(id int64) FileOwner { return FileOwner{Kind: FileOfActionItem, ID: id} }

// PolicyAppFiles names the owner of a policy application's file.
func PolicyAppFiles(id int64) FileOwner { return FileOwner{Kind: FileOfPolicyApp, ID: id} }

func (o FileOwner) String() string { return fmt.Sprintf("%s#%d", o.Kind, o.ID) }

// File is an uploaded file of any owner: its bytes are kept by the
// store and served only to those who can see the owner, as a download
// with the content type fixed at upload.
type File struct {
	ID          int64         `json:"id"`
	OwnerKind   FileOwnerKind `json:"owner_kind"`
	OwnerID     int64         `json:"owner_id"`
	Name        string        `json:"name"`
	ContentType string        `json:"content_type"`
	Size        int64         `json:"size"`
	SHA256      string        `json:"sha256"` // hex of the content's SHA-256
	UploadedBy  string        `json:"uploaded_by"`
	CreatedAt   time.Time     `json:"created_at"`
}

// Owner returns the record the file belongs to.
func (f *File) Owner() FileOwner { return FileOwner{Kind: f.OwnerKind, ID: f.OwnerID} }

// Disposition is the Content-Disposition of the file's download:
// "attachment" with the name, as RFC 2231/5987 filename*=utf-8”… when it
// is not plain ASCII.
func (f *File) Disposition() string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}); d != "" {
		return d
	}
	return "attachment"
}

// FileRule is what an owner kind accepts: the extensions (each checked
// against the content's leading bytes), the size of one file and the
// number of files, with the words its refusals use.
type FileRule struct {
	Kind       FileOwnerKind
	Types      []string // accepted extensions, lower case with the dot
	TypesLabel string   // the accepted types for people
	MaxSize    int64
	MaxCount   int
	// LimitMessage refuses the file after MaxCount.
	LimitMessage string
}

// officeTypes are the extensions every owner kind accepts today.
var officeTypes = []string{".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".pptx", ".zip", ".doc", ".xls", ".txt"}

const officeTypesLabel = "PDF、图片（JPG/PNG）、Word、Excel、PPT、TXT、ZIP"

// FileRuleFor returns the rule of kind; ok is false for an unknown kind.
func FileRuleFor(kind FileOwnerKind) (rule FileRule, ok bool) {
	switch kind {
	case FileOfDemand:
		return FileRule{Kind: kind, Types: officeTypes, TypesLabel: officeTypesLabel, MaxSize: MaxFileSize, MaxCount: MaxFilesPerOwner,
			LimitMessage: fmt.Sprintf("每条诉求最多上传%d个附件", MaxFilesPerOwner)}, true
	case FileOfVisit:
		return FileRule{Kind: kind, Types: officeTypes, TypesLabel: officeTypesLabel, MaxSize: MaxFileSize, MaxCount: MaxFilesPerOwner,
			LimitMessage: fmt.Sprintf("每条走访记录最多上传%d个文件", MaxFilesPerOwner)}, true
	case FileOfActionItem:
		return FileRule{Kind: kind, Types: officeTypes, TypesLabel: officeTypesLabel, MaxSize: MaxFileSize, MaxCount: MaxFilesPerOwner,
			LimitMessage: fmt.Sprintf("每个会商事项最多上传%d份佐证材料", MaxFilesPerOwner)}, true
	case FileOfPolicyApp:
		return FileRule{Kind: kind, Types: officeTypes, TypesLabel: officeTypesLabel, MaxSize: MaxFileSize, MaxCount: MaxFilesPerOwner,
			LimitMessage: fmt.Sprintf("每份兑现申请最多上传%d份申报材料", MaxFilesPerOwner)}, true
	}
	return FileRule{}, false
}

// fileMagic maps the known extensions to the leading bytes their content
// must start with; text files are checked separately.
var fileMagic = map[string][]string{
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

// servedTypes are the content types files are served with, by extension.
var servedTypes = map[string]string{
	".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".txt": "text/plain; charset=utf-8",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".zip":  "application/zip", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
}

// contentMatches reports whether data looks like a file of type ext.
func contentMatches(ext string, data []byte) bool {
	if ext == ".txt" {
		head := data[:min(len(data), 512)]
		lower := strings.ToLower(string(head))
		return utf8.Valid(data) && !strings.ContainsRune(string(head), 0) &&
			!strings.Contains(lower, "<html") && !strings.Contains(lower, "<script")
	}
	for _, magic := range fileMagic[ext] {
		if strings.HasPrefix(string(data), magic) {
			return true
		}
	}
	return false
}

// fileError is an EINVALID error on the field "file".
func fileError(msg string) error {
	return &Error{Code: EINVALID, Field: "file", Message: msg, Fields: []FieldError{{Field: "file", Message: msg}}}
}

// FileLimitError refuses a file beyond the rule's count.
func (r FileRule) FileLimitError() error { return fileError(r.LimitMessage) }

// CheckFile is the one content check of every upload. It validates a
// file for an owner of kind: a plain name of at most 100 characters, not
// empty, within the kind's size, with an extension the kind accepts whose
// content matches it (the leading bytes are sniffed, so an executable
// renamed .pdf is refused). It returns the file to store, with the cleaned
// name, the content type to serve it with, its size and SHA-256 and its
// owner kind set, or an EINVALID error on the field "file".
func CheckFile(kind FileOwnerKind, name string, data []byte) (*File, error) {
	rule, ok := FileRuleFor(kind)
	if !ok {
		return nil, Errorf(EINVALID, "未知的文件归属：%s", kind)
	}
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "" || name == "." || name == "/" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 {
		return nil, fileError("文件名无效（不超过100个字）")
	}
	if len(data) == 0 {
		return nil, fileError("文件为空")
	}
	if int64(len(data)) > rule.MaxSize {
		return nil, fileError(fmt.Sprintf("文件不能超过%dMB", rule.MaxSize>>20))
	}
	ext := strings.ToLower(path.Ext(name))
	accepted := false
	for _, t := range rule.Types {
		accepted = accepted || t == ext
	}
	if _, known := fileMagic[ext]; !accepted || !known {
		return nil, fileError("不支持的文件类型，仅限 " + rule.TypesLabel)
	}
	if !contentMatches(ext, data) {
		return nil, fileError("文件内容与扩展名 " + ext + " 不符")
	}
	sum := sha256.Sum256(data)
	return &File{OwnerKind: kind, Name: name, ContentType: servedTypes[ext], Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}, nil
}

// FileService keeps every uploaded file, whatever it belongs to. Whoever
// can see the owner (the demand, visit or action item in their scope)
// sees its files; visit files are internal, so enterprise users see none.
type FileService interface {
	// AddFile checks data with [CheckFile] for the owner's kind and stores
	// it when the caller may upload to the owner: for a demand those who
	// take part in it until it is closed, withdrawn or merged (ECONFLICT
	// after); for a visit its cadre, dispatchers and administrators.
	// Evidence of an action item comes with its completion
	// ([ConsultationService.CompleteActionItem]), not through AddFile.
	// The owner out of scope is ENOTFOUND, not allowed EFORBIDDEN; a file
	// beyond the kind's MaxCount is EINVALID on "file", however many
	// uploads race.
	AddFile(ctx context.Context, owner FileOwner, name string, data []byte) (*File, error)
	// FindFiles lists the files of owner, oldest first: ENOTFOUND when the
	// owner is out of scope, none when its files are hidden from the caller.
	FindFiles(ctx context.Context, owner FileOwner) ([]*File, error)
	// OpenFile returns a file and its bytes; ENOTFOUND when there is no
	// such file or the caller cannot see its owner.
	OpenFile(ctx context.Context, id int64) (*File, []byte, error)
	// OpenOwnerFile resolves the file id of an address from before files
	// were one type (/demands/{id}/attachments/{aid}, /visits/{id}/files/{fid}):
	// the file of owner that had id in its old table, or has id since,
	// with its bytes. An id of 0 means the owner's newest file
	// (/action-items/{id}/evidence). The owner's own lookup errors are
	// returned as they are; an unknown file is ENOTFOUND.
	OpenOwnerFile(ctx context.Context, owner FileOwner, id int64) (*File, []byte, error)
}
