package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	base, path, out := os.Args[1], os.Args[2], os.Args[3]
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath("/usr/bin/chromium"), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1440, 900)}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	c, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	c, cancel3 := context.WithTimeout(c, 90*time.Second)
	defer cancel3()
	err := chromedp.Do(c,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), os.Args[4]),
		chromedp.SendKeys(chromedp.ID("password"), "Zhagen@2026"),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.Sleep(2*time.Second),
		chromedp.Navigate(base+path),
		chromedp.Sleep(4*time.Second),
	)
	if err != nil {
		fmt.Println("err", err)
		os.Exit(1)
	}
	buf, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		fmt.Println("err", err)
		os.Exit(1)
	}
	os.WriteFile(out, buf, 0o644)
}
