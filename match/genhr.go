//go:build ignore

// Genhr writes the benchmark instances of issue 6 as "hr 1" files for
// "zhagen match --instance":
//
//	go run match/genhr.go -residents 45000 -hospitals 6400 -choices 12 -o hr45k.txt
//	go run match/genhr.go -residents 1000000 -hospitals 100000 -choices 10 -o hr1m.txt
//
// The seeds default to the ones the Go benchmarks use (45 and 1).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"zhagen/match"
)

func main() {
	residents := flag.Int("residents", 45_000, "number of graduates (residents)")
	hospitals := flag.Int("hospitals", 6_400, "number of positions (hospitals)")
	choices := flag.Int("choices", 12, "choices per graduate")
	seed := flag.Int64("seed", -1, "random seed (default: as in the Go benchmarks)")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Parse()

	s := *seed
	if s < 0 {
		s = 1
		if *residents == 45_000 {
			s = 45
		}
	}
	in := match.Generate(s, *residents, *hospitals, *choices)
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	err := match.WriteHR(bw, in, nil)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genhr:", err)
	os.Exit(1)
}
