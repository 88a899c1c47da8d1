package main

import (
	"bytes"
	"strings"
	"testing"

	"zhagen/sla"
)

func calendarOut(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := calendarCmd(args, &out)
	return out.String(), err
}

func TestCalendarShow(t *testing.T) {
	out, err := calendarOut(t, "show", "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "2026-10-") {
			days = append(days, line)
		}
	}
	if len(days) != 31 {
		t.Fatalf("%d day lines, want 31:\n%s", len(days), out)
	}
	for i, want := range map[int]string{
		0:  "2026-10-01  周四  休息日  国庆节",
		6:  "2026-10-07  周三  休息日  国庆节",
		7:  "2026-10-08  周四  工作日",
		9:  "2026-10-10  周六  工作日  国庆节调休",
		10: "2026-10-11  周日  休息日  周末",
		11: "2026-10-12  周一  工作日",
	} {
		if days[i] != want {
			t.Errorf("line %d = %q, want %q", i, days[i], want)
		}
	}
	for _, want := range []string{"08:30–12:00、14:30–17:30", "工作日 18 天，休息日 13 天"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "注意") {
		t.Errorf("2026 is covered, yet:\n%s", out)
	}

	out, err = calendarOut(t, "show", "2026-02")
	if err != nil || !strings.Contains(out, "2026-02-14  周六  工作日  春节调休") || !strings.Contains(out, "2026-02-28  周六  工作日  春节调休") {
		t.Errorf("show 2026-02: %v\n%s", err, out)
	}
	out, err = calendarOut(t, "show", "2099-01")
	if err != nil || !strings.Contains(out, "没有 2099 年的法定节假日安排") {
		t.Errorf("show 2099-01 gives no warning: %v\n%s", err, out)
	}
}

func TestCalendarDue(t *testing.T) {
	tests := []struct {
		args []string
		want []string // the first is the first line
	}{
		{[]string{"--from", "2026-09-30T16:00:00+08:00", "--days", "3"},
			[]string{"2026-10-10T16:00:00+08:00", "3个工作日", "19小时30分钟", "2026-10-10 16:00（周六，国庆节调休）",
				"2026-10-01 至 2026-10-07（国庆节）"}},
		{[]string{"--from=2026-09-30T08:00:00Z", "--hours=4"}, []string{"2026-10-08T11:00:00+08:00", "4个工作小时"}},
		{[]string{"--hours", "4", "--from", "2026-09-30 16:00"}, []string{"2026-10-08T11:00:00+08:00"}},
		{[]string{"--from", "2026-11-20T18:00:00+08:00", "--days", "1"},
			[]string{"2026-11-23T17:30:00+08:00", "不在办公时间内", "2026-11-21 至 2026-11-22（周末）"}},
		{[]string{"--from", "2026-02-14T10:00:00+08:00", "--days", "5"}, []string{"2026-02-28T10:00:00+08:00"}},
		{[]string{"--from", "2027-12-30T10:00:00+08:00", "--days", "3"}, []string{"2028-01-04T10:00:00+08:00", "没有 2028 年"}},
	}
	for _, tt := range tests {
		out, err := calendarOut(t, append([]string{"due"}, tt.args...)...)
		if err != nil {
			t.Errorf("due %v: %v", tt.args, err)
			continue
		}
		if first, _, _ := strings.Cut(out, "\n"); first != tt.want[0] {
			t.Errorf("due %v: first line %q, want %q", tt.args, first, tt.want[0])
		}
		for _, want := range tt.want[1:] {
			if !strings.Contains(out, want) {
				t.Errorf("due %v: output lacks %q:\n%s", tt.args, want, out)
			}
		}
	}
}

func TestCalendarErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "缺少子命令"},
		{[]string{"week"}, "未知的子命令"},
		{[]string{"show"}, "请给出一个月份"},
		{[]string{"show", "2026-13"}, "月份格式无效"},
		{[]string{"show", "2026-10", "2026-11"}, "请给出一个月份"},
		{[]string{"due", "--days", "3"}, "--from"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00"}, "--days N"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00", "--days", "3", "--hours", "4"}, "只能给出一个"},
		{[]string{"due", "--from", "30/09/2026", "--days", "3"}, "--from 时间格式无效"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00", "--days", "three"}, "--days 须为正整数"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00", "--days", "0"}, "时限须为 1 到 1000"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00", "--hours", "1001"}, "时限须为 1 到 1000"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00", "--weeks", "1"}, "未知参数 -weeks"},
		{[]string{"due", "--from"}, "参数 -from 需要一个值"},
		{[]string{"due", "--from", "2026-09-30T16:00:00+08:00", "--days", "3", "extra"}, "多余的参数"},
	}
	for _, tt := range tests {
		out, err := calendarOut(t, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("calendar %v: err = %v, want one mentioning %q", tt.args, err, tt.want)
		}
		if out != "" && !strings.HasPrefix(tt.args[0], "show") {
			t.Errorf("calendar %v printed %q on error", tt.args, out)
		}
	}
}

func TestCalendarHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"show", "-h"}, {"due", "--help"}} {
		out, err := calendarOut(t, args...)
		if err != nil || !strings.Contains(out, "zhagen calendar due") {
			t.Errorf("calendar %v: %v %q", args, err, out)
		}
	}
}

func TestCalendarOverrides(t *testing.T) {
	cal, err := sla.NewCalendar(sla.Config{Overrides: map[sla.Date]sla.Override{{Year: 2026, Month: 10, Day: 10}: {Working: false, Name: "台风停工"}}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runCalendar(cal, []string{"show", "2026-10"}, &out); err != nil || !strings.Contains(out.String(), "2026-10-10  周六  休息日  台风停工") {
		t.Errorf("%v\n%s", err, out.String())
	}
}
