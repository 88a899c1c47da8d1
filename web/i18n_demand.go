package web

import "zhagen"

// demandCatalogue adds the messages of the demand, category and
// notification pages to m. Status, priority, channel, rating and action
// names are the domain's Chinese labels with an English translation.
func demandCatalogue(m map[string]message) {
	add := func(kv map[string]message) {
		for k, v := range kv {
			m[k] = v
		}
	}
	add(map[string]message{
		"nav.group.demand":  {"诉求办理", "Demands"},
		"nav.dm_new":        {"提交诉求", "Submit a demand"},
		"nav.dm_mine":       {"我的诉求", "My demands"},
		"nav.dm_board":      {"调度台", "Dispatch board"},
		"nav.dm_inbox":      {"部门待办", "Department inbox"},
		"nav.dm_search":     {"诉求查询", "Search demands"},
		"nav.dm_proxy":      {"代录诉求", "File a demand"},
		"nav.dm_cadre_new":  {"代企业提交", "File for an enterprise"},
		"nav.dm_cadre_mine": {"我提交的", "Filed by me"},
		"nav.categories":    {"诉求类别", "Demand categories"},
		"nav.notifications": {"消息通知", "Notifications"},

		"home.card.dm_submitted": {"待分派诉求", "To assign"},
		"home.card.dm_returned":  {"被退回诉求", "Returned"},
		"home.card.dm_overdue":   {"超期诉求", "Overdue"},
		"home.card.dm_lead":      {"主办待办", "Lead, open"},
		"home.card.dm_coop":      {"协办待办", "Cooperating, open"},
		"home.card.dm_open":      {"办理中的诉求", "Open demands"},
		"home.card.dm_to_rate":   {"待评价诉求", "Awaiting your rating"},

		"dm.sla.response":      {"签收时限", "Acceptance due"},
		"dm.sla.resolution":    {"办结时限", "Resolution due"},
		"dm.sla.late":          {"超期办结", "Resolved late"},
		"dm.sla.response_late": {"签收超期", "Acceptance late"},
		"dm.sla.over":          {"已超 %s", "%s overdue"},
		"dm.sla.left":          {"剩 %s", "%s left"},
		"dm.sla.paused":        {"已暂停", "Paused"},
		"dm.level.ok":          {zhagen.SLAOK.Label(), "On time"},
		"dm.level.yellow":      {zhagen.SLAYellow.Label(), "Warning"},
		"dm.level.red":         {zhagen.SLARed.Label(), "Overdue"},
		"dm.span.d":            {"%d天", "%dd"},
		"dm.span.dh":           {"%d天%d小时", "%dd %dh"},
		"dm.span.h":            {"%d小时", "%dh"},
		"dm.span.m":            {"%d分钟", "%d min"},

		"dm.f.id":             {"编号", "No."},
		"dm.f.title":          {"标题", "Title"},
		"dm.f.enterprise":     {"企业", "Enterprise"},
		"dm.f.category":       {"类别", "Category"},
		"dm.f.lead_dept":      {"主办部门", "Lead department"},
		"dm.f.coop_depts":     {"协办部门", "Cooperating"},
		"dm.f.dept":           {"承办部门", "Department"},
		"dm.f.status":         {"状态", "Status"},
		"dm.f.sla":            {"时限", "SLA"},
		"dm.f.level":          {"时限状态", "SLA level"},
		"dm.f.priority":       {"优先级", "Priority"},
		"dm.f.channel":        {"受理渠道", "Channel"},
		"dm.f.created_at":     {"提交时间", "Submitted"},
		"dm.f.created_range":  {"提交日期", "Submitted between"},
		"dm.f.from":           {"起始日期", "From"},
		"dm.f.to":             {"截止日期", "To"},
		"dm.f.open":           {"办理状态", "Open or done"},
		"dm.f.description":    {"诉求内容", "Description"},
		"dm.f.contact_phone":  {"联系电话", "Contact phone"},
		"dm.f.address":        {"地址", "Address"},
		"dm.f.submitter":      {"提交人", "Submitted by"},
		"dm.f.response_due":   {"签收时限", "Accept by"},
		"dm.f.resolution_due": {"办结时限", "Resolve by"},
		"dm.f.returns":        {"退回次数", "Returns"},
		"dm.f.reopens":        {"重办", "reopened"},
		"dm.f.extension":      {"延期申请", "Extension asked"},
		"dm.f.master":         {"已并入", "Merged into"},
		"dm.f.rating":         {"评价", "Rating"},
		"dm.f.solved":         {"问题是否解决", "Problem solved"},
		"dm.f.comment":        {"评价意见", "Comment"},

		"dm.new":            {"提交诉求", "Submit a demand"},
		"dm.search":         {"关键词", "Keyword"},
		"dm.search.ph":      {"标题、内容、企业名称，或 #编号", "Title, text, enterprise, or #number"},
		"dm.open.yes":       {"办理中", "Open"},
		"dm.open.no":        {"已结束", "Finished"},
		"dm.empty":          {"暂无诉求。", "No demands yet."},
		"dm.empty.filtered": {"没有符合条件的诉求，请调整查询条件。", "No demand matches; change the filters."},
		"dm.ext.tag":        {"延期%d日", "+%d days"},
		"dm.ext.pending":    {"延期申请待审批：%d个工作日", "Extension of %d working days awaits approval"},

		"dm.inbox.lead":  {"主办", "Lead"},
		"dm.inbox.coop":  {"协办", "Cooperating"},
		"dm.inbox.note":  {"办理中的诉求，超期的排在最前", "Open demands, overdue first"},
		"dm.inbox.empty": {"暂无待办诉求。", "Nothing to do."},

		"dm.board.submitted": {"待分派", "To assign"},
		"dm.board.returned":  {"被退回", "Returned"},
		"dm.board.overdue":   {"超期", "Overdue"},
		"dm.board.extension": {"延期申请", "Extension requests"},
		"dm.board.more":      {"全部", "All"},
		"dm.board.review":    {"审批", "Review"},
		"dm.board.supervise": {"督办", "Supervise"},
		"dm.board.assign":    {"分派", "Assign"},
		"dm.board.empty":     {"暂无。", "None."},

		"dm.form.basic":       {"诉求信息", "The demand"},
		"dm.form.questions":   {"补充信息：%s", "More about: %s"},
		"dm.category.hint":    {"选择类别后将显示该类别需要补充的问题", "Choosing a category shows its extra questions"},
		"dm.priority.default": {"按类别默认", "Category default"},
		"dm.title.ph":         {"一句话说明诉求，如：新建厂房需双回路供电", "One line, e.g. the new plant needs a dual-circuit supply"},
		"dm.description.ph":   {"请说明具体情况、已采取的措施和期望的结果", "What happened, what was tried, what you expect"},
		"dm.submit":           {"提交诉求", "Submit"},
		"dm.submit.hint":      {"提交后由指挥中心分派至承办部门，办理进展可在诉求详情中查看。", "The dispatch centre routes it to a department; follow it on the demand's page."},
		"dm.flash.created":    {"诉求已提交。", "Demand submitted."},
		"dm.flash.done":       {"操作已完成。", "Done."},

		"dm.accepted_at":     {"已于 %s 签收", "accepted %s"},
		"dm.resolved_at":     {"已于 %s 办结", "resolved %s"},
		"dm.result":          {"办理结果", "Result"},
		"dm.solved.yes":      {"已解决", "Solved"},
		"dm.solved.no":       {"未解决", "Not solved"},
		"dm.timeline":        {"办理过程", "Timeline"},
		"dm.timeline.empty":  {"暂无记录。", "No events."},
		"dm.internal":        {"内部", "Internal"},
		"dm.linked":          {"关联诉求", "Linked demands"},
		"dm.actions":         {"办理操作", "Actions"},
		"dm.actions.jump":    {"办理操作 ↓", "Actions ↓"},
		"dm.actions.none":    {"当前状态下您没有可执行的操作。", "There is nothing you can do with this demand now."},
		"dm.act.submit":      {"确认%s", "Confirm: %s"},
		"dm.act.note":        {"说明", "Note"},
		"dm.act.accept.hint": {"签收即首次响应，计入响应率。", "Accepting is the first response and counts for the response rate."},
		"dm.act.withdraw.confirm": {"确定撤回该诉求？撤回后不再办理。",
			"Withdraw this demand? It will not be handled any further."},
		"dm.act.update.note":         {"办理进展", "Progress"},
		"dm.act.public":              {"公开（企业可见）", "Public (the enterprise sees it)"},
		"dm.act.internal":            {"内部（仅政府部门可见）", "Internal (government only)"},
		"dm.act.resolve.text":        {"办理结果（答复企业）", "Result (the answer to the enterprise)"},
		"dm.act.pause.note":          {"需企业补充的内容", "What the enterprise must supply"},
		"dm.act.resume.text":         {"补充内容", "Supplement"},
		"dm.act.extend.days":         {"延期天数（工作日）", "Extra working days"},
		"dm.act.extend.reason":       {"延期理由", "Reason"},
		"dm.act.approve.info":        {"申请延期 %d 个工作日。", "Asks for %d more working days."},
		"dm.act.approve.yes":         {"同意", "Approve"},
		"dm.act.approve.no":          {"不同意", "Refuse"},
		"dm.act.return.reason":       {"退回理由", "Why it is not ours"},
		"dm.act.rate.hint":           {"选择“不满意”将退回部门重新办理。", "“Unsatisfied” sends it back to the department."},
		"dm.act.reopen.reason":       {"重新办理的理由", "Why it is reopened"},
		"dm.act.escalate.topic":      {"会商议题", "Consultation topic"},
		"dm.act.merge.target":        {"并入的主诉求编号", "Merge into demand no."},
		"dm.act.link.target":         {"关联的诉求编号", "Link to demand no."},
		"dm.act.merge.confirm":       {"确定将本诉求并入主诉求？合并后本诉求不再单独办理。", "Merge this demand into the other? It will no longer be handled on its own."},
		"dm.flash.assign":            {"诉求已分派。", "Demand assigned."},
		"dm.flash.accept":            {"已签收。", "Accepted."},
		"dm.flash.return":            {"诉求已退回指挥中心。", "Returned to the dispatch centre."},
		"dm.flash.update":            {"办理进展已记录。", "Progress recorded."},
		"dm.flash.pause":             {"已请企业补充材料，时限暂停计时。", "The enterprise was asked for more; the clock is paused."},
		"dm.flash.resume":            {"已补充完毕，恢复办理。", "Supplied; handling resumes."},
		"dm.flash.extend":            {"延期申请已提交。", "Extension requested."},
		"dm.flash.approve_extension": {"延期申请已审批。", "Extension request decided."},
		"dm.flash.resolve":           {"诉求已办结，等待企业评价。", "Resolved; awaiting the enterprise's rating."},
		"dm.flash.rate":              {"感谢您的评价。", "Thank you for your rating."},
		"dm.flash.reopen":            {"诉求已重新办理。", "Demand reopened."},
		"dm.flash.withdraw":          {"诉求已撤回。", "Demand withdrawn."},
		"dm.flash.escalate":          {"已提请会商。", "Sent to a consultation."},
		"dm.flash.merge":             {"诉求已合并。", "Demand merged."},
		"dm.flash.link":              {"已关联诉求。", "Demands linked."},

		"cat.new":             {"新增类别", "New category"},
		"cat.edit":            {"编辑类别", "Edit category"},
		"cat.create":          {"创建类别", "Create category"},
		"cat.empty":           {"暂无诉求类别。", "No categories yet."},
		"cat.hint":            {"类别决定诉求的承办部门、时限和需补充的问题。", "A category sets a demand's departments, time limits and extra questions."},
		"cat.show_archived":   {"显示已停用", "Show archived"},
		"cat.hide_archived":   {"隐藏已停用", "Hide archived"},
		"cat.group.other":     {"其他", "Other"},
		"cat.basic":           {"基本信息", "Basics"},
		"cat.routing":         {"分派规则", "Routing"},
		"cat.code.hint":       {"小写字母开头，如 power.supply", "Lower case first, e.g. power.supply"},
		"cat.keywords.ph":     {"如：供电、双回路、电力增容", "e.g. power, dual circuit"},
		"cat.lead.none":       {"（由指挥中心分派）", "(the dispatch centre assigns)"},
		"cat.lead.hint":       {"设置后新诉求直接分派给该部门", "New demands go straight to this department"},
		"cat.auto_close.hint": {"办结后企业未评价，满该天数自动关闭", "Closed automatically when not rated within these days"},
		"cat.archive":         {"停用该类别（不再用于新诉求）", "Archive (no new demands)"},
		"cat.sla.priority":    {"优先级", "Priority"},
		"cat.sla.response":    {"签收时限", "Accept within"},
		"cat.sla.resolution":  {"办结时限", "Resolve within"},
		"cat.sla.hint":        {"按工作时间计算：节假日不计，调休上班日计入；等待企业补充时暂停。", "Counted in working time: holidays excluded, make-up workdays included; paused while waiting for the enterprise."},
		"cat.unit.days":       {"个工作日", "working days"},
		"cat.unit.hours":      {"个工作小时", "working hours"},
		"cat.q.code":          {"编码", "Code"},
		"cat.q.label":         {"问题", "Question"},
		"cat.q.type":          {"类型", "Type"},
		"cat.q.required":      {"必填", "Required"},
		"cat.q.options":       {"选项", "Options"},
		"cat.q.options.ph":    {"单选/多选：每行一项，如 yes=是", "Lists: one per line, e.g. yes=Yes"},
		"cat.q.hint":          {"编码、问题都留空的行会被忽略。选项每行写作“键=名称”。", "Rows without code and question are ignored. Write options as key=name, one per line."},
		"cat.q.add":           {"再加3行", "Add 3 rows"},
		"cat.err.auto_close":  {"自动关闭天数须为整数", "Auto-close days must be a whole number"},
		"cat.err.sla":         {"时限须为整数", "Time limits must be whole numbers"},
		"cat.flash.created":   {"类别已创建。", "Category created."},
		"cat.flash.updated":   {"类别已保存。", "Category saved."},
		"cat.conflict": {"保存失败：类别“%s”已被他人修改（当前版本 %d）。下方保留了您的填写，核对后再次保存将以您的填写为准。",
			"Not saved: someone else changed the category “%s” (now version %d). The form keeps your values; saving again overwrites."},
		"cat.f.code":             {"编码", "Code"},
		"cat.f.name":             {"类别名称", "Name"},
		"cat.f.group":            {"分组", "Group"},
		"cat.f.description":      {"说明", "Description"},
		"cat.f.keywords":         {"关键词", "Keywords"},
		"cat.f.lead_dept":        {"默认主办部门", "Lead department"},
		"cat.f.coop_depts":       {"默认协办部门", "Cooperating departments"},
		"cat.f.default_priority": {"默认优先级", "Default priority"},
		"cat.f.sla":              {"办理时限", "Time limits"},
		"cat.f.auto_close_days":  {"自动关闭天数", "Auto-close days"},
		"cat.f.questions":        {"补充问题", "Extra questions"},

		"ntf.read_all":   {"全部标为已读", "Mark all read"},
		"ntf.mark_read":  {"标为已读", "Mark read"},
		"ntf.summary":    {"最近 %d 条消息，%d 条未读", "%d recent messages, %d unread"},
		"ntf.unread":     {"未读", "Unread"},
		"ntf.unread_n":   {"%d 条未读", "%d unread"},
		"ntf.empty":      {"暂无消息。", "No messages."},
		"ntf.flash.read": {"消息已标为已读。", "Marked as read."},
	})

	en := map[string]string{"submitted": "To assign", "assigned": "To accept", "returned": "Returned", "accepted": "Accepted",
		"in_progress": "In progress", "waiting": "Waiting for enterprise", "escalated": "In consultation",
		"resolved": "Resolved, to rate", "closed": "Closed", "withdrawn": "Withdrawn", "merged": "Merged"}
	for _, s := range zhagen.DemandStatuses {
		m["dm.status."+string(s)] = message{s.Label(), en[string(s)]}
	}
	en = map[string]string{"low": "Routine", "normal": "Elevated", "high": "Urgent", "urgent": "Critical"}
	for _, p := range zhagen.Priorities {
		m["dm.priority."+string(p)] = message{p.Label(), en[string(p)]}
	}
	en = map[string]string{"visit": "Visit", "portal": "Portal", "dispatcher": "Dispatch centre", "hotline": "Hotline",
		"api": "API", "open311": "Open311"}
	for _, c := range zhagen.Channels {
		m["dm.channel."+string(c)] = message{c.Label(), en[string(c)]}
	}
	en = map[string]string{"satisfied": "Satisfied", "basically": "Mostly satisfied", "unsatisfied": "Unsatisfied"}
	for _, r := range []zhagen.Rating{zhagen.RatingSatisfied, zhagen.RatingBasically, zhagen.RatingUnsatisfied} {
		m["dm.rating."+string(r)] = message{r.Label(), en[string(r)]}
	}
	en = map[string]string{"submit": "Submit", "assign": "Assign", "accept": "Accept", "return": "Return", "update": "Progress",
		"pause": "Ask for more", "resume": "Supplied", "extend": "Ask for extension", "approve_extension": "Decide extension",
		"resolve": "Resolve", "rate": "Rate", "reopen": "Reopen", "withdraw": "Withdraw", "escalate": "Escalate",
		"merge": "Merge", "link": "Link", "close": "Close", "sla_warning": "SLA warning"}
	for _, a := range append([]zhagen.Action{zhagen.ActSubmit, zhagen.ActClose, zhagen.ActWarn}, zhagen.WorkflowActions...) {
		m["dm.action."+string(a)] = message{a.Label(), en[string(a)]}
	}
	en = map[string]string{"string": "Text", "number": "Number", "datetime": "Date and time", "text": "Long text",
		"singlevaluelist": "Single choice", "multivaluelist": "Multiple choice"}
	for _, q := range zhagen.QuestionTypes {
		m["cat.qtype."+string(q)] = message{q.Label(), en[string(q)]}
	}
}
