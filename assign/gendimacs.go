//go:build ignore

// Gendimacs writes the benchmark instances of shared/formats/dimacs.md as
// DIMACS files for "zhagen assign --dimacs":
//
//	go run assign/gendimacs.go -dense 2000 -o dense2000.asn
//	go run assign/gendimacs.go -dense 5000 -o dense5000.asn
//	go run assign/gendimacs.go -cadres 10000 -enterprises 50000 -o sparse10k.min
//
// The seeds default to the ones the Go benchmarks use.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"zhagen/assign"
)

func main() {
	dense := flag.Int("dense", 0, "write a dense n×n assignment (p asn) with this n")
	cadres := flag.Int("cadres", 10_000, "linkage (p min): number of cadres")
	enterprises := flag.Int("enterprises", 50_000, "linkage (p min): number of enterprises")
	candidates := flag.Int("candidates", 50, "linkage: candidate enterprises per cadre")
	capacity := flag.Int("capacity", 6, "linkage: most enterprises per cadre")
	seed := flag.Int64("seed", -1, "random seed (default: as in the Go benchmarks)")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Parse()

	var p *assign.Problem
	if *dense > 0 {
		s := *seed
		if s < 0 {
			s = int64(*dense)
		}
		p = assign.DenseProblem(assign.GenerateDense(s, *dense))
	} else {
		s := *seed
		if s < 0 {
			s = int64(*cadres)
		}
		p = assign.GenerateLinkage(s, *cadres, *enterprises, *candidates, *capacity)
	}
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	err := assign.WriteDIMACS(bw, p)
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
	fmt.Fprintln(os.Stderr, "gendimacs:", err)
	os.Exit(1)
}
