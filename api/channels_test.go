package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

var channelBody = map[string]any{"name": "矩阵钩子", "kind": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "matrix-secret-0123456789"}

// zoneChannels holds, per zone, a webhook channel and one delivery over
// it, made when a route first names them.
var zoneChannels sync.Map // *zoneAPI → [2]int64

func zoneChannel(v *zoneAPI) [2]int64 {
	if ids, ok := zoneChannels.Load(v); ok {
		return ids.([2]int64)
	}
	chans := sqldb.NewChannelService(v.z.DB)
	ch := &zhagen.PushChannel{Name: "矩阵钩子", Kind: zhagen.ChannelWebhook, Enabled: true, URL: "http://127.0.0.1:9/hook", Secret: "matrix-secret-0123456789"}
	if err := chans.CreateChannel(v.z.Sys, ch); err != nil {
		v.t.Fatal(err)
	}
	n := zhagen.Notice{Kind: "demand.assigned", Severity: zhagen.SeverityInfo, To: zhagen.Recipients{Roles: []zhagen.Role{zhagen.RoleAdmin}},
		Title: zhagen.Msg(zhagen.NoticeText, "矩阵推送"), Link: "/"}
	if err := sqldb.NewOutbox(v.z.DB).Enqueue(context.Background(), n); err != nil {
		v.t.Fatal(err)
	}
	if _, err := notify.New(sqldb.NewOutbox(v.z.DB), catalog.MustLoad(), v.z.Clock, sqldb.NewInAppSender(v.z.DB)).Drain(context.Background()); err != nil {
		v.t.Fatal(err)
	}
	ds, err := chans.FindDeliveries(v.z.Sys, zhagen.DeliveryFilter{ChannelID: ch.ID})
	if err != nil || len(ds) != 1 {
		v.t.Fatalf("deliveries %v %v", ds, err)
	}
	ids := [2]int64{ch.ID, ds[0].ID}
	zoneChannels.Store(v, ids)
	return ids
}

func channelPath(suffix string) func(v *zoneAPI, _ string) string {
	return func(v *zoneAPI, _ string) string {
		return fmt.Sprintf("/api/v1/channels/%d%s", zoneChannel(v)[0], suffix)
	}
}

func deliveryPath(suffix string) func(v *zoneAPI, _ string) string {
	return func(v *zoneAPI, _ string) string {
		return fmt.Sprintf("/api/v1/deliveries/%d%s", zoneChannel(v)[1], suffix)
	}
}

// TestAPIChannels: an administrator configures a channel, reads it back
// with its secret masked, changes it at its version, sees the deliveries
// and retries only a dead one.
func TestAPIChannels(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) { testAPIChannels(t, e) })
}

func testAPIChannels(t *testing.T, e sqldbtest.Engine) {
	v := newZoneAPI(t, e)
	do := func(login, method, path string, body any) (int, map[string]any) {
		t.Helper()
		st, resp := v.do(login, method, path, body, false)
		var out map[string]any
		json.Unmarshal([]byte(resp), &out)
		return st, out
	}
	st, body := do("admin", "POST", "/api/v1/channels", channelBody)
	if st != http.StatusCreated || body["secret"] != nil || body["secret_set"] != true || body["secret_mask"] == "" {
		t.Fatalf("create: %d %v", st, body)
	}
	id := int64(body["id"].(float64))
	st, body = do("admin", "PUT", fmt.Sprintf("/api/v1/channels/%d", id), map[string]any{"name": "改名", "kind": "webhook",
		"url": "http://127.0.0.1:9/other", "enabled": false, "version": 1})
	if st != http.StatusOK || body["name"] != "改名" || body["enabled"] != false || body["secret_set"] != true {
		t.Fatalf("update: %d %v", st, body)
	}
	if st, _ := do("admin", "PUT", fmt.Sprintf("/api/v1/channels/%d", id), map[string]any{"name": "再改", "kind": "webhook", "url": "http://127.0.0.1:9/x", "version": 1}); st != http.StatusConflict {
		t.Fatalf("stale version: %d", st)
	}
	ids := zoneChannel(v)
	st, body = do("admin", "GET", "/api/v1/deliveries?status=pending", nil)
	if st != http.StatusOK || len(body["items"].([]any)) != 1 || body["counts"].(map[string]any)["pending"].(float64) != 1 {
		t.Fatalf("deliveries: %d %v", st, body)
	}
	if st, _ := do("admin", "POST", fmt.Sprintf("/api/v1/deliveries/%d/retry", ids[1]), map[string]any{}); st != http.StatusConflict {
		t.Fatalf("retry of a pending delivery: %d", st)
	}
	if st, _ := do("staff", "GET", "/api/v1/deliveries", nil); st != http.StatusForbidden {
		t.Fatalf("staff read the deliveries: %d", st)
	}
}

// channelCases are the authorization table's channel, delivery and
// notice-preference routes: the administrator's alone, but one's own
// preferences. Delivery 999999 does not exist: 404 to the administrator.
func channelCases(v *env) []struct {
	method, path string
	body         func() any
	want         []int
} {
	_, ch := v.do("admin", "POST", "/api/v1/channels", map[string]any{"name": "授权表钩子", "kind": "webhook", "url": "http://127.0.0.1:9/", "secret": "table-secret-0123456789"})
	id, _ := ch["id"].(float64)
	item := fmt.Sprintf("/api/v1/channels/%d", int64(id))
	body := func() any {
		return map[string]any{"name": "授权表钩子", "kind": "webhook", "url": "http://127.0.0.1:9/", "version": 1}
	}
	return []struct {
		method, path string
		body         func() any
		want         []int
	}{
		{"GET", "/api/v1/channels", nil, []int{200, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", "/api/v1/channels", func() any { return channelBody }, []int{201, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", item, nil, []int{200, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"PUT", item, body, []int{200, 403, 403, 403, 403, 403, 403, 403, 401}},
		// Nothing listens on port 9: the administrator's test fails (422).
		{"POST", item + "/test", nil, []int{422, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/deliveries", nil, []int{200, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/deliveries/999999", nil, []int{404, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", "/api/v1/deliveries/999999/retry", nil, []int{404, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/me/notice-preferences", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
		// A webhook is no personal channel: nobody chooses it.
		{"PUT", "/api/v1/me/notice-preferences/" + fmt.Sprint(int64(id)), func() any { return map[string]any{"enabled": true, "address": "a@b.cn"} },
			[]int{404, 404, 404, 404, 404, 404, 404, 404, 401}},
	}
}
