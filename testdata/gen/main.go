// Command gen writes synthetic case files for tests and benchmarks:
//
//	go run ./testdata/gen -n 100000 -seed 1 [-format jsonl|csv|yaml] > cases.jsonl
//
// The output is deterministic for a seed and describes no real person (see
// package schema/casegen).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/casevault/casevault/schema/casegen"
)

func main() {
	n := flag.Int("n", 1000, "number of cases")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same cases")
	format := flag.String("format", "jsonl", "output format: jsonl, csv or yaml")
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := casegen.Write(w, *format, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
