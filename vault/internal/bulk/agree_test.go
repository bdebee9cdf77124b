package bulk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"pgregory.net/rapid"
)

// addVerdict is what a single-case read (case add -f, case edit, a YAML
// or JSON file) says about doc: "accepted" and the stored document, or
// the problems a user reads.
func addVerdict(doc []byte) (string, string) {
	c, err := schema.Parse(doc)
	if err == nil {
		return "accepted", string(c.Canonical())
	}
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		for _, p := range ve.Problems {
			b.WriteString(p.Path + ": " + p.Message + "\n")
		}
		return b.String(), ""
	}
	return "(record): " + err.Error() + "\n", ""
}

// importVerdicts imports lines as a JSONL file and returns the verdict on
// each record, as addVerdict does.
func importVerdicts(t interface {
	Errorf(string, ...any)
	Fatal(...any)
}, lines [][]byte) (verdicts, docs []string) {
	in := bytes.Join(lines, []byte("\n"))
	err := ParseFile(bytes.NewReader(in), FormatJSONL, nil, nil, func(r Record) error {
		if r.Doc != nil {
			verdicts = append(verdicts, "accepted")
			docs = append(docs, string(r.Doc.Canonical()))
			return nil
		}
		var b strings.Builder
		for _, e := range r.Errs {
			if e.Line != r.Line || e.Record != r.N {
				t.Errorf("record %d (line %d): error names line %d record %d", r.N, r.Line, e.Line, e.Record)
			}
			b.WriteString(e.Path + ": " + e.Reason + "\n")
		}
		verdicts = append(verdicts, b.String())
		docs = append(docs, "")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return verdicts, docs
}

const validLine = `{"schema":"case.v1","person":{"name":"Ivan Petrov","gender":"male"},"status":"pretrial"}`

func TestAddAndImportSameVerdict(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"valid", validLine, "accepted"},
		{"number name", `{"schema":"case.v1","person":{"name":5,"gender":"male"},"status":"pretrial"}`,
			"person.name: must be text (got a number); text that looks like a number or true/false goes in quotes: name: \"5\"\n"},
		{"duplicate status", `{"schema":"case.v1","person":{"name":"Ivan"},"status":"x","status":"sentenced"}`,
			"this field appears twice in the same place (first on line 1); keep one of them"},
		{"duplicate in person", `{"person":{"name":"Ivan","gender":"male","gender":"female"},"status":"pretrial"}`,
			"this field appears twice in the same place (first on line 1); keep one of them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			add, addDoc := addVerdict([]byte(tc.doc))
			// The record between two valid ones: its refusal stops no other.
			imp, docs := importVerdicts(t, [][]byte{[]byte(validLine), []byte(tc.doc), []byte(validLine)})
			if len(imp) != 3 || imp[0] != "accepted" || imp[2] != "accepted" {
				t.Fatalf("import verdicts %q", imp)
			}
			if add != imp[1] || addDoc != docs[1] {
				t.Fatalf("add and import disagree:\nadd:    %q %s\nimport: %q %s", add, addDoc, imp[1], docs[1])
			}
			if !strings.Contains(add, tc.want) {
				t.Fatalf("verdict %q, want %q", add, tc.want)
			}
		})
	}
}

// Arbitrary small documents, with fields of any JSON type and fields
// repeated: case add and import give the same verdict, the same messages
// and, when accepted, the same stored document.
func TestAddAndImportAgreeProperty(t *testing.T) {
	str := rapid.SampledFrom([]string{`"Ivan Petrov"`, `"male"`, `"pretrial"`, `"sentenced"`, `"1990-05-01"`, `"275"`, `"case.v1"`, `""`, `"x"`})
	scalar := rapid.OneOf(str,
		rapid.Map(rapid.IntRange(-3, 3000), func(i int) string { return fmt.Sprint(i) }),
		rapid.SampledFrom([]string{"true", "false", "null", "1.5", "[]", "{}", `["a",5]`}))
	field := func(keys []string, val *rapid.Generator[string]) *rapid.Generator[string] {
		return rapid.Custom(func(t *rapid.T) string {
			n := rapid.IntRange(0, 5).Draw(t, "n")
			var parts []string
			for range n {
				k := rapid.SampledFrom(keys).Draw(t, "key")
				parts = append(parts, fmt.Sprintf("%q:%s", k, val.Draw(t, "val")))
			}
			return "{" + strings.Join(parts, ",") + "}"
		})
	}
	person := field([]string{"name", "gender", "birth_date", "aliases", "name"}, scalar)
	charge := field([]string{"article", "article"}, scalar)
	charges := rapid.Map(rapid.SliceOfN(charge, 0, 2), func(cs []string) string { return "[" + strings.Join(cs, ",") + "]" })
	top := field([]string{"schema", "person", "person", "status", "status", "charges"},
		rapid.OneOf(scalar, person, person, charges))
	rapid.Check(t, func(rt *rapid.T) {
		doc := top.Draw(rt, "doc")
		if !json.Valid([]byte(doc)) {
			rt.Fatalf("generator made invalid JSON: %s", doc)
		}
		add, addDoc := addVerdict([]byte(doc))
		imp, docs := importVerdicts(rt, [][]byte{[]byte(doc), []byte(validLine)})
		if len(imp) != 2 || imp[1] != "accepted" {
			rt.Fatalf("import verdicts %q", imp)
		}
		if add != imp[0] || addDoc != docs[0] {
			rt.Fatalf("add and import disagree on %s:\nadd:    %q %s\nimport: %q %s", doc, add, addDoc, imp[0], docs[0])
		}
	})
}
