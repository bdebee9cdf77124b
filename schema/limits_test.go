package schema

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema/bounds"
)

// The alias bomb of issue 11: 20 KB that expand to about 108 MB. It is
// refused before it is expanded, and says why.
func TestParseAliasBomb(t *testing.T) {
	data, err := os.ReadFile("testdata/bomb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "aliases") {
		t.Fatalf("Parse(bomb.yaml) = %v, want ErrTooLarge naming the aliases", err)
	}
}

// The exponential bomb (10^9 values in 500 bytes) is refused the same way.
func TestParseExponentialAliasBomb(t *testing.T) {
	_, err := Parse([]byte(aliasBomb()))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "aliases") {
		t.Fatalf("Parse = %v, want ErrTooLarge naming the aliases", err)
	}
}

// A few aliases that repeat a small part are fine.
func TestParseSmallAliases(t *testing.T) {
	data := []byte(`person: {name: A}
mistreatment:
  - &m
    date: 2023-01-01
    kind: [threats]
    witnesses: [Ann, Bob]
  - *m
  - *m
`)
	c, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	m, _ := c.Doc["mistreatment"].([]any)
	if len(m) != 3 || fmt.Sprint(m[2]) != fmt.Sprint(m[0]) {
		t.Fatalf("aliases not expanded: %v", m)
	}
}

// An alias chain that nests deeper than the limit without the file
// nesting at all.
func TestParseAliasDepth(t *testing.T) {
	var b strings.Builder
	b.WriteString("person: {name: A}\nx0: &a0 [1]\n")
	for i := 1; i < 200; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [*a%d]\n", i, i, i-1)
	}
	_, err := Parse([]byte(b.String()))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "levels") {
		t.Fatalf("Parse = %v, want ErrTooLarge for nesting", err)
	}
}

// The nesting and key-count bombs of issue 11, as YAML and as JSON, are
// refused by Parse and FromJSON with an error naming the limit and line.
func TestParseStructureBombs(t *testing.T) {
	keys := func(n int, f string) []byte {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, f, i)
		}
		return b.Bytes()
	}
	cases := map[string]struct {
		data []byte
		want string
	}{
		"brackets-30k":   {bytes.Repeat([]byte("["), 30000), "levels of nesting"},
		"brackets-4MiB":  {bytes.Repeat([]byte("["), MaxCaseFileSize), "levels of nesting"},
		"objects":        {bytes.Repeat([]byte(`{"a":`), 100000), "levels of nesting"},
		"yaml-keys-300k": {keys(300000, "k%d: v\n"), "keys in one mapping"},
		"json-keys":      {append([]byte("{"), keys(200000, `"k%d":1,`)...), "keys in one"},
		"items":          {append([]byte("person: {name: A}\nx: ["), bytes.Repeat([]byte("1,"), 1<<20)...), "values"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(c.data)
			if !errors.Is(err, ErrTooLarge) || !errors.Is(err, bounds.ErrLimit) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "line ") {
				t.Errorf("Parse = %v, want a limit error naming %q", err, c.want)
			}
			if (c.data[0] == '[' || c.data[0] == '{') && c.want == "levels of nesting" {
				_, err := FromJSON(c.data)
				if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("FromJSON = %v, want a limit error naming %q", err, c.want)
				}
			}
		})
	}
}

// A stored document (FromStored) keeps the looser bounds documents always
// had, so that one with many values, as aliases may legitimately expand a
// file to, stays readable; the same given as input (FromJSON) is held to
// the limits of a case file.
func TestFromJSONManyValues(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"schema":"case.v1","person":{"name":"A"},"mistreatment":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"date":"2023-01-01","kind":["threats"],"witnesses":[`)
		for j := 0; j < 60; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"w%d"`, j)
		}
		b.WriteString("]}")
	}
	b.WriteString("]}")
	if _, err := FromStored([]byte(b.String())); err != nil {
		t.Fatalf("FromStored of 60,000 values: %v", err)
	}
	if _, err := FromJSON([]byte(b.String())); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("FromJSON of 60,000 values = %v, want ErrTooLarge", err)
	}
}
