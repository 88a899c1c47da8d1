package throttle

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is the set of reverse proxies whose X-Forwarded-For and
// X-Forwarded-Proto headers are believed. A request from any other peer
// is taken as it comes: its peer address is the client, its scheme is
// HTTPS only when the connection itself is TLS.
type Proxies struct {
	nets []netip.Prefix
}

// ParseProxies reads a list of addresses and CIDR networks separated by
// commas or spaces, e.g. "10.0.0.0/8, 127.0.0.1". An empty list trusts no
// proxy.
func ParseProxies(s string) (*Proxies, error) {
	p := &Proxies{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if pre, err := netip.ParsePrefix(f); err == nil {
			p.nets = append(p.nets, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, errors.New("trusted proxy " + f + ": not an address or CIDR network")
		}
		a = a.Unmap()
		p.nets = append(p.nets, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// String lists the trusted networks.
func (p *Proxies) String() string {
	if p == nil {
		return ""
	}
	s := make([]string, len(p.nets))
	for i, n := range p.nets {
		s[i] = n.String()
	}
	return strings.Join(s, ",")
}

// Trusted reports whether the address (host only) is a trusted proxy.
func (p *Proxies) Trusted(ip string) bool {
	if p == nil || len(p.nets) == 0 {
		return false
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

type httpsKey struct{}

// Middleware resolves each request's client before next sees it. From a
// trusted peer, the client is the rightmost X-Forwarded-For address that
// is not itself a trusted proxy, and the scheme is HTTPS when the last
// X-Forwarded-Proto says so; r.RemoteAddr is rewritten to the client, so
// that every handler's logs and limits see the real address. From any
// other peer the forwarding headers are removed, so that no handler can
// be misled by them.
func (p *Proxies) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer := hostOf(r.RemoteAddr)
		if !p.Trusted(peer) {
			if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Forwarded-Proto") != "" || r.Header.Get("Forwarded") != "" {
				r = r.Clone(r.Context())
				r.Header.Del("X-Forwarded-For")
				r.Header.Del("X-Forwarded-Proto")
				r.Header.Del("Forwarded")
			}
			next.ServeHTTP(w, r)
			return
		}
		client := peer
		hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
		for i := len(hops) - 1; i >= 0; i-- {
			client = hops[i]
			if !p.Trusted(hops[i]) {
				break
			}
		}
		https := r.TLS != nil
		if protos := splitList(r.Header.Values("X-Forwarded-Proto")); len(protos) > 0 {
			https = strings.EqualFold(protos[len(protos)-1], "https")
		}
		ctx := r.Context()
		if https {
			ctx = context.WithValue(ctx, httpsKey{}, true)
		}
		r = r.WithContext(ctx)
		r.RemoteAddr = net.JoinHostPort(client, "0")
		next.ServeHTTP(w, r)
	})
}

// forwardedFor returns the addresses of X-Forwarded-For values in order,
// skipping anything that is not an address ("unknown", garbage).
func forwardedFor(values []string) []string {
	var out []string
	for _, f := range splitList(values) {
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, a.Unmap().String())
		} else if ap, err := netip.ParseAddrPort(f); err == nil {
			out = append(out, ap.Addr().Unmap().String())
		}
	}
	return out
}

// splitList splits comma-separated header values, in order.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

// HTTPS reports whether the client reached the server over TLS: the
// connection is TLS, or a trusted proxy said so (see Middleware).
func HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	v, _ := r.Context().Value(httpsKey{}).(bool)
	return v
}

// ClientIP is the client's address: the peer, or the client a trusted
// proxy named (Middleware rewrites RemoteAddr).
func ClientIP(r *http.Request) string { return hostOf(r.RemoteAddr) }

func hostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}
