package casegen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/casevault/casevault/schema"
	"github.com/goccy/go-yaml"
)

// Write writes n generated cases to w in a format: "jsonl" (one JSON
// document a line), "yaml" (a stream of YAML documents separated by ---) or
// "csv" (the columns of [CSVColumns], one case a row; fields CSV cannot hold,
// such as contacts, are left out).
func Write(w io.Writer, format string, n int, seed uint64) error {
	g := New(seed)
	bw := bufio.NewWriterSize(w, 1<<20)
	switch format {
	case "jsonl":
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for range n {
			if err := enc.Encode(g.Case()); err != nil {
				return err
			}
		}
	case "yaml":
		for i := range n {
			b, err := yaml.Marshal(integers(g.Case()))
			if err != nil {
				return err
			}
			if i > 0 {
				bw.WriteString("---\n")
			}
			bw.Write(b)
		}
	case "csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(CSVColumns); err != nil {
			return err
		}
		for range n {
			if err := cw.Write(CSVRecord(g.Case())); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown format %q (jsonl, yaml or csv)", format)
	}
	return bw.Flush()
}

// CSVColumns are the CSV columns the generator writes, in order: the
// columns of the case schema (x-csv), which `casevault import --format csv`
// reads.
var CSVColumns = columnsOf(schema.Default())

func columnsOf(s *schema.Schema) []string {
	var out []string
	for _, c := range s.CSVColumns() {
		out = append(out, c.Column)
	}
	return out
}

// CSVRecord flattens a generated case into the cells of [CSVColumns]:
// repeated values are separated by "|", values inside one repeated entry
// (detention conditions, mistreatment kinds) by ";".
func CSVRecord(doc map[string]any) []string {
	return CSVRecordOf(schema.Default(), doc)
}

// CSVRecordOf flattens a case into the cells of the x-csv columns of the
// schema s.
func CSVRecordOf(s *schema.Schema, doc map[string]any) []string {
	var out []string
	for _, c := range s.CSVColumns() {
		if list, field, ok := strings.Cut(c.Path, "[]."); ok {
			l, _ := at(doc, list).([]any)
			parts := make([]string, len(l))
			for i, e := range l {
				m, _ := e.(map[string]any)
				parts[i] = cell(m[field])
			}
			out = append(out, strings.Join(parts, "|"))
			continue
		}
		switch v := at(doc, c.Path).(type) {
		case []any:
			out = append(out, joined(v, "|"))
		case map[string]any:
			var kv []string
			for k, e := range v {
				kv = append(kv, k+"="+cell(e))
			}
			sort.Strings(kv)
			out = append(out, strings.Join(kv, "|"))
		default:
			out = append(out, cell(v))
		}
	}
	return out
}

// at returns the value at a dotted path of doc, or nil.
func at(doc map[string]any, path string) any {
	var v any = doc
	for _, name := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[name]
	}
	return v
}

func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		return joined(v, ";")
	}
	var b bytes.Buffer
	json.NewEncoder(&b).Encode(v)
	return strings.TrimSpace(b.String())
}

func joined(v any, sep string) string {
	l, _ := v.([]any)
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = cell(e)
	}
	return strings.Join(parts, sep)
}

// integers returns v with integral numbers as int, so that YAML shows 1981
// and not 1981.0.
func integers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = integers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = integers(e)
		}
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
	}
	return v
}
