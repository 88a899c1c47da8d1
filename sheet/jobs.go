package sheet

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"

	"zhagen"
)

// Job states.
const (
	JobValidating = "validating" // reading and checking the file
	JobValidated  = "validated"  // the report is ready; nothing written
	JobWriting    = "writing"    // the commit runs
	JobDone       = "done"       // committed: the report says what was written
	JobFailed     = "failed"     // the file could not be read, or the store failed
)

// jobTTL is how long a finished job is kept for its owner.
const jobTTL = time.Hour

// JobView is what an import job shows its owner.
type JobView struct {
	ID       string               `json:"id"`
	Kind     zhagen.ImportKind    `json:"kind"`
	FileName string               `json:"file_name"`
	State    string               `json:"state"`
	Done     int                  `json:"done"`  // rows processed in the current step
	Total    int                  `json:"total"` // rows the step processes
	Percent  int                  `json:"percent"`
	Error    string               `json:"error,omitempty"`
	Report   *zhagen.ImportReport `json:"report,omitempty"`
	// PasswordSheet is, for a cadre import that created accounts, where
	// its initial-password sheet (初始密码单) stands: SheetReady until
	// PasswordSheetUntil, then SheetTaken or SheetExpired.
	PasswordSheet      string     `json:"password_sheet,omitempty"`
	PasswordSheetUntil *time.Time `json:"password_sheet_until,omitempty"`
}

// Running reports whether the job is still at work.
func (v *JobView) Running() bool { return v.State == JobValidating || v.State == JobWriting }

type job struct {
	id, name string
	kind     zhagen.ImportKind
	owner    int64
	actor    *zhagen.Actor
	started  time.Time
	done     atomic.Int64
	total    atomic.Int64
	mu       sync.Mutex
	state    string
	err      string
	report   *zhagen.ImportReport
	ents     []*zhagen.EnterpriseImportRow
	links    []*zhagen.LinkageImportRow
	cadres   []*zhagen.CadreImportRow
	layout   Layout
	finished chan struct{} // closed when the current step ends

	// passwords holds a cadre import's initial passwords until the
	// owner downloads them (once: the download swaps it for nil) or
	// they expire; sheet says which of the three it is (under mu).
	passwords atomic.Pointer[passwordSheet]
	sheet     string
	sheetEnd  time.Time
}

// Importer runs import jobs in the background, one per upload: it reads
// the file, has the service validate every row (nothing written) and,
// when the owner commits, write them. Jobs live in memory for an hour and
// only their owner sees them.
type Importer struct {
	svc   zhagen.ImportService
	clock zhagen.Clock
	mu    sync.Mutex
	jobs  map[string]*job
}

// NewImporter returns an importer over svc.
func NewImporter(svc zhagen.ImportService, clock zhagen.Clock) *Importer {
	if clock == nil {
		clock = zhagen.SystemClock{}
	}
	return &Importer{svc: svc, clock: clock, jobs: map[string]*job{}}
}

// Start checks that the caller may import kind and starts validating the
// file in the background.
func (im *Importer) Start(ctx context.Context, kind zhagen.ImportKind, name string, data []byte) (*JobView, error) {
	a := zhagen.ActorFromContext(ctx)
	if kind.Label() == "" {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "kind", Message: "导入类型无效"}
	}
	if err := zhagen.Authorize(a, kind.Perm(), zhagen.Facts{}); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: "请选择要导入的 .xlsx 文件"}
	}
	b := make([]byte, 12)
	rand.Read(b)
	j := &job{id: hex.EncodeToString(b), name: name, kind: kind, owner: a.UserID, actor: a, started: im.clock.Now(),
		state: JobValidating, finished: make(chan struct{})}
	im.Sweep()
	im.mu.Lock()
	im.jobs[j.id] = j
	im.mu.Unlock()
	go im.validate(j, data)
	return j.view(), nil
}

func (im *Importer) progress(j *job) zhagen.ImportProgress {
	return func(done, total int) { j.total.Store(int64(total)); j.done.Store(int64(done)) }
}

func (im *Importer) validate(j *job, data []byte) {
	var err error
	switch j.kind {
	case zhagen.ImportLinkages:
		j.links, j.layout, err = ReadLinkages(bytes.NewReader(data))
	case zhagen.ImportCadres:
		j.cadres, j.layout, err = ReadCadres(bytes.NewReader(data))
	default:
		j.ents, j.layout, err = ReadEnterprises(bytes.NewReader(data))
	}
	var rep *zhagen.ImportReport
	if err == nil {
		rep, err = im.run(j, false, "")
	}
	j.finish(rep, err, JobValidated)
}

// run has the service validate the job's rows, and with write store
// them; a cadre import's initial passwords are kept for the owner.
func (im *Importer) run(j *job, write bool, mode zhagen.ImportMode) (*zhagen.ImportReport, error) {
	ctx := zhagen.NewContextWithActor(context.Background(), j.actor)
	progress := im.progress(j)
	switch j.kind {
	case zhagen.ImportLinkages:
		return im.svc.ImportLinkageRows(ctx, j.links, write, mode, progress)
	case zhagen.ImportCadres:
		rep, creds, err := im.svc.ImportCadreRows(ctx, j.cadres, write, mode, progress)
		if err == nil && len(creds) > 0 {
			j.keepPasswords(creds, im.clock.Now().Add(PasswordSheetTTL))
		}
		return rep, err
	}
	return im.svc.ImportEnterpriseRows(ctx, j.ents, write, mode, progress)
}

func (j *job) finish(rep *zhagen.ImportReport, err error, state string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err != nil {
		j.state, j.err = JobFailed, zhagen.ErrorMessage(err)
	} else {
		j.layout.Locate(rep)
		j.state, j.report = state, rep
	}
	if state == JobDone || err != nil {
		j.ents, j.links, j.cadres = nil, nil, nil
	}
	close(j.finished)
}

func (j *job) view() *JobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := &JobView{ID: j.id, Kind: j.kind, FileName: j.name, State: j.state, Error: j.err, Report: j.report,
		Done: int(j.done.Load()), Total: int(j.total.Load())}
	if v.Total > 0 {
		v.Percent = min(100, v.Done*100/v.Total)
	}
	if !v.Running() {
		v.Percent = 100
	}
	if v.PasswordSheet = j.sheet; j.sheet != "" {
		until := j.sheetEnd
		v.PasswordSheetUntil = &until
	}
	return v
}

// find returns the caller's job id; another's is not found.
func (im *Importer) find(ctx context.Context, id string) (*job, error) {
	a := zhagen.ActorFromContext(ctx)
	im.mu.Lock()
	j := im.jobs[id]
	im.mu.Unlock()
	if j == nil || a == nil || j.owner != a.UserID {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "导入任务不存在或已过期")
	}
	return j, nil
}

// Get returns the caller's job.
func (im *Importer) Get(ctx context.Context, id string) (*JobView, error) {
	im.Sweep()
	j, err := im.find(ctx, id)
	if err != nil {
		return nil, err
	}
	return j.view(), nil
}

// Commit writes a validated job's rows as mode says, in the background:
// the service validates them again (the store may have changed) and
// writes in one transaction.
func (im *Importer) Commit(ctx context.Context, id string, mode zhagen.ImportMode) (*JobView, error) {
	j, err := im.find(ctx, id)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	if j.state != JobValidated {
		j.mu.Unlock()
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该导入任务当前不能写入（%s）", j.state)
	}
	j.state, j.finished = JobWriting, make(chan struct{})
	j.done.Store(0)
	j.mu.Unlock()
	go func() {
		rep, err := im.run(j, true, mode)
		j.finish(rep, err, JobDone)
	}()
	return j.view(), nil
}

// Wait blocks until the job's current step ends, or ctx does, and
// returns it.
func (im *Importer) Wait(ctx context.Context, id string) (*JobView, error) {
	j, err := im.find(ctx, id)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	ch := j.finished
	j.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return j.view(), nil
}
