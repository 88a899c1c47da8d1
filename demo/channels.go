package demo

import (
	"context"
	"fmt"

	"zhagen"
)

// demoHook is the demo's outside channel: a webhook on this machine's
// discard port, disabled, so that the administrators' page shows a
// configured channel and nothing leaves the machine.
var demoHook = zhagen.PushChannel{
	Name: "指挥中心值班系统（本机演示）", Kind: zhagen.ChannelWebhook, Enabled: false,
	URL: "http://127.0.0.1:9/zhagen-demo-hook", Secret: "demo-webhook-secret-2026",
	Groups: []zhagen.NoticeGroup{zhagen.GroupDemand, zhagen.GroupSupervision}, MinSeverity: zhagen.SeverityWarning,
}

// channels adds the demo's outside channel unless one of its name exists.
func (l *loader) channels(ctx context.Context) error {
	if l.s.Channels == nil {
		return nil
	}
	existing, err := l.s.Channels.FindChannels(ctx)
	if err != nil {
		return err
	}
	for _, c := range existing {
		if c.Name == demoHook.Name {
			l.channelT = tally{existing: 1}
			return nil
		}
	}
	c := demoHook
	if err := l.s.Channels.CreateChannel(ctx, &c); err != nil {
		return err
	}
	l.channelT = tally{created: 1}
	return nil
}

func (l *loader) channelReport() string {
	if l.s.Channels == nil {
		return ""
	}
	return fmt.Sprintf("  推送渠道  %s（本机Webhook，已停用；管理员“消息推送渠道”页）\n", l.channelT)
}
