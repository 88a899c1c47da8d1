package zhagen

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Talent (人才): positions and the public job board, talent-need surveys
// (摸底), universities with their contacts, graduates, matching
// programmes and talent service teams.
//
// Who does what is declared in policy_talent.go: talent managers —
// administrators, dispatchers and department staff of a talent service
// department (InTalentService) — review positions, keep universities,
// programmes and service teams. Government roles read everything; an
// enterprise user reads and writes only its own enterprise's positions and
// surveys and sees only consenting applicants to its own programme
// positions; a graduate sees and edits only their own record.

// IsGovernment reports whether the actor holds a government role.
func (a *Actor) IsGovernment() bool {
	return a.Has(RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff, RoleCadre)
}

// Degree is an academic degree, ordered by level.
type Degree string

// Degrees.
const (
	DegreeCollege  Degree = "college"  // 大专
	DegreeBachelor Degree = "bachelor" // 本科
	DegreeMaster   Degree = "master"   // 硕士
	DegreeDoctor   Degree = "doctor"   // 博士
)

// Degrees lists the degrees lowest first.
var Degrees = []Degree{DegreeCollege, DegreeBachelor, DegreeMaster, DegreeDoctor}

var degreeLabels = map[Degree]string{DegreeCollege: "大专", DegreeBachelor: "本科", DegreeMaster: "硕士", DegreeDoctor: "博士"}

// Label returns the Chinese name of the degree ("不限" for none).
func (d Degree) Label() string {
	if d == "" {
		return "不限"
	}
	return degreeLabels[d]
}

// Level returns 1..4 for a known degree, 0 otherwise.
func (d Degree) Level() int { return slices.Index(Degrees, d) + 1 }

func checkLen(v *Validation, field, label, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.Add(field, fmt.Sprintf("%s不能超过%d个字", label, max))
	}
}

func checkDegree(v *Validation, field string, d Degree, required bool) {
	if d == "" && !required {
		return
	}
	if d.Level() == 0 {
		v.Add(field, "请选择学历")
	}
}

// TalentService keeps positions, surveys, universities, graduates,
// programmes and service teams. Every method applies the caller's role and
// data scope; a record outside the scope is ENOTFOUND.
type TalentService interface {
	// FindPublicPositions returns approved positions; no login needed.
	FindPublicPositions(ctx context.Context, f PositionFilter) ([]*Position, int, error)
	// FindPublicPosition returns one approved position, else ENOTFOUND.
	FindPublicPosition(ctx context.Context, id int64) (*Position, error)
	// FindPositions returns positions in scope (an enterprise: its own).
	FindPositions(ctx context.Context, f PositionFilter) ([]*Position, int, error)
	FindPositionByID(ctx context.Context, id int64) (*Position, error)
	// CreatePosition stores a pending position (enterprise for itself, or
	// a talent manager).
	CreatePosition(ctx context.Context, p *Position) error
	// ReviewPosition approves or rejects a position (talent managers);
	// version, when not 0, must be the position's current version
	// (ECONFLICT otherwise, as when two reviewers decide at once).
	ReviewPosition(ctx context.Context, id, version int64, approve bool, note string) (*Position, error)

	FindSurveys(ctx context.Context, period string) ([]*Survey, error)
	FindSurveyByID(ctx context.Context, id int64) (*Survey, error)
	// SaveSurvey creates or replaces the survey of s.EnterpriseID and
	// s.Period.
	SaveSurvey(ctx context.Context, s *Survey) error
	// SurveySummary adds up a period across the zone (government roles).
	SurveySummary(ctx context.Context, period string) (*SurveySummary, error)

	FindUniversities(ctx context.Context) ([]*University, error)
	FindUniversityByID(ctx context.Context, id int64) (*University, error)
	AddUniversityContact(ctx context.Context, c *UniversityContact) error
	DeleteUniversityContact(ctx context.Context, universityID, id int64) error
	AddOutreach(ctx context.Context, o *Outreach) error

	// RegisterGraduate creates a user with the graduate role and the
	// graduate's record; no login needed.
	RegisterGraduate(ctx context.Context, reg *GraduateRegistration) (*Graduate, error)
	// CreateGraduate records a graduate on their behalf (talent
	// managers): login names an existing user with the graduate role and
	// no record yet, or a new user that cannot log in until an
	// administrator sets a password.
	CreateGraduate(ctx context.Context, g *Graduate, login string) error
	FindGraduates(ctx context.Context, f GraduateFilter) ([]*Graduate, int, error)
	FindGraduateByID(ctx context.Context, id int64) (*Graduate, error)
	// MyGraduate returns the caller's own record.
	MyGraduate(ctx context.Context) (*Graduate, error)
	UpdateGraduate(ctx context.Context, id int64, upd GraduateUpdate) (*Graduate, error)

	FindProgrammes(ctx context.Context) ([]*Programme, error)
	// FindProgrammeByID returns the programme with its positions (every
	// participant sees the offers; applicant and placement counts only
	// government roles, and an enterprise for its own positions) and the
	// latest run (outside government roles, the latest published one).
	FindProgrammeByID(ctx context.Context, id int64) (*Programme, error)
	// FindProgrammePosition returns a programme position's ID, ProgrammeID
	// and EnterpriseID, visible to whoever FindProgrammeByID shows it to.
	FindProgrammePosition(ctx context.Context, id int64) (*ProgrammePosition, error)
	CreateProgramme(ctx context.Context, p *Programme) error
	AddProgrammePosition(ctx context.Context, pp *ProgrammePosition) error
	// SetChoices replaces a graduate's ranked choices (the graduate within
	// the registration window, or a talent manager).
	SetChoices(ctx context.Context, app *Application) error
	// FindApplication returns the graduate's choices in a programme.
	FindApplication(ctx context.Context, programmeID, graduateID int64) (*Application, error)
	// WithdrawApplication takes a graduate out of the programme.
	WithdrawApplication(ctx context.Context, programmeID, graduateID int64) error
	// FindApplicants returns the applicants to a programme position in the
	// enterprise's order (an enterprise: only its own positions and only
	// consenting graduates).
	FindApplicants(ctx context.Context, positionID int64) ([]*Applicant, error)
	// SetRanking stores the enterprise's own order of applicants to a
	// position (graduate ids, best first); the rest follow by score.
	SetRanking(ctx context.Context, positionID int64, graduateIDs []int64) error
	// RunMatch runs graduate-proposing deferred acceptance, records the
	// progress, results and audit, and returns the finished run.
	RunMatch(ctx context.Context, programmeID int64) (*MatchRun, error)
	// FindMatchRun returns a run with its results in the caller's scope.
	FindMatchRun(ctx context.Context, runID int64) (*MatchRun, error)
	// PublishMatch notifies graduates and enterprises of a finished run.
	PublishMatch(ctx context.Context, runID int64) (*MatchRun, error)

	FindServiceTeams(ctx context.Context) ([]*ServiceTeam, error)
	FindServiceTeamByID(ctx context.Context, id int64) (*ServiceTeam, error)
	CreateServiceTeam(ctx context.Context, t *ServiceTeam) error
	AddTeamBatch(ctx context.Context, b *TeamBatch) error
	SetBatchResolved(ctx context.Context, batchID int64, resolved string) error
	AddServiceLog(ctx context.Context, l *ServiceLog) error
}
