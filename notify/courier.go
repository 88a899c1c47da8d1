package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"zhagen"
	"zhagen/catalog"
)

// Courier sends the deliveries over outside channels that drainers fanned
// out from the outbox. It runs apart from the drainer and from every
// request: each send has a timeout, channels are sent to side by side,
// and a channel that fails gives up the rest of its claim for later, so a
// dead or hanging receiver delays only its own deliveries. Several
// couriers, in one process or in several servers on one database, may run
// at once: each delivery is claimed by one of them at a time.
type Courier struct {
	Queue    zhagen.DeliveryQueue
	Channels zhagen.ChannelService // for test messages
	Catalog  *catalog.Catalog
	Clock    zhagen.Clock
	Log      *slog.Logger // nil: no log
	// BaseURL is the site's address, prefixed to notices' links
	// ("https://qiye.example.gov.cn"); empty: links stay relative.
	BaseURL string
	// Client sends the HTTP requests (default: a client of its own).
	Client *http.Client
	// Timeout bounds one send (default 10 s).
	Timeout time.Duration
	// MaxAttempts is how many failed tries leave a delivery on the
	// dead-letter list (default 6); Backoff the wait after the n-th
	// failure (default 30 s doubling, at most an hour).
	MaxAttempts int
	Backoff     func(n int) time.Duration
	// Batch is how many deliveries one claim takes (default 50).
	Batch int
}

// NewCourier returns a courier of queue with the defaults.
func NewCourier(queue zhagen.DeliveryQueue, channels zhagen.ChannelService, cat *catalog.Catalog, clock zhagen.Clock) *Courier {
	return &Courier{Queue: queue, Channels: channels, Catalog: cat, Clock: clock}
}

var defaultClient = &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 4,
	ResponseHeaderTimeout: 30 * time.Second, TLSHandshakeTimeout: 10 * time.Second}}

func (c *Courier) client() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	return defaultClient
}

func (c *Courier) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 10 * time.Second
}

func (c *Courier) now() time.Time { return c.Clock.Now() }

// Deliver sends every due delivery, claim after claim, until none is
// left or a claim brings only failures.
func (c *Courier) Deliver(ctx context.Context) (Result, error) {
	var res Result
	batch := c.Batch
	if batch <= 0 {
		batch = 50
	}
	// The lease outlasts a claim sent one by one at the full timeout.
	lease := time.Duration(batch)*c.timeout() + time.Minute
	for {
		ds, err := c.Queue.ClaimDeliveries(ctx, batch, lease)
		if err != nil {
			return res, err
		}
		if len(ds) == 0 {
			return res, nil
		}
		var round Result
		if err := c.deliver(ctx, ds, &round); err != nil {
			return res, err
		}
		res.Sent, res.Retried, res.Dead = res.Sent+round.Sent, res.Retried+round.Retried, res.Dead+round.Dead
		if round.Sent == 0 || len(ds) < batch {
			return res, nil
		}
	}
}

// parcel is what one send carries: a delivery, or a user's digest.
type parcel struct {
	ds  []*zhagen.ChannelDelivery
	msg message
}

// deliver sends one claim, each channel's parcels in turn, the channels
// side by side, and records the outcomes.
func (c *Courier) deliver(ctx context.Context, ds []*zhagen.ChannelDelivery, res *Result) error {
	byChannel := map[int64][]*parcel{}
	var order []int64
	digests := map[[2]int64]*parcel{}
	for _, d := range ds {
		if byChannel[d.ChannelID] == nil {
			order = append(order, d.ChannelID)
		}
		if d.Digest {
			key := [2]int64{d.ChannelID, d.UserID}
			if p := digests[key]; p != nil {
				p.ds = append(p.ds, d)
				continue
			}
			p := &parcel{ds: []*zhagen.ChannelDelivery{d}}
			digests[key] = p
			byChannel[d.ChannelID] = append(byChannel[d.ChannelID], p)
			continue
		}
		byChannel[d.ChannelID] = append(byChannel[d.ChannelID], &parcel{ds: []*zhagen.ChannelDelivery{d}, msg: c.message(d)})
	}
	for _, p := range digests {
		p.msg = c.digest(p.ds)
	}
	type outcome struct {
		p     *parcel
		err   error
		tried bool
	}
	var mu sync.Mutex
	var outs []outcome
	var wg sync.WaitGroup
	for _, id := range order {
		ps := byChannel[id]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var failed error
			for _, p := range ps {
				if failed != nil || ctx.Err() != nil {
					mu.Lock()
					outs = append(outs, outcome{p: p, err: cmpErr(failed, ctx.Err())})
					mu.Unlock()
					continue
				}
				sctx, cancel := context.WithTimeout(ctx, c.timeout())
				err := c.send(sctx, p.ds[0].Channel, p.msg)
				cancel()
				if err != nil {
					failed = err
				}
				mu.Lock()
				outs = append(outs, outcome{p: p, err: err, tried: true})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var sent []*zhagen.ChannelDelivery
	for _, o := range outs {
		if o.err == nil {
			sent = append(sent, o.p.ds...)
			res.Sent += len(o.p.ds)
		}
	}
	if len(sent) > 0 {
		if err := c.Queue.MarkDeliveriesSent(context.WithoutCancel(ctx), sent); err != nil {
			return err
		}
	}
	for _, o := range outs {
		if o.err == nil {
			continue
		}
		for _, d := range o.p.ds {
			if err := c.failed(ctx, d, o.err, o.tried, res); err != nil {
				return err
			}
		}
	}
	return nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// failed records a failed (tried) or untried delivery.
func (c *Courier) failed(ctx context.Context, d *zhagen.ChannelDelivery, err error, tried bool, res *Result) error {
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease runs out and the delivery is claimed again
	}
	maxAttempts := c.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 6
	}
	backoff := c.Backoff
	if backoff == nil {
		backoff = defaultBackoff
	}
	failures := d.Attempts + 1
	wait := max(backoff(failures), time.Second)
	dead := tried && failures >= maxAttempts
	switch {
	case dead:
		res.Dead++
	case tried:
		res.Retried++
	}
	if c.Log != nil && tried {
		c.Log.Warn("channel delivery failed", "delivery_id", d.ID, "channel_id", d.ChannelID, "attempt", failures, "dead", dead, "err", err)
	}
	err = c.Queue.MarkDeliveryFailed(ctx, d, err.Error(), c.now().Add(wait), dead, tried)
	if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
		return nil
	}
	return err
}

func (c *Courier) link(l string) string {
	if l == "" || c.BaseURL == "" || !strings.HasPrefix(l, "/") {
		return l
	}
	return strings.TrimRight(c.BaseURL, "/") + l
}

// message is the message of one delivery.
func (c *Courier) message(d *zhagen.ChannelDelivery) message {
	return message{ID: d.ID, Kind: d.Kind, Severity: d.Severity, Title: d.Title, Body: d.Body, Link: c.link(d.Link), To: d.Address, At: d.CreatedAt}
}

// digest is one message gathering a user's deliveries of a day.
func (c *Courier) digest(ds []*zhagen.ChannelDelivery) message {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("· " + d.Title)
		if l := c.link(d.Link); l != "" {
			b.WriteString(" " + l)
		}
	}
	return message{ID: ds[0].ID, Kind: "digest", Severity: zhagen.SeverityInfo, Title: c.Catalog.Sprintf("zh", "channel.digest.title", len(ds)),
		Body: b.String(), To: ds[0].Address, At: ds[len(ds)-1].CreatedAt}
}

// TestChannel sends a test message over a channel at once (to the
// caller's own address on a personal channel) and reports how it went.
func (c *Courier) TestChannel(ctx context.Context, id int64) error {
	ch, err := c.Channels.ChannelToTest(ctx, id)
	if err != nil {
		return err
	}
	m := message{Kind: "test", Severity: zhagen.SeverityInfo, Title: c.Catalog.Sprintf("zh", "channel.test.title"),
		Body: c.Catalog.Sprintf("zh", "channel.test.body", ch.Name), Link: c.link("/channels"), At: c.now(), Test: true}
	if ch.Kind.Personal() {
		prefs, err := c.Channels.FindPushPrefs(ctx)
		if err != nil {
			return err
		}
		for _, p := range prefs {
			if p.ChannelID == id && p.Enabled {
				m.To = p.Address
			}
		}
		if m.To == "" {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "address", Message: "请先在“消息接收设置”中填写本人在该渠道的接收地址"}
		}
	}
	sctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	if err := c.send(sctx, ch, m); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &zhagen.Error{Code: zhagen.EINVALID, Message: "测试消息发送超时：" + err.Error()}
		}
		return &zhagen.Error{Code: zhagen.EINVALID, Message: "测试消息发送失败：" + err.Error()}
	}
	return nil
}

// Run delivers every interval and whenever wake says drainers fanned
// deliveries out, until ctx ends. Errors are logged and the next round
// tries again.
func (c *Courier) Run(ctx context.Context, wake <-chan struct{}, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if res, err := c.Deliver(ctx); err != nil {
			if ctx.Err() == nil && c.Log != nil {
				c.Log.Error("channel deliveries", "err", err)
			}
		} else if res.Sent+res.Retried+res.Dead > 0 && c.Log != nil {
			c.Log.Info("channel deliveries", "sent", res.Sent, "retried", res.Retried, "dead", res.Dead)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-wake:
		}
	}
}
