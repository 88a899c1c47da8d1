package web

import (
	"context"
	"fmt"
	"sync"

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
