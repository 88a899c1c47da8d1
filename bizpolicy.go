package zhagen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds the policy catalogue (惠企政策): enterprise-support
// policies of the zone with their eligibility rules over the enterprise's
// attributes, and the pure matching that explains, rule by rule, why an
// enterprise qualifies or which condition fails. ("Policy" here is a
// government policy document; who may do what is policy.go.)

// PolicyCategory is the field of a policy.
type PolicyCategory string

// Policy categories.
const (
	PolicyTalent   PolicyCategory = "talent"   // 人才
	PolicyIndustry PolicyCategory = "industry" // 产业扶持
	PolicyRnD      PolicyCategory = "rnd"      // 研发创新
	PolicyFinance  PolicyCategory = "finance"  // 金融融资
	PolicyOther    PolicyCategory = "other"    // 其他
)

// PolicyCategories lists the categories in display order.
var PolicyCategories = []PolicyCategory{PolicyIndustry, PolicyTalent, PolicyRnD, PolicyFinance, PolicyOther}

var policyCategoryLabels = map[PolicyCategory]string{PolicyTalent: "人才", PolicyIndustry: "产业扶持", PolicyRnD: "研发创新", PolicyFinance: "金融融资", PolicyOther: "其他"}

// Label returns the Chinese name of the category.
func (c PolicyCategory) Label() string { return policyCategoryLabels[c] }

// BenefitType is what a policy gives.
type BenefitType string

// Benefit types.
const (
	BenefitSubsidy  BenefitType = "subsidy"  // 资金补贴
	BenefitReward   BenefitType = "reward"   // 奖励
	BenefitInterest BenefitType = "interest" // 贷款贴息
	BenefitTax      BenefitType = "tax"      // 税费减免
	BenefitService  BenefitType = "service"  // 服务保障
)

// BenefitTypes lists the benefit types.
var BenefitTypes = []BenefitType{BenefitSubsidy, BenefitReward, BenefitInterest, BenefitTax, BenefitService}

var benefitLabels = map[BenefitType]string{BenefitSubsidy: "资金补贴", BenefitReward: "奖励", BenefitInterest: "贷款贴息", BenefitTax: "税费减免", BenefitService: "服务保障"}

// Label returns the Chinese name of the benefit type.
func (b BenefitType) Label() string { return benefitLabels[b] }

// PolicyStatus is where a policy stands.
type PolicyStatus string

// Policy statuses: only published policies are matched and applied for.
const (
	PolicyDraft     PolicyStatus = "draft"
	PolicyPublished PolicyStatus = "published"
	PolicyWithdrawn PolicyStatus = "withdrawn"
)

// RevenueBands are the revenue bands (营业收入) in ascending order.
var RevenueBands = []string{"lt20m", "20m_100m", "100m_400m", "400m_1b", "ge1b"}

var revenueLabels = map[string]string{"lt20m": "2000万元以下", "20m_100m": "2000万–1亿元", "100m_400m": "1亿–4亿元", "400m_1b": "4亿–10亿元", "ge1b": "10亿元以上"}

// RevenueLabel returns the Chinese name of a revenue band ("未填" for none).
func RevenueLabel(b string) string {
	if l, ok := revenueLabels[b]; ok {
		return l
	}
	return "未填"
}

// ChainPositions are the positions on an industry chain.
var ChainPositions = []string{"upstream", "midstream", "downstream", "support"}

var chainPosLabels = map[string]string{"upstream": "上游（材料装备）", "midstream": "中游（设计制造）", "downstream": "下游（应用终端）", "support": "配套服务"}

// ChainPositionLabel returns the Chinese name of a chain position.
func ChainPositionLabel(p string) string {
	if l, ok := chainPosLabels[p]; ok {
		return l
	}
	return "未填"
}

// EnterpriseAttrs are the attributes of an enterprise that policies match
// on, beside its industry, key flag and park: headcount, revenue band,
// founding year, high-tech certification, industry chain and position.
type EnterpriseAttrs struct {
	EnterpriseID  int64     `json:"enterprise_id"`
	Employees     int       `json:"employees"`
	RevenueBand   string    `json:"revenue_band"`
	FoundedYear   int       `json:"founded_year"`
	HighTech      bool      `json:"high_tech"` // 高新技术企业认定
	Chain         string    `json:"chain"`     // 产业链，如 集成电路
	ChainPosition string    `json:"chain_position"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Validate checks the attributes.
func (x *EnterpriseAttrs) Validate(now time.Time) error {
	var v Validation
	x.Chain = strings.TrimSpace(x.Chain)
	if x.Employees < 0 || x.Employees > 1000000 {
		v.Add("employees", "从业人数须在 0 到 1000000 之间")
	}
	if x.RevenueBand != "" && !slices.Contains(RevenueBands, x.RevenueBand) {
		v.Add("revenue_band", "营业收入档次无效")
	}
	if x.FoundedYear != 0 && (x.FoundedYear < 1900 || x.FoundedYear > now.In(Shanghai).Year()) {
		v.Add("founded_year", "成立年份须在 1900 年到今年之间")
	}
	if utf8.RuneCountInString(x.Chain) > 40 {
		v.Add("chain", "产业链名称不能超过40个字")
	}
	if x.ChainPosition != "" && !slices.Contains(ChainPositions, x.ChainPosition) {
		v.Add("chain_position", "产业链位置无效")
	}
	return v.Err()
}

// Tag is an administrator-defined label of enterprises (专精特新, 链主…).
type Tag struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"` // blue, green, orange, red, purple, grey
	Count int    `json:"count"` // enterprises carrying it, on lists
}

// TagColors are the colours a tag may take.
var TagColors = []string{"blue", "green", "orange", "red", "purple", "grey"}

// Validate checks the tag.
func (t *Tag) Validate() error {
	var v Validation
	t.Name = strings.TrimSpace(t.Name)
	if t.Color == "" {
		t.Color = "blue"
	}
	if t.Name == "" {
		v.Add("name", "请填写标签名称")
	} else if utf8.RuneCountInString(t.Name) > 20 || strings.Contains(t.Name, ",") {
		v.Add("name", "标签名称不能超过20个字，且不含逗号")
	}
	if !slices.Contains(TagColors, t.Color) {
		v.Add("color", "标签颜色无效")
	}
	return v.Err()
}

// PolicySubject is what matching reads of one enterprise.
type PolicySubject struct {
	ID       int64
	Name     string
	Industry string
	IsKey    bool
	Park     string
	Attrs    EnterpriseAttrs
	Tags     []string
}

// RuleAttr is the enterprise attribute a rule reads.
type RuleAttr string

// Rule attributes.
const (
	AttrIndustry      RuleAttr = "industry"       // 所属行业
	AttrChain         RuleAttr = "chain"          // 产业链
	AttrChainPosition RuleAttr = "chain_position" // 产业链位置
	AttrPark          RuleAttr = "park"           // 所在园区
	AttrIsKey         RuleAttr = "is_key"         // 重点企业
	AttrHighTech      RuleAttr = "high_tech"      // 高新技术企业认定
	AttrTag           RuleAttr = "tag"            // 企业标签
	AttrEmployees     RuleAttr = "employees"      // 从业人数
	AttrRevenue       RuleAttr = "revenue_band"   // 营业收入
	AttrAge           RuleAttr = "age"            // 成立年限
)

// RuleAttrs lists the attributes in the order of the form.
var RuleAttrs = []RuleAttr{AttrIndustry, AttrChain, AttrChainPosition, AttrPark, AttrIsKey, AttrHighTech, AttrTag, AttrEmployees, AttrRevenue, AttrAge}

var ruleAttrLabels = map[RuleAttr]string{AttrIndustry: "所属行业", AttrChain: "产业链", AttrChainPosition: "产业链位置", AttrPark: "所在园区",
	AttrIsKey: "重点企业", AttrHighTech: "高新技术企业", AttrTag: "企业标签", AttrEmployees: "从业人数", AttrRevenue: "营业收入", AttrAge: "成立年限"}

// Label returns the Chinese name of the attribute.
func (a RuleAttr) Label() string { return ruleAttrLabels[a] }

// Rule operators of policy rules.
const (
	OpIn    = "in"     // the value is one of a comma-separated list
	OpNotIn = "not_in" // none of the list
	OpGE    = ">="     // at least (numbers, revenue bands)
	OpLE    = "<="     // at most
	OpIs    = "is"     // yes / no
)

// PolicyRuleOps lists the operators.
var PolicyRuleOps = []string{OpIn, OpNotIn, OpGE, OpLE, OpIs}

var ruleOpLabels = map[string]string{OpIn: "属于", OpNotIn: "不属于", OpGE: "不少于", OpLE: "不多于", OpIs: "为"}

// PolicyRuleOpLabel returns the Chinese name of an operator.
func PolicyRuleOpLabel(op string) string { return ruleOpLabels[op] }

// ruleKinds says which operators an attribute takes.
func ruleOpsOf(a RuleAttr) []string {
	switch a {
	case AttrIsKey, AttrHighTech:
		return []string{OpIs}
	case AttrEmployees, AttrRevenue, AttrAge:
		return []string{OpGE, OpLE}
	}
	return []string{OpIn, OpNotIn}
}

// PolicyRule is one eligibility condition; all of a policy's rules must hold.
type PolicyRule struct {
	Attr  RuleAttr `json:"attr"`
	Op    string   `json:"op"`
	Value string   `json:"value"` // a list "集成电路,光电"; a number; a revenue band; "true"/"false"
}

// Text is the rule as people read it, e.g. "从业人数 不少于 100".
func (r PolicyRule) Text() string {
	v := r.Value
	switch r.Attr {
	case AttrRevenue:
		v = RevenueLabel(v)
	case AttrIsKey, AttrHighTech:
		v = map[bool]string{true: "是", false: "否"}[v == "true"]
	case AttrAge:
		v += "年"
	case AttrChainPosition:
		var ls []string
		for _, p := range splitList(v) {
			ls = append(ls, ChainPositionLabel(p))
		}
		v = strings.Join(ls, "、")
	}
	return r.Attr.Label() + " " + PolicyRuleOpLabel(r.Op) + " " + v
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validateRule checks one rule and normalises its value.
func (r *PolicyRule) validate() string {
	r.Value = strings.TrimSpace(r.Value)
	if _, ok := ruleAttrLabels[r.Attr]; !ok {
		return "条件的企业属性无效"
	}
	if !slices.Contains(ruleOpsOf(r.Attr), r.Op) {
		return fmt.Sprintf("“%s”不能用“%s”比较", r.Attr.Label(), PolicyRuleOpLabel(r.Op))
	}
	switch r.Attr {
	case AttrIsKey, AttrHighTech:
		if r.Value != "true" && r.Value != "false" {
			return fmt.Sprintf("“%s”的条件值须为 是 或 否", r.Attr.Label())
		}
	case AttrEmployees, AttrAge:
		if n, err := strconv.Atoi(r.Value); err != nil || n < 0 || n > 1000000 {
			return fmt.Sprintf("“%s”的条件值须为非负整数", r.Attr.Label())
		}
	case AttrRevenue:
		if !slices.Contains(RevenueBands, r.Value) {
			return "营业收入的条件值须为一个档次"
		}
	default:
		l := splitList(r.Value)
		if len(l) == 0 {
			return fmt.Sprintf("请填写“%s”的条件值", r.Attr.Label())
		}
		r.Value = strings.Join(l, ",")
		if utf8.RuneCountInString(r.Value) > 200 {
			return "条件值不能超过200个字"
		}
	}
	return ""
}

// RuleResult is one rule applied to one enterprise.
type RuleResult struct {
	Rule   PolicyRule `json:"rule"`
	Actual string     `json:"actual"` // the enterprise's value, as read
	Pass   bool       `json:"pass"`
}

// Text is "从业人数 不少于 100：实际 120，符合".
func (x RuleResult) Text() string {
	verdict := "符合"
	if !x.Pass {
		verdict = "不符合"
	}
	return x.Rule.Text() + "：实际 " + x.Actual + "，" + verdict
}

// Eligibility is a policy applied to one enterprise.
type Eligibility struct {
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name"`
	Eligible       bool         `json:"eligible"`
	Results        []RuleResult `json:"results"`
}

// Reason explains the verdict in one line: every condition met, or the
// conditions that fail.
func (e Eligibility) Reason() string {
	var ok, bad []string
	for _, r := range e.Results {
		if r.Pass {
			ok = append(ok, r.Text())
		} else {
			bad = append(bad, r.Text())
		}
	}
	if e.Eligible {
		if len(ok) == 0 {
			return "本政策面向全区企业"
		}
		return "符合全部条件：" + strings.Join(ok, "；")
	}
	return "不符合：" + strings.Join(bad, "；")
}

// Evaluate applies rules to the enterprise s at now.
func Evaluate(rules []PolicyRule, s *PolicySubject, now time.Time) Eligibility {
	el := Eligibility{EnterpriseID: s.ID, EnterpriseName: s.Name, Eligible: true, Results: []RuleResult{}}
	for _, r := range rules {
		res := evalRule(r, s, now)
		el.Eligible = el.Eligible && res.Pass
		el.Results = append(el.Results, res)
	}
	return el
}

func evalRule(r PolicyRule, s *PolicySubject, now time.Time) RuleResult {
	res := RuleResult{Rule: r}
	yes := func(b bool) string { return map[bool]string{true: "是", false: "否"}[b] }
	inList := func(vals ...string) bool {
		for _, v := range vals {
			if slices.Contains(splitList(r.Value), v) {
				return true
			}
		}
		return false
	}
	list := func(actual string, vals ...string) {
		res.Actual = actual
		if res.Actual == "" {
			res.Actual = "未填"
		}
		hit := inList(vals...)
		res.Pass = hit == (r.Op == OpIn)
	}
	cmp := func(n, want int) bool {
		if r.Op == OpGE {
			return n >= want
		}
		return n <= want
	}
	want, _ := strconv.Atoi(r.Value)
	switch r.Attr {
	case AttrIndustry:
		list(s.Industry, s.Industry)
	case AttrChain:
		list(s.Attrs.Chain, s.Attrs.Chain)
	case AttrChainPosition:
		list(ChainPositionLabel(s.Attrs.ChainPosition), s.Attrs.ChainPosition)
	case AttrPark:
		list(s.Park, s.Park)
	case AttrTag:
		list(strings.Join(s.Tags, "、"), s.Tags...)
	case AttrIsKey:
		res.Actual, res.Pass = yes(s.IsKey), s.IsKey == (r.Value == "true")
	case AttrHighTech:
		res.Actual, res.Pass = yes(s.Attrs.HighTech), s.Attrs.HighTech == (r.Value == "true")
	case AttrEmployees:
		res.Actual, res.Pass = strconv.Itoa(s.Attrs.Employees), cmp(s.Attrs.Employees, want)
	case AttrAge:
		if s.Attrs.FoundedYear == 0 {
			res.Actual = "未填"
			return res
		}
		age := now.In(Shanghai).Year() - s.Attrs.FoundedYear
		res.Actual, res.Pass = strconv.Itoa(age)+"年", cmp(age, want)
	case AttrRevenue:
		res.Actual = RevenueLabel(s.Attrs.RevenueBand)
		have := slices.Index(RevenueBands, s.Attrs.RevenueBand)
		if have < 0 {
			return res
		}
		res.Pass = cmp(have, slices.Index(RevenueBands, r.Value))
	}
	return res
}

// Policy is an enterprise-support policy of the zone (惠企政策).
type Policy struct {
	ID            int64          `json:"id"`
	Title         string         `json:"title"`
	DocNo         string         `json:"doc_no"` // 文号，如 榕高管〔2026〕12号
	Category      PolicyCategory `json:"category"`
	IssuerDeptID  int64          `json:"issuer_dept_id"`
	IssuerName    string         `json:"issuer_name"`
	HandlerDeptID int64          `json:"handler_dept_id"` // 兑现受理部门
	HandlerName   string         `json:"handler_name"`
	Summary       string         `json:"summary"`
	Body          string         `json:"body"`
	ValidFrom     string         `json:"valid_from"` // YYYY-MM-DD
	ValidTo       string         `json:"valid_to"`   // YYYY-MM-DD, "" open-ended
	Rules         []PolicyRule   `json:"rules"`
	BenefitType   BenefitType    `json:"benefit_type"`
	BenefitAmount int64          `json:"benefit_amount"` // 最高金额（元），0 不以金额计
	BenefitText   string         `json:"benefit_text"`   // e.g. 按研发投入的10%给予补助，最高200万元
	Auto          bool           `json:"auto"`           // 免申即享
	Status        PolicyStatus   `json:"status"`
	PublishedAt   *time.Time     `json:"published_at,omitempty"`
	Matched       int            `json:"matched"`    // enterprises matched, on reads
	PaidTotal     int64          `json:"paid_total"` // yuan paid, on reads
	Version       int64          `json:"version"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
}

// Link is where the policy is shown.
func (p *Policy) Link() string { return fmt.Sprintf("/policies/%d", p.ID) }

// Facts of a policy: its handling department owns it.
func (p *Policy) Facts() Facts { return Facts{DeptID: p.HandlerDeptID} }

// MaxPolicyRules is the most rules a policy takes.
const MaxPolicyRules = 12

// Validate checks what the editor typed.
func (p *Policy) Validate() error {
	var v Validation
	for _, s := range []*string{&p.Title, &p.DocNo, &p.Summary, &p.Body, &p.ValidFrom, &p.ValidTo, &p.BenefitText} {
		*s = strings.TrimSpace(*s)
	}
	if p.Title == "" {
		v.Add("title", "请填写政策名称")
	} else if utf8.RuneCountInString(p.Title) > 100 {
		v.Add("title", "政策名称不能超过100个字")
	}
	if utf8.RuneCountInString(p.DocNo) > 50 {
		v.Add("doc_no", "文号不能超过50个字")
	}
	if _, ok := policyCategoryLabels[p.Category]; !ok {
		v.Add("category", "请选择政策类别")
	}
	if p.IssuerDeptID <= 0 {
		v.Add("issuer_dept_id", "请选择发文单位")
	}
	if p.HandlerDeptID <= 0 {
		v.Add("handler_dept_id", "请选择兑现受理部门")
	}
	if p.Summary == "" {
		v.Add("summary", "请填写政策摘要")
	} else if utf8.RuneCountInString(p.Summary) > 500 {
		v.Add("summary", "政策摘要不能超过500个字")
	}
	if utf8.RuneCountInString(p.Body) > 20000 {
		v.Add("body", "政策全文不能超过20000个字")
	}
	from, err := time.Parse("2006-01-02", p.ValidFrom)
	if err != nil {
		v.Add("valid_from", "请填写生效日期，格式如 2026-01-01")
	}
	if p.ValidTo != "" {
		if to, err := time.Parse("2006-01-02", p.ValidTo); err != nil {
			v.Add("valid_to", "失效日期格式应为 2026-12-31")
		} else if to.Before(from) {
			v.Add("valid_to", "失效日期不能早于生效日期")
		}
	}
	if _, ok := benefitLabels[p.BenefitType]; !ok {
		v.Add("benefit_type", "请选择兑现方式")
	}
	if p.BenefitAmount < 0 || p.BenefitAmount > 1e10 {
		v.Add("benefit_amount", "最高金额须在 0 到 100 亿元之间")
	}
	if utf8.RuneCountInString(p.BenefitText) > 200 {
		v.Add("benefit_text", "支持标准不能超过200个字")
	}
	if len(p.Rules) > MaxPolicyRules {
		v.Add("rules", fmt.Sprintf("申报条件最多%d条", MaxPolicyRules))
	}
	if p.Rules == nil {
		p.Rules = []PolicyRule{}
	}
	for i := range p.Rules {
		if msg := p.Rules[i].validate(); msg != "" {
			v.Add("rules", fmt.Sprintf("第%d条条件：%s", i+1, msg))
			break
		}
	}
	return v.Err()
}

// InForce reports whether the policy is published and valid on now's date.
func (p *Policy) InForce(now time.Time) bool {
	day := now.In(Shanghai).Format("2006-01-02")
	return p.Status == PolicyPublished && day >= p.ValidFrom && (p.ValidTo == "" || day <= p.ValidTo)
}

// RulesText is the rules joined for reading, "面向全区企业" when none.
func (p *Policy) RulesText() string {
	if len(p.Rules) == 0 {
		return "面向全区企业"
	}
	var s []string
	for _, r := range p.Rules {
		s = append(s, r.Text())
	}
	return strings.Join(s, "；")
}

// PolicyFilter narrows a list of policies.
type PolicyFilter struct {
	Category PolicyCategory
	Status   PolicyStatus
	Query    string
	// Eligible, for an enterprise user, keeps the published policies
	// the enterprise was matched to.
	EnterpriseID int64
	Limit        int
}

// PolicyMatch is an enterprise matched to a policy, told once.
type PolicyMatch struct {
	PolicyID       int64      `json:"policy_id"`
	PolicyTitle    string     `json:"policy_title"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	Reason         string     `json:"reason"`
	Auto           bool       `json:"auto"`
	BenefitText    string     `json:"benefit_text"`
	MatchedAt      time.Time  `json:"matched_at"`
	ExplainedAt    *time.Time `json:"explained_at,omitempty"` // a cadre explained it on a visit
}
