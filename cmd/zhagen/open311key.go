package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"zhagen"
)

const open311KeyUsage = `用法 Usage:
  zhagen open311-key create [--key KEY] NAME   签发 Open311 接入渠道的 api_key（只显示一次）
                                               issue an intake channel's api_key (shown once)
  zhagen open311-key list                      列出接入渠道   list the intake channels`

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
			fmt.Fprintln(tw, "编号 ID\t名称 NAME\t创建时间 CREATED")
			for _, c := range chans {
				fmt.Fprintf(tw, "%d\t%s\t%s\n", c.ID, c.Name, c.CreatedAt.In(zhagen.Shanghai).Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		})
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, open311KeyUsage)
		return nil
	}
	return fmt.Errorf("unknown subcommand %q\n%s", args[0], open311KeyUsage)
}
