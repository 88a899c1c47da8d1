package zhagen

import (
	"strings"
	"testing"
	"time"
)

// channelGrid is the grid of the outside channel permissions (the
// columns of policy_grid_test.go's gridFacts).
var channelGrid = permGrid{
	PermChannelView:   {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermChannelEdit:   {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermChannelTest:   {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermDeliveryView:  {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermDeliveryRetry: {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermPushPrefs:     {gSelf, gSelf, gSelf, gSelf, gSelf, gSelf, gSelf, gSelf},
}

// TestChannelPolicyGrid: channels and deliveries are the administrators'
// alone; everybody chooses their own personal channels and nobody
// another's.
func TestChannelPolicyGrid(t *testing.T) {
	for p := range channelRules {
		if _, ok := channelGrid[p]; !ok {
			t.Errorf("%s has no row in the grid", p)
		}
	}
	for p, rows := range channelGrid {
		for i, role := range gridRoles {
			want := strings.ReplaceAll(rows[i], " ", "")
			a := gridActor(role)
			for j, c := range gridFacts {
				if got := Can(a, p, c.f); got != (want[j] == 'Y') {
					t.Errorf("%s: %s on %s: Can = %v", p, role, c.name, got)
				}
			}
		}
	}
}

// TestRouteAndQuietHours: a notice goes to the group channels that
// forward its group and severity and to the users who chose a personal
// channel for its group; in the quiet hours it waits for 07:30 unless
// urgent; a digest waits for 08:00.
func TestRouteAndQuietHours(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 2, h, m, 0, 0, Shanghai) }
	if got := ReleaseAt(at(23, 0), SeverityInfo); !got.Equal(time.Date(2026, 11, 3, 7, 30, 0, 0, Shanghai)) {
		t.Errorf("23:00 released at %v", got)
	}
	if got := ReleaseAt(at(6, 0), SeverityWarning); !got.Equal(at(7, 30)) {
		t.Errorf("06:00 released at %v", got)
	}
	for _, tm := range []time.Time{at(7, 30), at(12, 0), at(21, 59)} {
		if got := ReleaseAt(tm, SeverityInfo); !got.Equal(tm) {
			t.Errorf("%v released at %v", tm, got)
		}
	}
	if got := ReleaseAt(at(23, 0), SeverityUrgent); !got.Equal(at(23, 0)) {
		t.Errorf("urgent held until %v", got)
	}
	if got := DigestAt(at(8, 0)); !got.Equal(time.Date(2026, 11, 3, 8, 0, 0, 0, Shanghai)) {
		t.Errorf("digest of 08:00 at %v", got)
	}
	if got := DigestAt(at(7, 59)); !got.Equal(at(8, 0)) {
		t.Errorf("digest of 07:59 at %v", got)
	}
	rt := &ChannelRouting{Channels: []*PushChannel{
		{ID: 1, Kind: ChannelWeCom, Enabled: true, Groups: []NoticeGroup{GroupSupervision}, MinSeverity: SeverityInfo},
		{ID: 2, Kind: ChannelWebhook, Enabled: true, MinSeverity: SeverityUrgent},
		{ID: 3, Kind: ChannelEmail, Enabled: true},
	}, Prefs: map[int64][]*PushPref{
		7: {{UserID: 7, ChannelID: 3, Enabled: true, Address: "a@b.cn", Digest: true}},
		8: {{UserID: 8, ChannelID: 3, Enabled: true, Address: "c@d.cn", Groups: []NoticeGroup{GroupDemand}}},
	}}
	to := []Recipient{{UserID: 7}, {UserID: 8}, {UserID: 9}}
	red := rt.Route(Notice{Kind: "ladder.red", Severity: SeverityUrgent}, at(23, 0), to)
	if len(red) != 3 || red[0].ChannelID != 1 || red[1].ChannelID != 2 || red[2].UserID != 7 || red[2].Digest || !red[2].NextAt.Equal(at(23, 0)) {
		t.Errorf("red rung routes %+v", red)
	}
	info := rt.Route(Notice{Kind: "demand.assigned", Severity: SeverityInfo}, at(10, 0), to)
	if len(info) != 2 || info[0].UserID != 7 || !info[0].Digest || !info[0].NextAt.Equal(time.Date(2026, 11, 3, 8, 0, 0, 0, Shanghai)) ||
		info[1].UserID != 8 || info[1].Digest {
		t.Errorf("demand routes %+v", info)
	}
	if GroupOf("supervision.order") != GroupSupervision || GroupOf("demand.sla_red") != GroupDemand || GroupOf("test") != GroupOther {
		t.Error("GroupOf")
	}
}
