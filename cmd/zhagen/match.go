package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"zhagen/match"
)

// matchStats is the JSON line "zhagen match" prints.
type matchStats struct {
	Residents int     `json:"residents"`
	Hospitals int     `json:"hospitals"`
	Matched   int     `json:"matched"`
	Proposals int64   `json:"proposals"`
	Seconds   float64 `json:"seconds"`
}

const matchUsage = `用法 Usage: zhagen match --instance FILE [--out FILE] [--audit]

读取 hr 1 格式的实例，运行毕业生提出的延迟接受算法（稳定匹配），
输出一行 JSON：{"residents":R,"hospitals":H,"matched":M,"proposals":P,"seconds":S}，
其中 seconds 只计匹配时间（不含读文件）。
Reads an instance in the hr 1 format (shared/formats/hr.md), runs
resident-proposing deferred acceptance and prints one JSON line; seconds
counts the matching only, not reading the file.
`

// matchCmd runs "zhagen match": it reads an hr 1 instance, solves it,
// optionally writes the hr-result 1 file and audits the result, and
// prints the statistics as one JSON line.
func matchCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("zhagen match", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	instance := fs.String("instance", "", "实例文件，hr 1 格式 (instance file in the hr 1 format)")
	out := fs.String("out", "", "结果文件，hr-result 1 格式 (write the result here)")
	audit := fs.Bool("audit", false, "运行后审计：阻塞对必须为 0 (audit the result; fail on any blocking pair)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), matchUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil
		}
		return fmt.Errorf("match: 参数错误 (bad arguments): %w; 用法 usage: zhagen match --instance FILE [--out FILE]", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("match: 多余的参数 (unexpected arguments): %s", strings.Join(fs.Args(), " "))
	}
	if *instance == "" {
		return errors.New("match: 缺少 --instance 实例文件 (--instance FILE is required)")
	}

	f, err := os.Open(*instance)
	if err != nil {
		return fmt.Errorf("match: 无法打开实例文件 (cannot open the instance): %w", err)
	}
	in, names, err := match.ReadHR(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("match: 实例文件 %s 有误 (bad instance file): %w", *instance, err)
	}

	start := time.Now()
	res := match.Solve(in, nil)
	seconds := time.Since(start).Seconds()

	if *audit {
		if a := match.Audit(in, res); !a.OK() {
			return fmt.Errorf("match: 审计未通过 (audit failed): %d 个阻塞对 (blocking pairs), %d 个超容量岗位 (over capacity), %d 个不可接受的配对 (unacceptable pairs)",
				len(a.BlockingPairs), len(a.CapacityViolations), len(a.Unacceptable))
		}
	}
	if *out != "" {
		if err := writeResultFile(*out, names, res); err != nil {
			return fmt.Errorf("match: 无法写入结果文件 (cannot write the result): %w", err)
		}
	}
	line, err := json.Marshal(matchStats{Residents: in.NumResidents(), Hospitals: in.NumHospitals(),
		Matched: res.Matched(), Proposals: res.Proposals, Seconds: seconds})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", line)
	return err
}

// writeResultFile writes the result to path, removing a partial file on
// failure.
func writeResultFile(path string, names *match.Names, res *match.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = match.WriteResult(f, names, res)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}
