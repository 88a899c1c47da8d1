package sla_test

import (
	"fmt"
	"time"

	"zhagen/sla"
)

// A demand submitted on 2026-09-30 at 16:00 with three working days to
// resolve it skips the National Day holiday and ends on the make-up
// workday of Saturday October 10.
func ExampleCalendar_Due() {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 9, 30, 16, 0, 0, 0, sla.Location)
	due := cal.Due(start, sla.Duration{Amount: 3, Unit: sla.Days})
	working, name := cal.DayInfo(sla.DateOf(due))
	fmt.Println(due.Format(time.RFC3339), working, name)
	// Output: 2026-10-10T16:00:00+08:00 true 国庆节调休
}

// A demand that waits for the enterprise keeps the working time it had
// left when it paused and gets it back when the enterprise answers.
func ExampleCalendar_AddWorking() {
	cal, _ := sla.NewCalendar(sla.Config{})
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, sla.Location) // Monday
	budget := cal.WorkingTime(sla.Duration{Amount: 1, Unit: sla.Days})
	due := cal.AddWorking(start, budget)
	fmt.Println("due", due.Format("01-02 15:04"), cal.LevelAt(due.Add(-time.Hour), due, budget))

	// Waiting for the enterprise from Monday 10:00 to Tuesday 10:00.
	paused := time.Date(2026, 11, 23, 10, 0, 0, 0, sla.Location)
	resumed := time.Date(2026, 11, 24, 10, 0, 0, 0, sla.Location)
	due = cal.AddWorking(resumed, cal.WorkingBetween(paused, due))
	fmt.Println("due", due.Format("01-02 15:04"), cal.LevelAt(due.Add(-time.Hour), due, budget))
	// Output:
	// due 11-24 09:00 yellow
	// due 11-25 09:00 yellow
}
