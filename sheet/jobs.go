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
	layout   Layout
	finished chan struct{} // closed when the current step ends
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
	im.mu.Lock()
	for id, old := range im.jobs {
		if im.clock.Now().Sub(old.started) > jobTTL && !old.view().Running() {
			delete(im.jobs, id)
		}
	}
	im.jobs[j.id] = j
	im.mu.Unlock()
	go im.validate(j, data)
	return j.view(), nil
}

func (im *Importer) progress(j *job) zhagen.ImportProgress {
	return func(done, total int) { j.total.Store(int64(total)); j.done.Store(int64(done)) }
}

func (im *Importer) validate(j *job, data []byte) {
	ctx := zhagen.NewContextWithActor(context.Background(), j.actor)
	var rep *zhagen.ImportReport
	var err error
	if j.kind == zhagen.ImportLinkages {
		if j.links, j.layout, err = ReadLinkages(bytes.NewReader(data)); err == nil {
			rep, err = im.svc.ImportLinkageRows(ctx, j.links, false, "", im.progress(j))
		}
	} else {
		if j.ents, j.layout, err = ReadEnterprises(bytes.NewReader(data)); err == nil {
			rep, err = im.svc.ImportEnterpriseRows(ctx, j.ents, false, "", im.progress(j))
		}
	}
	j.finish(rep, err, JobValidated)
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
		j.ents, j.links = nil, nil
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
		ctx := zhagen.NewContextWithActor(context.Background(), j.actor)
		var rep *zhagen.ImportReport
		var err error
		if j.kind == zhagen.ImportLinkages {
			rep, err = im.svc.ImportLinkageRows(ctx, j.links, true, mode, im.progress(j))
		} else {
			rep, err = im.svc.ImportEnterpriseRows(ctx, j.ents, true, mode, im.progress(j))
		}
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
