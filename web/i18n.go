package web

import (
	"fmt"
	"net/http"
	"net/url"

	"zhagen"
)

// Languages of the UI. Simplified Chinese is the default.
const (
	langZH = "zh"
	langEN = "en"
)

const langCookie = "lang"

// message is one entry of the catalogue: Chinese first, English second.
// A message may hold fmt verbs filled by the arguments of t.
type message struct{ zh, en string }

// langOf returns the language chosen with the lang cookie.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langZH
}

// translate looks key up in cat; a missing key shows as itself so that it
// is easy to spot (a test checks that every key used exists).
func translate(cat map[string]message, lang, key string, args ...any) string {
	m, ok := cat[key]
	if !ok {
		return key
	}
	s := m.zh
	if lang == langEN && m.en != "" {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// tr translates key into the request's language.
func (h *Handler) tr(r *http.Request, key string, args ...any) string {
	return translate(h.cat, langOf(r), key, args...)
}

// setLang is GET /lang?l=en|zh: it stores the choice in a cookie for a
// year and goes back to the page the link was on.
func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("l")
	if l != langEN {
		l = langZH
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	back := "/"
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "/lang" {
		back = localPath(ref.RequestURI())
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// catalogue returns the UI messages. Role, status and kind names follow
// the domain's Chinese labels.
func catalogue() map[string]message {
	m := map[string]message{
		"app.name":   {"扎根 · 政企服务平台", "Zhagen · Government–Enterprise Services"},
		"app.short":  {"扎根 · 政企服务", "Zhagen"},
		"app.footer": {"扎根 · 政企服务平台 — 干部下沉、服务企业常态化", "Zhagen — cadres at the grassroots, serving enterprises every day"},

		"nav.menu":          {"菜单", "Menu"},
		"nav.home":          {"我的工作台", "My workbench"},
		"nav.enterprises":   {"企业管理", "Enterprises"},
		"nav.my_enterprise": {"本企业", "My enterprise"},
		"nav.departments":   {"部门管理", "Departments"},
		"nav.users":         {"用户管理", "Users"},
		"nav.industries":    {"行业目录", "Industries"},
		"nav.log_ops":       {"操作日志", "Operation log"},
		"nav.log_logins":    {"登录日志", "Login log"},
		"nav.logout":        {"退出登录", "Log out"},
		"nav.group.service": {"企业服务", "Services"},
		"nav.group.org":     {"组织与基础数据", "Organisation"},
		"nav.group.audit":   {"安全审计", "Audit"},

		"common.all":      {"全部", "All"},
		"common.search":   {"查询", "Search"},
		"common.reset":    {"重置", "Reset"},
		"common.actions":  {"操作", "Actions"},
		"common.view":     {"查看", "View"},
		"common.edit":     {"编辑", "Edit"},
		"common.delete":   {"删除", "Delete"},
		"common.add":      {"添加", "Add"},
		"common.save":     {"保存", "Save"},
		"common.cancel":   {"取消", "Cancel"},
		"common.choose":   {"请选择", "Choose…"},
		"common.yes":      {"是", "Yes"},
		"common.no":       {"否", "No"},
		"common.archived": {"已归档", "Archived"},
		"common.conflict": {"该记录已被他人修改。当前值：名称“%s”，类型“%s”，排序 %d。请核对后再次保存（将以您的填写为准）。",
			"Someone else changed this record. Now: name “%s”, kind “%s”, sort %d. Check and save again to keep your values."},

		"form.fix": {"表单有 %d 处需要修改，请查看标红的字段。", "%d fields need attention; see the fields marked in red."},

		"pager.range": {"第 %d–%d 条，共 %d 条", "%d–%d of %d"},
		"pager.none":  {"共 0 条", "No records"},
		"pager.prev":  {"上一页", "Previous"},
		"pager.next":  {"下一页", "Next"},
		"pager.label": {"分页", "Pages"},

		"login.title":     {"用户登录", "Sign in"},
		"login.tagline":   {"万名干部进企业 · 服务常态化", "Cadres in every enterprise, every day"},
		"login.point1":    {"挂钩联系：干部定期走访，记录企业所需", "Linkage: cadres visit on a cadence and log what enterprises need"},
		"login.point2":    {"诉求办理：分派、督办、评价，全程留痕", "Demands: routed, supervised and rated, every step on record"},
		"login.point3":    {"数据权限：各角色只见其职责范围内的数据", "Data scope: each role sees only what it is responsible for"},
		"login.login":     {"登录名", "Login"},
		"login.password":  {"密码", "Password"},
		"login.submit":    {"登 录", "Sign in"},
		"login.note":      {"连续输错密码5次，账户将锁定15分钟。", "Five wrong passwords in a row lock the account for 15 minutes."},
		"login.err.empty": {"请输入登录名和密码", "Enter your login and password"},
		"login.err.bad":   {"登录名或密码错误", "Wrong login or password"},
		"login.err.locked": {"密码错误次数过多，账户已锁定，请15分钟后再试或联系管理员",
			"Too many wrong passwords: the account is locked. Try again in 15 minutes or ask an administrator"},

		"home.greet.morning":      {"上午好", "Good morning"},
		"home.greet.noon":         {"中午好", "Good day"},
		"home.greet.afternoon":    {"下午好", "Good afternoon"},
		"home.greet.evening":      {"晚上好", "Good evening"},
		"home.roles":              {"角色", "Roles"},
		"home.dept":               {"所属部门", "Department"},
		"home.no_dept":            {"未分配部门", "None"},
		"home.today":              {"今日", "Today"},
		"home.links":              {"常用功能", "Shortcuts"},
		"home.nothing":            {"您的角色暂无可用功能，请联系管理员。", "Your role has no functions yet; ask an administrator."},
		"home.card.enterprises":   {"辖区企业", "Enterprises"},
		"home.card.key":           {"重点企业", "Key enterprises"},
		"home.card.operating":     {"在营企业", "Operating"},
		"home.card.my_enterprise": {"本企业", "My enterprise"},
		"home.card.users":         {"系统用户", "Users"},
		"home.card.departments":   {"部门与单位", "Departments"},

		"ent.new":              {"新增企业", "New enterprise"},
		"ent.edit":             {"编辑企业", "Edit enterprise"},
		"ent.create":           {"创建企业", "Create enterprise"},
		"ent.search":           {"企业名称 / 信用代码", "Name or USCC"},
		"ent.search.ph":        {"输入企业名称或统一社会信用代码", "Type a name or credit code"},
		"ent.include_archived": {"含已归档", "Include archived"},
		"ent.key":              {"重点", "Key"},
		"ent.key.yes":          {"重点企业", "Key only"},
		"ent.key.no":           {"非重点企业", "Not key"},
		"ent.empty":            {"暂无企业。", "No enterprises yet."},
		"ent.empty.filtered":   {"没有符合条件的企业，请调整查询条件。", "No enterprise matches; change the filters."},
		"ent.basic":            {"基本信息", "Basic information"},
		"ent.record":           {"记录信息", "Record"},
		"ent.contacts.none":    {"暂无联系人", "No contacts"},
		"ent.is_key.label":     {"列为重点企业", "Mark as a key enterprise"},
		"ent.uscc.hint":        {"18位，如 91350100MA2XXXXXXX（不含 I、O、Z、S、V）", "18 characters; no I, O, Z, S or V"},
		"ent.contact.name":     {"姓名", "Name"},
		"ent.contact.title":    {"职务", "Title"},
		"ent.contact.phone":    {"电话", "Phone"},
		"ent.contact.phone.ph": {"手机或座机", "Mobile or landline"},
		"ent.archive":          {"归档", "Archive"},
		"ent.restore":          {"取消归档", "Restore"},
		"ent.archive.confirm":  {"确定归档该企业？归档后默认不在列表中显示。", "Archive this enterprise? It will be hidden from the list."},
		"ent.conflict": {"保存失败：该企业信息已被他人修改（当前版本 %d）。下表列出当前值与您的填写不同之处。",
			"Not saved: someone else changed this enterprise (now version %d). The table shows where it differs from your values."},
		"ent.conflict.title":   {"他人已修改的内容", "Changed by someone else"},
		"ent.conflict.field":   {"字段", "Field"},
		"ent.conflict.current": {"当前值", "Current value"},
		"ent.conflict.mine":    {"您的填写", "Your value"},
		"ent.conflict.hint":    {"下方表单保留了您的填写。核对后再次保存将以您的填写为准；", "The form below keeps your values. Saving again overwrites the current ones;"},
		"ent.conflict.discard": {"或放弃修改，查看当前记录。", "or discard your changes and view the current record."},
		"ent.flash.created":    {"企业已创建。", "Enterprise created."},
		"ent.flash.updated":    {"企业信息已保存。", "Enterprise saved."},
		"ent.flash.archived":   {"企业已归档。", "Enterprise archived."},
		"ent.flash.restored":   {"企业已取消归档。", "Enterprise restored."},
		"ent.f.id":             {"编号", "ID"},
		"ent.f.name":           {"企业名称", "Name"},
		"ent.f.uscc":           {"统一社会信用代码", "Credit code (USCC)"},
		"ent.f.industry":       {"所属行业", "Industry"},
		"ent.f.is_key":         {"重点企业", "Key enterprise"},
		"ent.f.park":           {"所在园区", "Park"},
		"ent.f.address":        {"地址", "Address"},
		"ent.f.legal_rep":      {"法定代表人", "Legal representative"},
		"ent.f.contacts":       {"联系人", "Contacts"},
		"ent.f.status":         {"经营状态", "Status"},
		"ent.f.version":        {"版本", "Version"},
		"ent.f.created_at":     {"创建时间", "Created"},
		"ent.f.updated_at":     {"更新时间", "Updated"},

		"dept.new":           {"新增部门", "New department"},
		"dept.edit":          {"编辑部门", "Edit department"},
		"dept.add_child":     {"添加下级", "Add child"},
		"dept.empty":         {"暂无部门。", "No departments yet."},
		"dept.root":          {"（顶级）", "(top level)"},
		"dept.sort.hint":     {"数字越小越靠前", "Smaller numbers come first"},
		"dept.err.sort":      {"排序号须为整数", "Sort must be a whole number"},
		"dept.flash.created": {"部门已创建。", "Department created."},
		"dept.flash.updated": {"部门已保存。", "Department saved."},
		"dept.f.name":        {"部门名称", "Name"},
		"dept.f.parent":      {"上级部门", "Parent"},
		"dept.f.kind":        {"类型", "Kind"},
		"dept.f.sort":        {"排序", "Sort"},
		"dept.f.updated_at":  {"更新时间", "Updated"},

		"user.new":                {"新增用户", "New user"},
		"user.edit":               {"编辑用户", "Edit user"},
		"user.create":             {"创建用户", "Create user"},
		"user.search":             {"登录名 / 姓名", "Login or name"},
		"user.search.ph":          {"输入登录名或姓名", "Type a login or name"},
		"user.empty":              {"没有符合条件的用户。", "No user matches."},
		"user.account":            {"账户", "Account"},
		"user.profile":            {"岗位信息", "Position"},
		"user.no_dept":            {"（无）", "(none)"},
		"user.no_rank":            {"（无）", "(none)"},
		"user.disable":            {"停用该账户", "Disable this account"},
		"user.state.active":       {"正常", "Active"},
		"user.state.disabled":     {"已停用", "Disabled"},
		"user.state.locked":       {"已锁定", "Locked"},
		"user.password.hint":      {"至少8位，含大写字母、小写字母、数字、符号中的至少三类。", "At least 8 characters with three of: upper case, lower case, digits, symbols."},
		"user.reset.hint":         {"重置后该用户的登录会话全部失效。", "Resetting ends all of the user's sessions."},
		"user.reset_password":     {"重置密码", "Reset password"},
		"user.expertise.ph":       {"如：集成电路、招商引资、消防审批", "e.g. IC design, investment, fire safety"},
		"user.expertise.hint":     {"多个标签用逗号、顿号或空格分隔", "Separate tags with commas or spaces"},
		"user.enterprise_id.hint": {"仅企业用户填写：输入企业编号或从列表选择", "Enterprise users only: an enterprise ID"},
		"user.err.enterprise_id":  {"企业编号须为正整数", "The enterprise ID must be a positive number"},
		"user.last_login":         {"最近登录", "Last login"},
		"user.conflict":           {"保存失败：用户“%s”已被他人修改（当前版本 %d）。请核对后再次保存（将以您的填写为准）。", "Not saved: someone else changed user “%s” (now version %d). Check and save again to keep your values."},
		"user.flash.created":      {"用户已创建。", "User created."},
		"user.flash.updated":      {"用户已保存。", "User saved."},
		"user.flash.password":     {"密码已重置。", "Password reset."},
		"user.f.login":            {"登录名", "Login"},
		"user.f.name":             {"姓名", "Name"},
		"user.f.roles":            {"角色", "Roles"},
		"user.f.dept":             {"所属部门", "Department"},
		"user.f.rank":             {"职级", "Rank"},
		"user.f.expertise":        {"专业特长", "Expertise"},
		"user.f.phone":            {"联系电话", "Phone"},
		"user.f.enterprise_id":    {"关联企业编号", "Enterprise ID"},
		"user.f.password":         {"初始密码", "Initial password"},
		"user.f.new_password":     {"新密码", "New password"},
		"user.f.last_login":       {"最近登录", "Last login"},
		"user.f.state":            {"状态", "State"},

		"ind.new":            {"新增行业", "Add an industry"},
		"ind.new.ph":         {"行业名称，如：集成电路", "Industry name, e.g. Integrated circuits"},
		"ind.empty":          {"行业目录为空。", "The list is empty."},
		"ind.hint":           {"已有企业使用的行业不能删除。", "An industry that an enterprise uses cannot be deleted."},
		"ind.delete.confirm": {"确定删除行业“%s”？", "Delete the industry “%s”?"},
		"ind.flash.created":  {"行业已添加。", "Industry added."},
		"ind.flash.deleted":  {"行业已删除。", "Industry deleted."},
		"ind.f.name":         {"行业名称", "Industry"},
		"ind.f.sort":         {"序号", "No."},

		"log.ops.ph":    {"按用户、操作或对象查询", "User, action or object"},
		"log.logins.ph": {"按登录名或IP查询", "Login or IP"},
		"log.empty":     {"没有日志记录。", "No log entries."},
		"log.success":   {"成功", "Success"},
		"log.failure":   {"失败", "Failed"},
		"log.f.at":      {"时间", "Time"},
		"log.f.user":    {"操作人", "User"},
		"log.f.action":  {"操作", "Action"},
		"log.f.object":  {"对象", "Object"},
		"log.f.summary": {"摘要", "Summary"},
		"log.f.ip":      {"IP地址", "IP"},
		"log.f.login":   {"登录名", "Login"},
		"log.f.result":  {"结果", "Result"},
		"log.f.reason":  {"说明", "Reason"},
		"log.f.ua":      {"浏览器", "Browser"},

		"err.not_found":        {"页面不存在", "Not found"},
		"err.not_found.detail": {"您访问的页面或记录不存在，或不在您的数据权限范围内。", "The page or record does not exist or is outside your data scope."},
		"err.forbidden":        {"无权访问", "Forbidden"},
		"err.forbidden.detail": {"您的角色无权进行此操作。如需开通，请联系系统管理员。", "Your role may not do this. Ask an administrator if you need it."},
		"err.internal":         {"内部错误", "Internal error"},
		"err.internal.detail":  {"系统出现内部错误，已记录。请稍后再试。", "Something went wrong and has been logged. Please try again later."},
		"err.invalid":          {"输入有误", "Invalid input"},
		"err.conflict":         {"操作冲突", "Conflict"},
		"err.bad_request":      {"请求有误", "Bad request"},
		"err.too_many":         {"操作过于频繁", "Too many requests"},
		"err.home":             {"返回工作台", "Back to the workbench"},
		"err.back":             {"返回上一页", "Go back"},
	}
	en := map[string]string{
		"admin": "Administrator", "dispatcher": "Dispatch centre", "staff": "Department staff", "cadre": "Liaison cadre",
		"enterprise": "Enterprise user", "graduate": "Graduate", "leader": "Leader",
	}
	for _, r := range zhagen.Roles {
		m["role."+string(r)] = message{r.Label(), en[string(r)]}
	}
	en = map[string]string{"preparing": "Preparing", "operating": "Operating", "suspended": "Suspended", "closed": "Closed"}
	for _, s := range zhagen.EnterpriseStatuses {
		m["ent.status."+string(s)] = message{s.Label(), en[string(s)]}
	}
	en = map[string]string{"gov": "Government", "external": "External unit", "university": "University", "soe": "State-owned company"}
	for _, k := range zhagen.DeptKinds {
		m["dept.kind."+string(k)] = message{k.Label(), en[string(k)]}
	}
	demandCatalogue(m)
	calendarCatalogue(m)
	linkageCatalogue(m)
	talentCatalogue(m)
	consultCatalogue(m)
	ratesCatalogue(m)
	return m
}
