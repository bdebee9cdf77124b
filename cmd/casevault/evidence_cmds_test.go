package main

import (
	"crypto/rand"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// Custom testscript commands for the evidence scripts.

// cmdMkRand writes N random bytes to FILE: mkrand FILE N.
func cmdMkRand(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkrand FILE N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	b := make([]byte, n)
	_, _ = rand.Read(b)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o600))
}

// blobFiles lists the sealed evidence files of the script's vault, sorted.
func blobFiles(ts *testscript.TestScript) []string {
	dir := filepath.Join(ts.Getenv("CASEVAULT_DIR"), "blobs")
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		ts.Fatalf("%v", err)
	}
	var out []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// cmdTamperBlob changes every sealed evidence file of the vault:
// tamperblob flip|truncate|droplast|swapchunks|orphan|tmp|count N.
// "orphan" and "tmp" add a stray file instead; "count N" asserts the number
// of evidence files.
func cmdTamperBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: tamperblob flip|truncate|droplast|swapchunks|orphan|tmp|count N")
	}
	dir := filepath.Join(ts.Getenv("CASEVAULT_DIR"), "blobs")
	switch args[0] {
	case "count":
		want, err := strconv.Atoi(args[1])
		ts.Check(err)
		if got := len(blobFiles(ts)); got != want {
			ts.Fatalf("%d evidence files in the vault, want %d", got, want)
		}
		return
	case "orphan":
		ts.Check(os.WriteFile(filepath.Join(dir, "00112233445566778899aabbccddeeff"), []byte("stray"), 0o600))
		return
	case "tmp":
		ts.Check(os.WriteFile(filepath.Join(dir, ".tmp-0011223344556677"), []byte("stray"), 0o600))
		return
	}
	const hdr, chunk = 22 + 32, 64<<10 + 16
	files := blobFiles(ts)
	if len(files) == 0 {
		ts.Fatalf("no evidence files to tamper with")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		ts.Check(err)
		switch args[0] {
		case "flip":
			i, _ := rand.Int(rand.Reader, big.NewInt(int64(len(b)-hdr)))
			b[hdr+int(i.Int64())] ^= 0x20
		case "truncate":
			b = b[:len(b)-7]
		case "droplast":
			n := (len(b) - hdr) / chunk * chunk
			if n == len(b)-hdr {
				n -= chunk
			}
			b = b[:hdr+n]
		case "swapchunks":
			if len(b) < hdr+2*chunk {
				ts.Fatalf("%s has fewer than two full chunks", f)
			}
			c0 := append([]byte(nil), b[hdr:hdr+chunk]...)
			copy(b[hdr:hdr+chunk], b[hdr+chunk:hdr+2*chunk])
			copy(b[hdr+chunk:hdr+2*chunk], c0)
		default:
			ts.Fatalf("unknown tamperblob mode %q", args[0])
		}
		ts.Check(os.WriteFile(f, b, 0o600))
	}
}

// cmdEnvField sets an environment variable to a whitespace-separated field
// of a line of the previous command's standard output:
// envfield NAME LINE FIELD (both counted from 1).
func cmdEnvField(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: envfield NAME LINE FIELD")
	}
	line, err1 := strconv.Atoi(args[1])
	field, err2 := strconv.Atoi(args[2])
	if err1 != nil || err2 != nil {
		ts.Fatalf("envfield: LINE and FIELD are numbers")
	}
	lines := strings.Split(strings.TrimSpace(ts.ReadFile("stdout")), "\n")
	if line < 1 || line > len(lines) {
		ts.Fatalf("envfield: stdout has %d lines", len(lines))
	}
	f := strings.Fields(lines[line-1])
	if field < 1 || field > len(f) {
		ts.Fatalf("envfield: line %d has %d fields", line, len(f))
	}
	ts.Setenv(args[0], f[field-1])
}
