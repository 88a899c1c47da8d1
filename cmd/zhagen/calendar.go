package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/sla"
)

const calendarUsage = `用法：
  zhagen calendar show YYYY-MM                            列出该月每天是否为工作日及节假日名称
  zhagen calendar due --from 时间 (--days N | --hours N)   计算 SLA 到期时间
时间用 RFC 3339 格式，如 2026-09-30T16:00:00+08:00；不写时区时按北京时间。
工作日按国务院放假调休安排（含调休上班日）计算，时限只计办公时间。`

// calendarCmd runs "zhagen calendar …" on the statutory calendar with
// the default office hours.
func calendarCmd(args []string, stdout io.Writer) error {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		return err
	}
	return runCalendar(cal, args, stdout)
}

// runCalendar runs a calendar subcommand on cal, which may carry the
// administrators' overrides.
func runCalendar(cal *sla.Calendar, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("缺少子命令 show 或 due\n" + calendarUsage)
	}
	switch args[0] {
	case "show":
		return calendarShow(cal, args[1:], stdout)
	case "due":
		return calendarDue(cal, args[1:], stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, calendarUsage)
		return nil
	}
	return fmt.Errorf("未知的子命令 %q，应为 show 或 due\n%s", args[0], calendarUsage)
}

// parseCalendarFlags parses args with fs and returns errors in Chinese;
// done is true when help was asked for and printed.
func parseCalendarFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (done bool, err error) {
	fs.SetOutput(io.Discard)
	err = fs.Parse(args)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, calendarUsage)
		return true, nil
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "未知参数 " + name
	} else if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		msg = "参数 " + name + " 需要一个值"
	}
	return false, fmt.Errorf("参数错误：%s\n%s", msg, calendarUsage)
}

func calendarShow(cal *sla.Calendar, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("zhagen calendar show", flag.ContinueOnError)
	if done, err := parseCalendarFlags(fs, args, stdout); done || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("请给出一个月份，如 zhagen calendar show 2026-10")
	}
	m, err := time.Parse("2006-01", fs.Arg(0))
	if err != nil {
		return fmt.Errorf("月份格式无效：%q，应为 YYYY-MM，如 2026-10", fs.Arg(0))
	}
	first := sla.Date{Year: m.Year(), Month: m.Month(), Day: 1}
	fmt.Fprintf(stdout, "%d年%d月工作日历（办公时间 %s，北京时间）\n", first.Year, int(first.Month), officeHours(cal))
	if !cal.Covers(first.Year) {
		fmt.Fprintf(stdout, "注意：日历中没有 %d 年的法定节假日安排，本月只按周末计算；如已公布，请管理员按通知补录。\n", first.Year)
	}
	var working, off int
	for d := first; d.Month == first.Month; d = d.AddDays(1) {
		ok, name := cal.DayInfo(d)
		status := "休息日"
		if ok {
			status = "工作日"
			working++
		} else {
			off++
		}
		fmt.Fprintln(stdout, strings.TrimSpace(fmt.Sprintf("%s  %s  %s  %s", d, weekdayName(d.Weekday()), status, name)))
	}
	fmt.Fprintf(stdout, "共 %d 天：工作日 %d 天，休息日 %d 天。\n", working+off, working, off)
	return nil
}

func calendarDue(cal *sla.Calendar, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("zhagen calendar due", flag.ContinueOnError)
	fromS := fs.String("from", "", "起算时间（提交时间），RFC 3339")
	daysS := fs.String("days", "", "时限：工作日数")
	hoursS := fs.String("hours", "", "时限：工作小时数")
	if done, err := parseCalendarFlags(fs, args, stdout); done || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["from"] {
		return errors.New("请用 --from 给出起算时间，如 --from 2026-09-30T16:00:00+08:00")
	}
	from, err := parseInstant(*fromS)
	if err != nil {
		return err
	}
	var d sla.Duration
	switch {
	case set["days"] && set["hours"]:
		return errors.New("--days 与 --hours 只能给出一个")
	case set["days"]:
		d, err = parseAmount("--days", *daysS, sla.Days)
	case set["hours"]:
		d, err = parseAmount("--hours", *hoursS, sla.Hours)
	default:
		return errors.New("请用 --days N（工作日）或 --hours N（工作小时）给出时限")
	}
	if err != nil {
		return err
	}

	due := cal.Due(from, d)
	fmt.Fprintln(stdout, due.Format(time.RFC3339))
	local := from.In(zhagen.Shanghai)
	fmt.Fprintf(stdout, "自 %s（%s）起 %s，按办公时间 %s 共计 %s，到期时间为 %s（%s）。\n",
		local.Format("2006-01-02 15:04"), weekdayName(local.Weekday()), d, officeHours(cal),
		hoursMinutes(cal.WorkingTime(d)), due.Format("2006-01-02 15:04"), dayLabel(cal, sla.DateOf(due)))
	if cal.WorkingBetween(from, from.Add(time.Nanosecond)) == 0 {
		fmt.Fprintln(stdout, "提交时不在办公时间内，从下一个办公时段起算。")
	}
	if offs := daysOff(cal, sla.DateOf(from), sla.DateOf(due)); offs != "" {
		fmt.Fprintln(stdout, "期间休息日："+offs+"。")
	}
	for y := local.Year(); y <= due.Year(); y++ {
		if !cal.Covers(y) {
			fmt.Fprintf(stdout, "注意：日历中没有 %d 年的法定节假日安排，该年只按周末计算，结果可能不准。\n", y)
		}
	}
	return nil
}

// parseInstant reads RFC 3339, or a time without zone in Beijing time.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, zhagen.Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--from 时间格式无效：%q，应为 RFC 3339，如 2026-09-30T16:00:00+08:00", s)
}

func parseAmount(flagName, s string, unit sla.Unit) (sla.Duration, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return sla.Duration{}, fmt.Errorf("%s 须为正整数，而不是 %q", flagName, s)
	}
	d := sla.Duration{Amount: n, Unit: unit}
	if err := d.Validate(); err != nil {
		return sla.Duration{}, fmt.Errorf("%s：%s", flagName, zhagen.ErrorMessage(err))
	}
	return d, nil
}

// daysOff lists the days off from a to b (inclusive), consecutive days of
// the same name as one range, at most ten ranges.
func daysOff(cal *sla.Calendar, a, b sla.Date) string {
	type span struct {
		from, to sla.Date
		name     string
	}
	var spans []span
	for d := a; d != b.AddDays(1); d = d.AddDays(1) {
		working, name := cal.DayInfo(d)
		if working {
			continue
		}
		if n := len(spans); n > 0 && spans[n-1].name == name && spans[n-1].to.AddDays(1) == d {
			spans[n-1].to = d
			continue
		}
		spans = append(spans, span{d, d, name})
	}
	const most = 10
	var parts []string
	for i, s := range spans {
		if i == most {
			parts = append(parts, fmt.Sprintf("等共 %d 段", len(spans)))
			break
		}
		if s.from == s.to {
			parts = append(parts, fmt.Sprintf("%s（%s）", s.from, s.name))
		} else {
			parts = append(parts, fmt.Sprintf("%s 至 %s（%s）", s.from, s.to, s.name))
		}
	}
	return strings.Join(parts, "，")
}

func dayLabel(cal *sla.Calendar, d sla.Date) string {
	working, name := cal.DayInfo(d)
	label := weekdayName(d.Weekday())
	if name != "" {
		label += "，" + name
	}
	if !working {
		label += "，休息日"
	}
	return label
}

func officeHours(cal *sla.Calendar) string {
	var parts []string
	for _, p := range cal.OfficeHours() {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, "、")
}

func hoursMinutes(d time.Duration) string {
	s := fmt.Sprintf("%d小时", int(d/time.Hour))
	if m := int(d % time.Hour / time.Minute); m > 0 {
		s += fmt.Sprintf("%d分钟", m)
	}
	return s
}

func weekdayName(wd time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[wd]
}
