package web

// calendarCatalogue adds the messages of the working-calendar page to m.
func calendarCatalogue(m map[string]message) {
	for k, v := range map[string]message{
		"nav.calendar": {"工作日历", "Working calendar"},

		"cal.months":      {"切换月份", "Months"},
		"cal.prev":        {"上个月", "Previous month"},
		"cal.next":        {"下个月", "Next month"},
		"cal.this_month":  {"本月", "This month"},
		"cal.pick":        {"选择月份", "Pick a month"},
		"cal.go":          {"查看", "Show"},
		"cal.summary":     {"本月工作日 %d 天，休息日 %d 天", "%d working days, %d days off"},
		"cal.not_covered": {"尚未收录 %d 年的法定节假日安排，该年暂按周末计算；国务院公布后可逐日添加调整。", "The statutory holidays of %d are not known yet, so only weekends are days off; add overrides once the State Council publishes them."},
		"cal.wd.mon":      {"周一", "Mon"},
		"cal.wd.tue":      {"周二", "Tue"},
		"cal.wd.wed":      {"周三", "Wed"},
		"cal.wd.thu":      {"周四", "Thu"},
		"cal.wd.fri":      {"周五", "Fri"},
		"cal.wd.sat":      {"周六", "Sat"},
		"cal.wd.sun":      {"周日", "Sun"},
		"cal.work":        {"工作日", "Working day"},
		"cal.rest":        {"休息日", "Day off"},
		"cal.work.short":  {"班", "W"},
		"cal.rest.short":  {"休", "Off"},
		"cal.overridden":  {"管理员调整", "Override"},

		"cal.legend.weekend": {"周末", "Weekend"},
		"cal.legend.holiday": {"法定节假日", "Public holiday"},
		"cal.legend.makeup":  {"调休上班", "Make-up working day"},

		"cal.add":            {"添加日历调整", "Add an override"},
		"cal.f.date":         {"日期", "Date"},
		"cal.f.working":      {"调整为", "Make it"},
		"cal.f.name":         {"调整原因", "Reason"},
		"cal.f.by":           {"调整人", "By"},
		"cal.f.at":           {"调整时间", "When"},
		"cal.set_work":       {"设为工作日", "A working day"},
		"cal.set_rest":       {"设为休息日", "A day off"},
		"cal.name.ph":        {"如：台风停工、补班", "e.g. Typhoon closure"},
		"cal.save":           {"保存调整", "Save override"},
		"cal.form.hint":      {"调整优先于法定安排，并立即用于诉求办理时限的计算。同一日期再次保存将替换原有调整。", "An override wins over the statutory schedule and counts at once for demand deadlines. Saving a date again replaces its override."},
		"cal.err.working":    {"请选择设为工作日或休息日", "Choose a working day or a day off"},
		"cal.list":           {"日历调整记录", "Overrides"},
		"cal.list.hint":      {"删除调整即恢复该日的法定安排。", "Deleting an override restores the statutory schedule of the day."},
		"cal.list.hint.view": {"调整由管理员维护，优先于法定安排。", "Administrators keep the overrides; they win over the statutory schedule."},
		"cal.empty":          {"暂无调整，日历按法定节假日和周末计算。", "No overrides: the calendar follows the statutory holidays and weekends."},
		"cal.delete.confirm": {"确定删除 %s 的调整“%s”？该日将恢复法定安排。", "Delete the override of %s (“%s”)? The day goes back to the statutory schedule."},
		"cal.flash.saved":    {"日历调整已保存。", "Override saved."},
		"cal.flash.deleted":  {"日历调整已删除，该日恢复法定安排。", "Override deleted; the day follows the statutory schedule again."},
	} {
		m[k] = v
	}
}
