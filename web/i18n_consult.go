package web

import "zhagen"

// consultCatalogue adds the messages of the consultation, action item and
// key project pages to m.
func consultCatalogue(m map[string]message) {
	for k, v := range map[string]message{
		"nav.group.projects":    {"重点项目与会商", "Projects & consultations"},
		"nav.project_overview":  {"项目总览", "Project overview"},
		"nav.projects":          {"重点项目", "Key projects"},
		"nav.consultations":     {"会商会议", "Consultations"},
		"nav.action_items":      {"会商事项", "Action items"},
		"nav.my_action_items":   {"本部门会商事项", "Our action items"},
		"nav.approvals":         {"项目审批", "Approvals"},
		"dm.channel.project":    {"重点项目", "Key project"},
		"dm.action.waive_items": {"准予先行办结", "Waive action items"},
		"dm.act.waive.reason":   {"准予理由（记入办理记录）", "Reason (recorded on the timeline)"},
		"dm.act.waive.hint":     {"会商事项未全部完成时，指挥中心可准予主办部门先行办结。", "Lets the lead department resolve before all action items are done."},
		"dm.flash.waive_items":  {"已准予先行办结。", "Action items waived."},

		"home.card.cs_items":   {"会商待办事项", "Action items to do"},
		"home.card.cs_overdue": {"逾期会商事项", "Overdue action items"},
		"home.card.cs_meet":    {"待召开会商", "Upcoming meetings"},
		"home.items":           {"我的会商事项", "My action items"},

		"cs.new":                  {"召集会商", "Call a consultation"},
		"cs.search.ph":            {"议题或纪要", "Topic or minutes"},
		"cs.f.kind":               {"会议类型", "Kind"},
		"cs.f.title":              {"会议议题", "Topic"},
		"cs.f.status":             {"状态", "Status"},
		"cs.f.starts_at":          {"会议时间", "Time"},
		"cs.f.place":              {"会议地点", "Place"},
		"cs.f.convener":           {"召集人", "Convener"},
		"cs.f.project":            {"重点项目", "Key project"},
		"cs.f.demands":            {"关联诉求", "Linked demands"},
		"cs.f.demands.hint":       {"诉求编号，多个用逗号分隔，如 12, 15", "Demand numbers, comma separated"},
		"cs.f.agenda":             {"会议议程", "Agenda"},
		"cs.f.minutes":            {"会议纪要", "Minutes"},
		"cs.f.decisions":          {"会议决定", "Decisions"},
		"cs.f.invite":             {"邀请部门", "Invite departments"},
		"cs.f.invite_people":      {"邀请人员", "Invite people"},
		"cs.f.invite_people.hint": {"按住 Ctrl（或 ⌘）可多选，如点对点联系干部、分管领导。", "Hold Ctrl (or ⌘) to pick several, e.g. the liaison cadre."},
		"cs.f.invitees":           {"参会单位与人员", "Invitees"},
		"cs.f.open_items":         {"未完成事项", "Open items"},
		"cs.none":                 {"暂无会商记录。", "No consultations."},
		"cs.attend":               {"确认参会", "Confirm attendance"},
		"cs.decline":              {"请假", "Send apologies"},
		"cs.my_invite":            {"您（或本部门）受邀参加本次会商：%s", "You (or your department) are invited: %s"},
		"cs.edit":                 {"编辑会议记录", "Edit the record"},
		"cs.add_invite":           {"追加邀请部门", "Invite more departments"},
		"cs.items":                {"会商事项", "Action items"},
		"cs.items.none":           {"尚未布置会商事项。", "No action items yet."},
		"cs.item.add":             {"布置事项", "Add an action item"},
		"cs.item.title":           {"事项内容", "Task"},
		"cs.item.owner":           {"责任部门", "Owner department"},
		"cs.item.assignee":        {"经办人", "Assignee"},
		"cs.item.due_days":        {"办理时限（工作日）", "Due in (working days)"},
		"cs.item.due":             {"办理时限", "Due"},
		"cs.item.status":          {"状态", "Status"},
		"cs.item.evidence":        {"办结说明与佐证", "Evidence"},
		"cs.item.consult":         {"来源会商", "Consultation"},
		"cs.item.complete":        {"办结", "Complete"},
		"cs.item.note":            {"办结说明", "What was done"},
		"cs.item.file":            {"佐证材料（可选）", "Evidence file (optional)"},
		"cs.item.cancel":          {"取消事项", "Cancel item"},
		"cs.item.reason":          {"取消理由", "Reason"},
		"cs.item.file_dl":         {"下载佐证", "Download evidence"},
		"cs.print":                {"打印纪要", "Print minutes"},
		"cs.docx":                 {"导出 Word", "Export Word"},
		"cs.minutes_title":        {"%s会议纪要", "Minutes of the %s"},
		"cs.pending":              {"未完成", "Not done"},
		"cs.items.empty":          {"没有符合条件的会商事项。", "No action items."},
		"cs.err.time":             {"时间格式应为 2026-11-02 15:00", "Use a time like 2026-11-02 15:00"},
		"cs.flash.created":        {"会商已创建，受邀部门已收到通知。", "Consultation created; invitees notified."},
		"cs.flash.saved":          {"会议记录已保存。", "Record saved."},
		"cs.flash.attend":         {"已回复参会邀请。", "Answer sent."},
		"cs.flash.item":           {"事项已布置，责任部门已收到通知。", "Action item added; owner notified."},
		"cs.flash.done":           {"事项已办结。", "Action item completed."},
		"cs.flash.cancelled":      {"事项已取消。", "Action item cancelled."},
		"cs.search":               {"查询", "Search"},
		"cs.upcoming":             {"待召开", "Upcoming"},

		"pj.new":              {"登记重点项目", "Register a key project"},
		"pj.edit":             {"编辑项目", "Edit project"},
		"pj.form.basic":       {"项目信息", "Project"},
		"pj.owner.dept":       {"区属国企 / 部门", "Zone company or department"},
		"pj.owner.enterprise": {"企业", "Enterprise"},
		"pj.f.area":           {"片区", "Area"},
		"pj.f.building":       {"楼栋", "Building"},
		"pj.err.investment":   {"总投资须为数字（万元）", "Investment must be a number"},
		"pj.flash.created":    {"重点项目已登记。", "Key project registered."},
		"pj.f.name":           {"项目名称", "Project"},
		"pj.f.level":          {"级别", "Level"},
		"pj.f.owner":          {"业主单位", "Owner"},
		"pj.f.industry":       {"行业", "Industry"},
		"pj.f.investment":     {"总投资（万元）", "Investment (10k CNY)"},
		"pj.f.site":           {"建设地点", "Site"},
		"pj.f.liaison":        {"点对点联系干部", "Point-to-point liaison"},
		"pj.f.status":         {"项目阶段", "Stage"},
		"pj.f.progress":       {"节点进度", "Progress"},
		"pj.f.behind":         {"滞后节点", "Behind plan"},
		"pj.f.open_appr":      {"在办审批", "Approvals pending"},
		"pj.f.description":    {"项目简介", "Description"},
		"pj.search.ph":        {"项目名称或行业", "Name or industry"},
		"pj.none":             {"暂无重点项目。", "No key projects."},
		"pj.timeline":         {"节点计划与进度", "Milestones"},
		"pj.timeline.none":    {"尚未录入节点。", "No milestones yet."},
		"pj.legend.plan":      {"计划", "Planned"},
		"pj.legend.actual":    {"实际", "Actual"},
		"pj.legend.late":      {"滞后", "Late"},
		"pj.legend.today":     {"今天", "Today"},
		"pj.ms.phase":         {"阶段", "Phase"},
		"pj.ms.name":          {"节点", "Milestone"},
		"pj.ms.planned":       {"计划起止", "Planned"},
		"pj.ms.actual":        {"实际起止", "Actual"},
		"pj.ms.progress":      {"进度（%）", "Progress (%)"},
		"pj.ms.planned_start": {"计划开始", "Planned start"},
		"pj.ms.planned_end":   {"计划完成", "Planned end"},
		"pj.ms.actual_start":  {"实际开始", "Actual start"},
		"pj.ms.actual_end":    {"实际完成", "Actual end"},
		"pj.ms.edit":          {"更新节点", "Update a milestone"},
		"pj.ms.which":         {"节点", "Milestone"},
		"pj.ms.new":           {"（新增节点）", "(new milestone)"},
		"pj.ms.behind":        {"滞后", "Behind"},
		"pj.approvals":        {"审批事项", "Approvals"},
		"pj.approvals.none":   {"暂无审批事项。", "No approvals."},
		"pj.ap.kind":          {"审批事项", "Approval"},
		"pj.ap.part":          {"验收部位 / 说明", "Part of the works"},
		"pj.ap.dept":          {"审批部门", "Department"},
		"pj.ap.status":        {"状态", "Status"},
		"pj.col.dates":        {"申报 / 受理 / 办结", "Submitted / accepted / decided"},
		"pj.col.submitted":    {"申报", "Submitted"},
		"pj.col.accepted":     {"受理", "Accepted"},
		"pj.col.decided":      {"办结", "Decided"},
		"pj.ap.wait":          {"已用工作日", "Working days"},
		"pj.ap.file":          {"申报审批", "File an approval"},
		"pj.ap.note":          {"备注", "Note"},
		"pj.ap.accept":        {"受理", "Accept"},
		"pj.ap.approve":       {"通过", "Approve"},
		"pj.ap.reject":        {"不予通过", "Reject"},
		"pj.ap.reject_note":   {"不予通过的理由", "Reason for rejection"},
		"pj.ap.waiting_only":  {"只看在办", "Pending only"},
		"pj.problem":          {"提出问题（转为诉求）", "Raise a problem (as a demand)"},
		"pj.problems":         {"项目问题诉求", "Problems raised"},
		"pj.problems.none":    {"暂无项目问题。", "No problems raised."},
		"pj.consults":         {"项目协调会商", "Coordination meetings"},
		"pj.consults.new":     {"召开项目协调推进会", "Call a coordination meeting"},
		"pj.set_status":       {"调整项目阶段", "Change the stage"},
		"pj.err.date":         {"日期格式应为 2026-11-02", "Use a date like 2026-11-02"},
		"pj.flash.saved":      {"项目已更新。", "Project updated."},
		"pj.flash.milestone":  {"节点已更新。", "Milestone saved."},
		"pj.flash.approval":   {"审批已申报，审批部门已收到通知。", "Approval filed; department notified."},
		"pj.flash.step":       {"审批状态已更新。", "Approval updated."},
		"pj.flash.problem":    {"问题已转为诉求。", "Problem raised as a demand."},
		"pj.ov.behind":        {"滞后节点", "Milestones behind plan"},
		"pj.ov.behind.none":   {"没有滞后的节点。", "Nothing behind plan."},
		"pj.ov.waits":         {"审批等待（按部门，最长工作日）", "Approvals waiting, longest by department"},
		"pj.ov.waits.list":    {"等待最久的审批", "Longest-waiting approvals"},
		"pj.ov.items":         {"件", "items"},
		"pj.ov.days":          {"工作日", "working days"},
		"pj.ov.items_chart":   {"未完成会商事项（按责任部门）", "Open action items by department"},
		"pj.ov.upcoming":      {"近期协调会", "Upcoming meetings"},
		"pj.ov.upcoming.none": {"近期没有待召开的会商。", "No meetings scheduled."},
		"pj.ov.empty":         {"暂无数据", "No data"},
		"pj.ov.all":           {"全部", "All"},
		"pj.behind_only":      {"只看有滞后节点", "Behind plan only"},
	} {
		m[k] = v
	}
	en := map[string]string{"joint": "Joint consultation", "one_enterprise": "One enterprise, one policy", "project_coord": "Project coordination meeting", "topic": "Topical meeting"}
	for _, k := range zhagen.ConsultationKinds {
		m["cs.kind."+string(k)] = message{k.Label(), en[string(k)]}
	}
	en = map[string]string{"planned": "Planned", "held": "Held", "closed": "Closed", "cancelled": "Cancelled"}
	for _, s := range zhagen.ConsultationStatuses {
		m["cs.status."+string(s)] = message{s.Label(), en[string(s)]}
	}
	en = map[string]string{"pending": "To confirm", "yes": "Attending", "declined": "Apologies"}
	for _, s := range []zhagen.Attendance{zhagen.AttendPending, zhagen.AttendYes, zhagen.AttendDeclined} {
		m["cs.att."+string(s)] = message{s.Label(), en[string(s)]}
	}
	en = map[string]string{"open": "Open", "overdue": "Overdue", "done": "Done", "cancelled": "Cancelled"}
	for _, s := range zhagen.ActionItemStatuses {
		m["cs.item."+string(s)] = message{s.Label(), en[string(s)]}
	}
	en = map[string]string{"provincial": "Provincial", "municipal": "Municipal", "district": "District"}
	for _, l := range zhagen.ProjectLevels {
		m["pj.level."+string(l)] = message{l.Label(), en[string(l)]}
	}
	en = map[string]string{"prep": "Preparation", "building": "Under construction", "nearly_done": "Nearly complete", "fit_out": "Fit-out",
		"completed": "Completed", "in_operation": "In use"}
	for _, s := range zhagen.ProjectStatuses {
		m["pj.status."+string(s)] = message{s.Label(), en[string(s)]}
	}
	en = map[string]string{"project_approval": "Project approval", "planning_permit": "Planning permit", "construction_permit": "Construction permit",
		"plan_change": "Design change", "planning_acceptance": "Planning acceptance", "fire_acceptance": "Fire acceptance",
		"completion": "Completion acceptance", "staged_acceptance": "Staged acceptance"}
	for _, k := range zhagen.ApprovalKinds {
		m["pj.kind."+string(k)] = message{k.Label(), en[string(k)]}
	}
	en = map[string]string{"submitted": "Submitted", "accepted": "Accepted", "approved": "Approved", "rejected": "Rejected", "withdrawn": "Withdrawn"}
	for _, s := range zhagen.ApprovalStatuses {
		m["pj.ap."+string(s)] = message{s.Label(), en[string(s)]}
	}
}
