package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"zhagen"
	"zhagen/demo"
)

func systemCtx(ctx context.Context) context.Context {
	return zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
}

// loadDemo loads the demo zone, then bulk more synthetic demands spread
// over its enterprises and departments (for load tests at scale).
func loadDemo(ctx context.Context, cfg *Config, bulk int, stdout io.Writer) error {
	return withApp(ctx, cfg, func(app *App) error {
		err := demo.Load(systemCtx(ctx), demo.Services{Departments: app.Departments, Users: app.Users, Enterprises: app.Enterprises,
			Categories: app.Categories, Demands: app.Demands, Intake: app.Intake, Open311Key: cfg.DemoOpen311Key,
			Linkages: app.Linkages, Talent: app.Talent, Projects: app.Projects, Consultations: app.Consultations,
			Supervision: app.Supervision, FollowUps: app.FollowUps, ReplyTemplates: app.ReplyTemplates, Channels: app.Channels, Knowledge: app.Knowledge,
			History: app.Demands, Policies: app.Policies}, cfg.DemoPassword, stdout)
		if err != nil || bulk <= 0 {
			return err
		}
		return bulkDemoDemands(ctx, app, bulk, stdout)
	})
}

// readPassword takes the password from --password-stdin's first line.
func readPassword(stdin io.Reader, fromStdin bool) (string, error) {
	if !fromStdin {
		return "", errors.New("请用 --password-stdin 从标准输入提供密码 (give the password on stdin with --password-stdin)")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userAdd(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdin io.Reader, stdout io.Writer) error {
	login := fs.String("login", "", "登录名 (login)")
	name := fs.String("name", "", "姓名 (name)")
	roles := fs.String("roles", "", "角色，逗号分隔 (admin,dispatcher,staff,cadre,enterprise,graduate,leader)")
	dept := fs.Int64("dept-id", 0, "所属部门 ID")
	ent := fs.Int64("enterprise-id", 0, "企业用户所属企业 ID")
	rank := fs.String("rank", "", "职级")
	phone := fs.String("phone", "", "电话")
	pwStdin := fs.Bool("password-stdin", false, "从标准输入读取密码")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pw, err := readPassword(stdin, *pwStdin)
	if err != nil {
		return err
	}
	return withApp(ctx, cfg, func(app *App) error {
		u := &zhagen.User{Login: *login, Name: *name, Roles: zhagen.ParseRoles(*roles), DeptID: *dept, EnterpriseID: *ent, Rank: *rank, Phone: *phone, Password: pw}
		if err := app.Users.CreateUser(systemCtx(ctx), u); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "已创建用户 %s（ID %d）\n", u.Login, u.ID)
		return nil
	})
}

// withApp opens the database for one command and closes it afterwards.
func withApp(ctx context.Context, cfg *Config, f func(*App) error) error {
	app, err := openApp(ctx, cfg, zhagen.SystemClock{})
	if err != nil {
		return err
	}
	defer app.DB.Close()
	return f(app)
}

func userPasswd(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdin io.Reader, stdout io.Writer) error {
	login := fs.String("login", "", "登录名 (login)")
	pwStdin := fs.Bool("password-stdin", false, "从标准输入读取新密码")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pw, err := readPassword(stdin, *pwStdin)
	if err != nil {
		return err
	}
	return withApp(ctx, cfg, func(app *App) error {
		u, err := findLogin(systemCtx(ctx), app, *login)
		if err != nil {
			return err
		}
		if err := app.Users.SetPassword(systemCtx(ctx), u.ID, pw); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "已重置 %s 的密码，其会话与令牌均已失效，账号已解锁\n", u.Login)
		return nil
	})
}

func tokenCreate(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	login := fs.String("login", "", "为哪个用户签发 (login)")
	name := fs.String("name", "cli", "令牌用途说明")
	ttl := fs.Duration("ttl", 0, "有效期，如 720h；0 表示长期有效")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withApp(ctx, cfg, func(app *App) error {
		u, err := findLogin(systemCtx(ctx), app, *login)
		if err != nil {
			return err
		}
		tok, err := app.Auth.CreateToken(systemCtx(ctx), u.ID, *name, *ttl)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintln(stdout, tok.Token)
		return nil
	})
}

func findLogin(ctx context.Context, app *App, login string) (*zhagen.User, error) {
	if login == "" {
		return nil, errors.New("请用 --login 指定用户 (missing --login)")
	}
	users, _, err := app.Users.FindUsers(ctx, zhagen.UserFilter{Login: login, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("用户 %s 不存在 (no such user)", login)
	}
	return users[0], nil
}

// cliError shows a domain error at the terminal: one "field: message"
// part per field error, in order, or else its message. Internal errors
// pass through unchanged, so an administrator sees their cause.
func cliError(err error) error {
	if zhagen.ErrorCode(err) == zhagen.EINTERNAL {
		return err
	}
	var ze *zhagen.Error
	if errors.As(err, &ze) && len(ze.Fields) > 0 {
		parts := make([]string, len(ze.Fields))
		for i, f := range ze.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return errors.New(zhagen.ErrorMessage(err))
}
