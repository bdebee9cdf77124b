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

// CSVColumns are the CSV columns the generator writes, in order. They are
// the columns `casevault import --format csv` reads.
var CSVColumns = []string{
	"name", "name_native", "aliases", "birth_date", "gender", "citizenship", "region", "occupation",
	"status", "charge_code", "articles", "charge_titles", "charge_dates",
	"detention_kind", "facility", "detention_from", "detention_to", "conditions",
	"mistreatment_date", "mistreatment_kind", "mistreatment_description",
	"court", "case_number", "judge", "verdict_date", "sentence", "appeal",
	"sources", "notes", "consent", "summary", "sensitivity_overrides",
}

// CSVRecord flattens a generated case into the cells of [CSVColumns]:
// repeated values are separated by "|", values inside one repeated entry
// (detention conditions, mistreatment kinds) by ";".
func CSVRecord(doc map[string]any) []string {
	p, _ := doc["person"].(map[string]any)
	pr, _ := doc["proceedings"].(map[string]any)
	pub, _ := doc["publication"].(map[string]any)
	col := func(list any, field string) string {
		l, _ := list.([]any)
		if len(l) == 0 {
			return ""
		}
		parts := make([]string, len(l))
		for i, e := range l {
			m, _ := e.(map[string]any)
			parts[i] = cell(m[field])
		}
		return strings.Join(parts, "|")
	}
	var ov []string
	if o, ok := doc["sensitivity_overrides"].(map[string]any); ok {
		for k, v := range o {
			ov = append(ov, k+"="+cell(v))
		}
		sort.Strings(ov)
	}
	return []string{
		cell(p["name"]), cell(p["name_native"]), joined(p["aliases"], "|"), cell(p["birth_date"]),
		cell(p["gender"]), joined(p["citizenship"], "|"), cell(p["region"]), cell(p["occupation"]),
		cell(doc["status"]), col(doc["charges"], "code"), col(doc["charges"], "article"),
		col(doc["charges"], "title"), col(doc["charges"], "date"),
		col(doc["detention"], "kind"), col(doc["detention"], "facility"), col(doc["detention"], "from"),
		col(doc["detention"], "to"), col(doc["detention"], "conditions"),
		col(doc["mistreatment"], "date"), col(doc["mistreatment"], "kind"), col(doc["mistreatment"], "description"),
		cell(pr["court"]), cell(pr["case_number"]), cell(pr["judge"]), cell(pr["verdict_date"]),
		cell(pr["sentence"]), cell(pr["appeal"]),
		joined(doc["sources"], "|"), cell(doc["notes"]), cell(pub["consent"]), cell(pub["summary"]),
		strings.Join(ov, "|"),
	}
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
