package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"zhagen/assign"
)

// assignStats is the JSON line "zhagen assign" prints.
type assignStats struct {
	Problem string  `json:"problem"`
	Nodes   int     `json:"nodes"`
	Arcs    int     `json:"arcs"`
	Cost    int64   `json:"cost"`
	Seconds float64 `json:"seconds"`
}

const assignUsage = `用法 Usage: zhagen assign --dimacs FILE

读取 DIMACS 格式（p asn 指派问题或 p min 最小费用流）的实例，求最优解，
输出一行 JSON：{"problem":"asn|min","nodes":N,"arcs":A,"cost":C,"seconds":S}，
其中 seconds 只计求解时间（不含读文件与建立矩阵或弧表）。
Reads a DIMACS "p asn" (assignment) or "p min" (min-cost flow) file
(shared/formats/dimacs.md), solves it to optimality and prints one JSON
line; seconds counts the solve only, not reading the file nor laying it
out as a cost matrix or arc list.
`

// assignCmd runs "zhagen assign": it reads a DIMACS file, solves it and
// prints the statistics as one JSON line.
func assignCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("zhagen assign", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.String("dimacs", "", "实例文件，DIMACS p asn 或 p min 格式 (instance file, DIMACS p asn or p min)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), assignUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil
		}
		return fmt.Errorf("assign: 参数错误 (bad arguments): %w; 用法 usage: zhagen assign --dimacs FILE", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("assign: 多余的参数 (unexpected arguments): %s", strings.Join(fs.Args(), " "))
	}
	if *file == "" {
		return errors.New("assign: 缺少 --dimacs 实例文件 (--dimacs FILE is required)")
	}

	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("assign: 无法打开实例文件 (cannot open the instance): %w", err)
	}
	p, err := assign.ReadDIMACS(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("assign: 实例文件 %s 有误 (bad instance file): %w", *file, err)
	}
	stats := assignStats{Problem: p.Kind.String(), Nodes: p.Nodes, Arcs: p.NumArcs()}
	solver, err := p.Solver()
	if err != nil {
		return fmt.Errorf("assign: 实例文件 %s 有误 (bad instance file): %w", *file, err)
	}
	// Let the parsed file go, and collect it now rather than during the
	// timed solve.
	p = nil
	runtime.GC()

	start := time.Now()
	cost, err := solver.Solve()
	stats.Seconds = time.Since(start).Seconds()
	switch {
	case errors.Is(err, assign.ErrInfeasible):
		return fmt.Errorf("assign: 无可行解 (infeasible): %w", err)
	case errors.Is(err, assign.ErrTooLarge):
		return fmt.Errorf("assign: 数值过大，无法精确求解 (numbers too large): %w", err)
	case err != nil:
		return fmt.Errorf("assign: 求解失败 (solve failed): %w", err)
	}
	stats.Cost = cost
	line, err := json.Marshal(stats)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", line)
	return err
}
