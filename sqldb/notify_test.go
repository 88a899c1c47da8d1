package sqldb_test

import (
	"fmt"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// The bell counts a user's unread messages no further than asked, and
// only the user's own: others' messages and read ones do not count.
func TestCountUnreadStopsAtMax(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		add := func(login string, n int, read bool) {
			for i := range n {
				var at any
				if read {
					at = z.Clock.Now().UTC()
				}
				if _, err := z.DB.SQL().Exec(z.DB.Rebind(`INSERT INTO notifications (user_id, title, body, link, created_at, read_at, kind) VALUES (?, ?, '', '', ?, ?, 'demand.assigned')`),
					z.IDs["user:"+login], fmt.Sprintf("消息 %d", i), z.Clock.Now().UTC(), at); err != nil {
					t.Fatal(err)
				}
			}
		}
		base := map[string]int{}
		for _, login := range []string{"staff", "disp"} {
			n, err := z.Notifications.CountUnread(z.As(login), 1000)
			if err != nil {
				t.Fatal(err)
			}
			base[login] = n
		}
		add("staff", 7, false)
		add("staff", 4, true)
		add("disp", 9, false)
		for _, c := range []struct {
			login     string
			max, want int
		}{{"staff", 1000, base["staff"] + 7}, {"staff", base["staff"] + 3, base["staff"] + 3}, {"disp", 1000, base["disp"] + 9}} {
			if n, err := z.Notifications.CountUnread(z.As(c.login), c.max); err != nil || n != c.want {
				t.Errorf("%s up to %d: %d unread (%v), want %d", c.login, c.max, n, err, c.want)
			}
		}
		if _, n, err := z.Notifications.FindNotifications(z.As("staff"), true, 1); err != nil || n != base["staff"]+7 {
			t.Errorf("the full unread count: %d (%v), want %d", n, err, base["staff"]+7)
		}
	})
}
