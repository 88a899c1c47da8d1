package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// zoneChannel makes, once per zone, a webhook channel and one delivery
// over it, and returns their ids.
var zoneChannels sync.Map // *sqldbtest.Zone → [2]int64

func zoneChannel(z *sqldbtest.Zone) [2]int64 {
	if ids, ok := zoneChannels.Load(z); ok {
		return ids.([2]int64)
	}
	chans := sqldb.NewChannelService(z.DB)
	ch := &zhagen.PushChannel{Name: "矩阵钩子", Kind: zhagen.ChannelWebhook, Enabled: true, URL: "http://127.0.0.1:9/hook", Secret: "matrix-secret-0123456789"}
	if err := chans.CreateChannel(z.Sys, ch); err != nil {
		panic(err)
	}
	n := zhagen.Notice{Kind: "demand.assigned", Severity: zhagen.SeverityInfo, To: zhagen.Recipients{Roles: []zhagen.Role{zhagen.RoleAdmin}},
		Title: zhagen.Msg(zhagen.NoticeText, "矩阵推送"), Link: "/"}
	if err := sqldb.NewOutbox(z.DB).Enqueue(context.Background(), n); err != nil {
		panic(err)
	}
	if _, err := notify.New(sqldb.NewOutbox(z.DB), catalog.MustLoad(), z.Clock, sqldb.NewInAppSender(z.DB)).Drain(context.Background()); err != nil {
		panic(err)
	}
	ds, err := chans.FindDeliveries(z.Sys, zhagen.DeliveryFilter{ChannelID: ch.ID})
	if err != nil || len(ds) != 1 {
		panic(fmt.Sprint("deliveries ", ds, err))
	}
	ids := [2]int64{ch.ID, ds[0].ID}
	zoneChannels.Store(z, ids)
	return ids
}

func matrixChannelPath(suffix string) func(m *matrix, _ string) string {
	return func(m *matrix, _ string) string { return fmt.Sprintf("/channels/%d%s", zoneChannel(m.z)[0], suffix) }
}

func matrixDeliveryPath(m *matrix, _ string) string {
	return fmt.Sprintf("/deliveries/%d/retry", zoneChannel(m.z)[1])
}

// TestChannelPages: the administrator creates a webhook channel through
// the form (its secret then shows masked, never in full), edits it
// keeping the secret, sends a test message that fails with the reason
// shown, and sees the deliveries; a user chooses e-mail for two groups;
// nobody else reaches the administrators' pages.
func TestChannelPages(t *testing.T) {
	e := newTestEnv(t)
	admin := e.login("admin1")
	admin.get("/").contains(t, `href="/channels"`, `href="/deliveries"`)
	admin.get("/channels/new?kind=webhook").wantStatus(t, http.StatusOK).contains(t, "通用Webhook", "X-Zhagen-Signature")
	admin.post("/channels", url.Values{"kind": {"webhook"}, "name": {"值班系统"}, "enabled": {"1"}, "url": {"ftp://x"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写以 http:// 或 https:// 开头的地址")
	admin.post("/channels", url.Values{"kind": {"webhook"}, "name": {"值班系统"}, "enabled": {"1"}, "url": {"http://127.0.0.1:9/hook?token=abc"},
		"secret": {"webhook-secret-0123456789"}, "groups": {"supervision", "demand"}, "min_severity": {"warning"}}).wantStatus(t, http.StatusSeeOther)
	admin.get("/channels").contains(t, "值班系统", "已启用", "••••••••89", "诉求、督办", "token=•••").lacks(t, "webhook-secret-0123456789", "token=abc")
	chans, err := e.chans.FindChannels(e.sys)
	if err != nil || len(chans) != 1 {
		t.Fatalf("channels %v %v", chans, err)
	}
	id := chans[0].ID
	admin.get(fmt.Sprintf("/channels/%d/edit", id)).contains(t, "留空则不变").lacks(t, "webhook-secret-0123456789", "token=abc")
	admin.post(fmt.Sprintf("/channels/%d", id), url.Values{"kind": {"webhook"}, "name": {"值班系统二"}, "version": {"1"}, "min_severity": {"info"}}).
		wantStatus(t, http.StatusSeeOther)
	chans, _ = e.chans.FindChannels(e.sys)
	if c := chans[0]; c.Name != "值班系统二" || c.Enabled || !c.SecretSet || !strings.Contains(c.URL, "127.0.0.1:9/hook") || len(c.Groups) != 0 {
		t.Fatalf("after the edit %+v", c)
	}
	// Nothing listens on port 9.
	admin.post(fmt.Sprintf("/channels/%d/test", id), nil).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "测试消息发送失败")
	admin.get("/deliveries?status=dead").wantStatus(t, http.StatusOK).contains(t, "暂无推送记录")

	em := &zhagen.PushChannel{Name: "政务邮箱", Kind: zhagen.ChannelEmail, Enabled: true, SMTPHost: "127.0.0.1", SMTPPort: 2525, SMTPTLS: "none", From: "n@zhagen.test"}
	if err := e.chans.CreateChannel(e.sys, em); err != nil {
		t.Fatal(err)
	}
	staff := e.login("staff1")
	staff.get("/notifications").contains(t, `href="/account/notices"`)
	staff.get("/account/notices").contains(t, "政务邮箱", "每天汇总为一条")
	staff.post(fmt.Sprintf("/account/notices/%d", em.ID), url.Values{"enabled": {"1"}, "address": {"不是邮箱"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写有效的电子邮箱")
	staff.post(fmt.Sprintf("/account/notices/%d", em.ID), url.Values{"enabled": {"1"}, "address": {"staff1@zhagen.test"}, "groups": {"demand", "supervision"}, "digest": {"1"}}).
		wantStatus(t, http.StatusSeeOther)
	staff.get("/account/notices").contains(t, `value="staff1@zhagen.test"`, `value="demand" checked`, `value="supervision" checked`, `name="digest" value="1" checked`)
	for _, login := range []string{"disp1", "staff1"} {
		c := e.login(login)
		c.get("/channels").wantStatus(t, http.StatusForbidden)
		c.get("/deliveries").wantStatus(t, http.StatusForbidden)
		c.post(fmt.Sprintf("/channels/%d/test", id), nil).wantStatus(t, http.StatusForbidden)
		c.get("/").lacks(t, `href="/channels"`)
	}
}

// TestBellGroups: the notifications page counts the messages of each
// group; asking for one group shows its messages alone, each linking to
// its object.
func TestBellGroups(t *testing.T) {
	e := newTestEnv(t)
	cat := e.powerCategory(t, 0) // no routing rule: the dispatchers are told
	ent := e.login("ent1")
	id := e.submitDemand(t, ent, cat, "厂区道路积水")
	e.drain()
	disp := e.login("disp1")
	disp.get("/notifications").wantStatus(t, http.StatusOK).contains(t, `href="/notifications?group=demand"`, `<span class="tag tag-blue">诉求</span>`,
		fmt.Sprintf(`href="/demands/%d"`, id))
	disp.get("/notifications?group=demand").contains(t, "厂区道路积水", `class="tab active" href="/notifications?group=demand"`)
	disp.get("/notifications?group=talent").lacks(t, "厂区道路积水")
}
