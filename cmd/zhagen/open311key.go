package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"zhagen"
)

const open311KeyUsage = `用法 Usage:
  zhagen open311-key create [--key KEY] [--public] NAME
                                   签发 Open311 接入渠道的 api_key（只显示一次）；--public 设为公开查询
                                   issue an intake channel's api_key (shown once); --public makes it publicly readable
  zhagen open311-key public ID yes|no
                                   设置渠道是否公开查询：公开渠道的请求可不带 api_key 查询公开字段
                                   whether keyless GETs read the public fields of the channel's requests
  zhagen open311-key list          列出接入渠道   list the intake channels`

// open311KeyCmd issues and lists the api_keys of Open311 intake channels.
func open311KeyCmd(ctx context.Context, cfg *Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("missing subcommand\n" + open311KeyUsage)
	}
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("zhagen open311-key create", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		key := fs.String("key", "", "指定 api_key（至少16个字符；默认随机生成） (a chosen key, at least 16 characters; random by default)")
		public := fs.Bool("public", false, "公开查询 (publicly readable)")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("%v\n%s", err, open311KeyUsage)
		}
		name := strings.TrimSpace(strings.Join(fs.Args(), " "))
		if name == "" {
			return errors.New("请给出渠道名称 (give the channel a NAME)\n" + open311KeyUsage)
		}
		return withApp(ctx, cfg, func(app *App) error {
			ch, err := app.Intake.CreateIntakeChannel(systemCtx(ctx), name, *key)
			if err != nil {
				return cliError(err)
			}
			if *public {
				if _, err := app.Intake.SetIntakeChannelPublic(systemCtx(ctx), ch.ID, true); err != nil {
					return cliError(err)
				}
				fmt.Fprintln(stdout, "公开查询：是 (publicly readable)")
			}
			fmt.Fprintf(stdout, "已创建 Open311 接入渠道“%s”（编号 %d） (intake channel created)\n", ch.Name, ch.ID)
			fmt.Fprintf(stdout, "api_key: %s\n", ch.APIKey)
			fmt.Fprintln(stdout, "请妥善保存：此密钥只显示这一次。 (Keep it safe: it is shown only once.)")
			return nil
		})
	case "list":
		if len(args) > 1 {
			return fmt.Errorf("unexpected arguments: %s\n%s", strings.Join(args[1:], " "), open311KeyUsage)
		}
		return withApp(ctx, cfg, func(app *App) error {
			chans, err := app.Intake.FindIntakeChannels(systemCtx(ctx))
			if err != nil {
				return cliError(err)
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "编号 ID\t名称 NAME\t公开查询 PUBLIC\t创建时间 CREATED")
			for _, c := range chans {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.ID, c.Name, yesNo(c.Public), c.CreatedAt.In(zhagen.Shanghai).Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		})
	case "public":
		if len(args) != 3 {
			return errors.New("请给出渠道编号和 yes 或 no (give the channel ID and yes or no)\n" + open311KeyUsage)
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("渠道编号无效 (bad channel ID): %s\n%s", args[1], open311KeyUsage)
		}
		var public bool
		switch strings.ToLower(args[2]) {
		case "yes", "on", "true", "是":
			public = true
		case "no", "off", "false", "否":
		default:
			return fmt.Errorf("请给出 yes 或 no (yes or no): %s\n%s", args[2], open311KeyUsage)
		}
		return withApp(ctx, cfg, func(app *App) error {
			ch, err := app.Intake.SetIntakeChannelPublic(systemCtx(ctx), id, public)
			if err != nil {
				return cliError(err)
			}
			fmt.Fprintf(stdout, "渠道“%s”（编号 %d）公开查询：%s (publicly readable: %v)\n", ch.Name, ch.ID, yesNo(ch.Public), ch.Public)
			return nil
		})
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, open311KeyUsage)
		return nil
	}
	return fmt.Errorf("unknown subcommand %q\n%s", args[0], open311KeyUsage)
}

// yesNo is 是 or 否.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
