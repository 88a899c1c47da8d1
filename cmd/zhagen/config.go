package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"zhagen/demo"
)

// Config is the effective configuration: defaults, then environment, then
// flags.
type Config struct {
	Addr           string // ZHAGEN_ADDR, --addr
	DataDir        string // ZHAGEN_DATA_DIR, --data-dir
	DatabaseURL    string // ZHAGEN_DATABASE_URL, --database-url; default DataDir/zhagen.db
	ReadURL        string // ZHAGEN_DATABASE_READ_URL: a streaming replica for lists, dashboards and exports
	SecureCookies  bool   // ZHAGEN_SECURE_COOKIES
	LogLevel       string // ZHAGEN_LOG_LEVEL: debug, info, warn, error
	DemoPassword   string // ZHAGEN_DEMO_PASSWORD (secret)
	DemoOpen311Key string // ZHAGEN_DEMO_OPEN311_KEY (secret)
	OfficeHours    string // ZHAGEN_OFFICE_HOURS, e.g. "08:30-12:00,14:30-17:30"
	TrustedProxy   string // ZHAGEN_TRUSTED_PROXY: addresses and CIDR networks whose X-Forwarded-* are believed
	LoginRate      string // ZHAGEN_LOGIN_RATE: logins per client address, "N/DURATION"
	RegisterRate   string // ZHAGEN_REGISTER_RATE: registrations per client address
	Open311Rate    string // ZHAGEN_OPEN311_RATE: Open311 POSTs per client address
	TLSCert        string // ZHAGEN_TLS_CERT: serve HTTPS with this certificate (and TLSKey)
	TLSKey         string // ZHAGEN_TLS_KEY
	MemoryLimit    string // ZHAGEN_MEMORY_LIMIT: the Go runtime's soft memory limit, e.g. "192MiB"; "0" for none
	GCPercent      string // ZHAGEN_GC_PERCENT: the collector's GOGC for serve
	ReadSlots      string // ZHAGEN_READ_SLOTS: reads handled at once ("auto": cores + 1; 0: no bound)
	PublicURL      string // ZHAGEN_PUBLIC_URL: the site's address, for the links of messages sent outside
	LogFormat      string // ZHAGEN_LOG_FORMAT: text or json
	MetricsToken   string // ZHAGEN_METRICS_TOKEN (secret): bearer token for /metrics from elsewhere than this host
	PprofAddr      string // ZHAGEN_PPROF_ADDR: a loopback address serving net/http/pprof; empty for none

	source map[string]string
	finish func()
}

// configVars names each setting's environment variable.
var configVars = []struct{ name, env, def, help string }{
	{"addr", "ZHAGEN_ADDR", "127.0.0.1:8080", "监听地址 (listen address)"},
	{"data-dir", "ZHAGEN_DATA_DIR", "data", "数据目录 (data directory)"},
	{"database-url", "ZHAGEN_DATABASE_URL", "", "数据库：SQLite 文件路径或 postgres:// URL (default DATA_DIR/zhagen.db)"},
	{"database-read-url", "ZHAGEN_DATABASE_READ_URL", "", "只读副本的 postgres:// URL：列表、看板与导出从副本读取 (streaming replica for reads)"},
	{"secure-cookies", "ZHAGEN_SECURE_COOKIES", "false", "Cookie 只经 HTTPS 发送 (behind a TLS proxy)"},
	{"log-level", "ZHAGEN_LOG_LEVEL", "info", "日志级别 debug|info|warn|error"},
	{"log-format", "ZHAGEN_LOG_FORMAT", "text", "日志格式 text|json (log format)"},
	{"metrics-token", "ZHAGEN_METRICS_TOKEN", "", "/metrics 的 Bearer 令牌；不设时只允许本机访问 (bearer token for /metrics)"},
	{"demo-password", "ZHAGEN_DEMO_PASSWORD", demo.DefaultPassword, "演示账号密码 (demo password)"},
	{"office-hours", "ZHAGEN_OFFICE_HOURS", "08:30-12:00,14:30-17:30", "办公时间，用于计算工作时限 (office hours, Asia/Shanghai)"},
	{"demo-open311-key", "ZHAGEN_DEMO_OPEN311_KEY", demo.DefaultOpen311Key, "演示 Open311 渠道的 api_key (demo Open311 api_key)"},
	{"trusted-proxy", "ZHAGEN_TRUSTED_PROXY", "", "可信反向代理的地址或 CIDR，逗号分隔；只信任它们的 X-Forwarded-For/-Proto (trusted proxies)"},
	{"login-rate", "ZHAGEN_LOGIN_RATE", defaultLoginRate, "每个客户端地址的登录次数上限，N/时长 (logins per client address)"},
	{"register-rate", "ZHAGEN_REGISTER_RATE", defaultRegisterRate, "每个客户端地址的注册次数上限 (registrations per client address)"},
	{"open311-rate", "ZHAGEN_OPEN311_RATE", defaultOpen311Rate, "每个客户端地址的 Open311 提交次数上限 (Open311 POSTs per client address)"},
	{"tls-cert", "ZHAGEN_TLS_CERT", "", "HTTPS 证书文件，与 --tls-key 一起使用 (serve HTTPS)"},
	{"tls-key", "ZHAGEN_TLS_KEY", "", "HTTPS 私钥文件 (TLS private key)"},
	{"memory-limit", "ZHAGEN_MEMORY_LIMIT", defaultMemoryLimit, "Go 运行时的软内存上限，如 192MiB；0 表示不设；GOMEMLIMIT 优先 (soft memory limit)"},
	{"gc-percent", "ZHAGEN_GC_PERCENT", defaultGCPercent, "堆比上次回收后存活部分增长多少（%）时再回收，1–1000；GOGC 优先 (the collector's GOGC)"},
	{"read-slots", "ZHAGEN_READ_SLOTS", "auto", "同时处理的读请求（GET）数，其余按到达顺序排队；auto 为 CPU 核数加一，0 表示不限 (reads handled at once)"},
	{"pprof-addr", "ZHAGEN_PPROF_ADDR", "", "性能剖析（pprof）的本机监听地址，如 127.0.0.1:6060；不设时关闭 (loopback address for net/http/pprof)"},
	{"public-url", "ZHAGEN_PUBLIC_URL", "", "站点对外地址，外发消息中的链接以此开头 (the site's address, for links in messages sent outside)"},
}

// loadConfig reads defaults and the environment, then registers flags on
// fs that override them once fs is parsed.
func loadConfig(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{source: map[string]string{}}
	vals := map[string]*string{}
	for _, v := range configVars {
		val, src := v.def, "default"
		if e := getenv(v.env); e != "" {
			val, src = e, "env "+v.env
		}
		c.source[v.name] = src
		s := new(string)
		*s = val
		vals[v.name] = s
		fs.Func(v.name, v.help+" ["+v.env+"]", func(x string) error {
			*s = x
			c.source[v.name] = "flag --" + v.name
			c.finish()
			return nil
		})
	}
	c.finish = func() {
		c.Addr, c.DataDir, c.DatabaseURL = *vals["addr"], *vals["data-dir"], *vals["database-url"]
		c.SecureCookies, _ = strconv.ParseBool(*vals["secure-cookies"])
		c.LogLevel, c.DemoPassword, c.DemoOpen311Key = *vals["log-level"], *vals["demo-password"], *vals["demo-open311-key"]
		c.OfficeHours = *vals["office-hours"]
		c.TrustedProxy, c.LoginRate, c.RegisterRate, c.Open311Rate = *vals["trusted-proxy"], *vals["login-rate"], *vals["register-rate"], *vals["open311-rate"]
		c.TLSCert, c.TLSKey, c.MemoryLimit, c.GCPercent, c.ReadSlots = *vals["tls-cert"], *vals["tls-key"], *vals["memory-limit"], *vals["gc-percent"], *vals["read-slots"]
		c.PublicURL, c.LogFormat, c.MetricsToken = *vals["public-url"], *vals["log-format"], *vals["metrics-token"]
		c.ReadURL, c.PprofAddr = *vals["database-read-url"], *vals["pprof-addr"]
		if c.DatabaseURL == "" {
			c.DatabaseURL = filepath.Join(c.DataDir, "zhagen.db")
		}
	}
	c.finish()
	return c
}

// Print writes the configuration with secrets masked.
func (c *Config) Print(w io.Writer) {
	rows := []struct{ k, v string }{
		{"addr", c.Addr}, {"data-dir", c.DataDir}, {"database-url", maskDSN(c.DatabaseURL)}, {"database-read-url", maskDSN(c.ReadURL)},
		{"secure-cookies", strconv.FormatBool(c.SecureCookies)}, {"log-level", c.LogLevel}, {"log-format", c.LogFormat}, {"metrics-token", mask(c.MetricsToken)}, {"office-hours", c.OfficeHours}, {"demo-password", "******"}, {"demo-open311-key", "******"},
		{"trusted-proxy", c.TrustedProxy}, {"login-rate", c.LoginRate}, {"register-rate", c.RegisterRate}, {"open311-rate", c.Open311Rate},
		{"tls-cert", c.TLSCert}, {"tls-key", c.TLSKey}, {"memory-limit", c.MemoryLimit}, {"gc-percent", c.GCPercent}, {"read-slots", c.ReadSlots}, {"public-url", c.PublicURL}, {"pprof-addr", c.PprofAddr},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-15s %-45s (%s)\n", r.k, r.v, c.source[r.k])
	}
}

// mask hides a secret that is set.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return "******"
}

// maskDSN hides the password of a database URL.
func maskDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Get("password") != "" {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// ensureDataDir creates the data directory for a SQLite database.
func (c *Config) ensureDataDir() error {
	if isPostgresURL(c.DatabaseURL) {
		return nil
	}
	return os.MkdirAll(filepath.Dir(c.DatabaseURL), 0o750)
}

func isPostgresURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql")
}
