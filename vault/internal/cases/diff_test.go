package cases

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/casevault/casevault/vault/internal/errs"
)

// jsonValue draws a JSON value of bounded depth over few keys, so that
// two drawn documents share fields often.
func jsonValue(depth int) *rapid.Generator[any] {
	return rapid.Custom(func(t *rapid.T) any {
		kinds := 4
		if depth > 0 {
			kinds = 6
		}
		switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
		case 0:
			return rapid.SampledFrom([]string{"", "Omsk", "Tomsk", "Иван"}).Draw(t, "s")
		case 1:
			return float64(rapid.IntRange(-2, 2).Draw(t, "n"))
		case 2:
			return rapid.Bool().Draw(t, "b")
		case 3:
			return rapid.SampledFrom([]string{"x", "y"}).Draw(t, "s2")
		case 4:
			n := rapid.IntRange(0, 3).Draw(t, "len")
			l := make([]any, n)
			for i := range l {
				l[i] = jsonValue(depth-1).Draw(t, "e")
			}
			return l
		default:
			m := map[string]any{}
			for _, k := range rapid.SliceOfDistinct(rapid.SampledFrom([]string{"a", "b", "name", "notes"}), rapid.ID[string]).Draw(t, "keys") {
				m[k] = jsonValue(depth-1).Draw(t, "v")
			}
			return m
		}
	})
}

func jsonDoc() *rapid.Generator[any] {
	return rapid.Custom(func(t *rapid.T) any {
		m := map[string]any{}
		for _, k := range rapid.SliceOfDistinct(rapid.SampledFrom([]string{"person", "charges", "status", "notes"}), rapid.ID[string]).Draw(t, "keys") {
			m[k] = jsonValue(3).Draw(t, "v")
		}
		return m
	})
}

// mutate returns a copy of doc with a few of its leaves replaced, so that
// pairs of documents are often close (as revisions are).
func mutate(t *rapid.T, doc any) any {
	b, _ := json.Marshal(doc)
	var c any
	_ = json.Unmarshal(b, &c)
	changes := Diff(doc, jsonDoc().Draw(t, "other"))
	for _, ch := range changes {
		if rapid.IntRange(0, 3).Draw(t, "take") == 0 {
			// one change alone may not apply (a list element past the
			// end): such a one is left out
			func() {
				defer func() { _ = recover() }()
				c = apply(c, []Change{ch})
			}()
		}
	}
	return c
}

// apply changes doc as the changes say (a copy): added and changed fields
// are set, removed ones deleted (list elements from the end).
func apply(doc any, changes []Change) any {
	var set func(v any, at []any, val any, del bool) any
	set = func(v any, at []any, val any, del bool) any {
		if len(at) == 0 {
			return val
		}
		switch s := at[0].(type) {
		case string:
			m, _ := v.(map[string]any)
			n := map[string]any{}
			for k, x := range m {
				n[k] = x
			}
			if del && len(at) == 1 {
				delete(n, s)
			} else {
				n[s] = set(n[s], at[1:], val, del)
			}
			return n
		case int:
			l, _ := v.([]any)
			n := append([]any(nil), l...)
			switch {
			case del && len(at) == 1:
				n = append(n[:s], n[s+1:]...)
			case s == len(n):
				n = append(n, set(nil, at[1:], val, del))
			default:
				n[s] = set(n[s], at[1:], val, del)
			}
			return n
		}
		return v
	}
	for _, c := range changes {
		if c.Kind != Removed {
			doc = set(doc, c.at, c.New, false)
		}
	}
	for i := len(changes) - 1; i >= 0; i-- {
		if c := changes[i]; c.Kind == Removed {
			doc = set(doc, c.at, nil, true)
		}
	}
	return doc
}

func TestDiffProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := jsonDoc().Draw(t, "a")
		var b any
		if rapid.Bool().Draw(t, "close") {
			b = mutate(t, a)
		} else {
			b = jsonDoc().Draw(t, "b")
		}
		d := Diff(a, b)
		if (len(d) == 0) != reflect.DeepEqual(a, b) {
			t.Fatalf("diff %v of a=%v b=%v: empty=%v, equal=%v", d, a, b, len(d) == 0, reflect.DeepEqual(a, b))
		}
		if got := apply(a, d); !reflect.DeepEqual(got, b) {
			t.Fatalf("a=%v with diff %v applied is %v, want b=%v", a, d, got, b)
		}
		if !reflect.DeepEqual(d, Diff(a, b)) {
			t.Fatal("diff is not deterministic")
		}
		for _, c := range d {
			va, inA := Lookup(a, c.at)
			vb, inB := Lookup(b, c.at)
			if PathString(c.at) != c.Path {
				t.Fatalf("path %q, steps say %q", c.Path, PathString(c.at))
			}
			switch c.Kind {
			case Added:
				if inA || !inB || !Equal(vb, c.New) || c.Old != nil {
					t.Fatalf("added %s: in a %v, in b %v (%v), new %v", c.Path, inA, inB, vb, c.New)
				}
			case Removed:
				if !inA || inB || !Equal(va, c.Old) || c.New != nil {
					t.Fatalf("removed %s: in a %v (%v), in b %v", c.Path, inA, va, inB)
				}
			case Changed:
				if !inA || !inB || !Equal(va, c.Old) || !Equal(vb, c.New) || Equal(va, vb) {
					t.Fatalf("changed %s: %v -> %v, recorded %v -> %v", c.Path, va, vb, c.Old, c.New)
				}
			default:
				t.Fatalf("kind %q", c.Kind)
			}
		}
		// Storing the base again undoes every change since, and nothing
		// when there was none; storing the current document undoes nothing.
		if u := Undone(a, b, a); (len(u) == 0) != reflect.DeepEqual(a, b) {
			t.Fatalf("undone %v, a==b %v", u, reflect.DeepEqual(a, b))
		}
		if u := Undone(a, b, b); len(u) != 0 {
			t.Fatalf("storing the current document undoes %v", u)
		}
		// What a third document would undo is where it differs from the
		// current one, and only inside what changed since the base.
		f := mutate(t, b)
		since := Diff(a, b)
		for _, u := range Undone(a, b, f) {
			vb, inB := Lookup(b, u.at)
			vf, inF := Lookup(f, u.at)
			if inB != (u.Kind != Added) || inF != (u.Kind != Removed) || (inB && !Equal(vb, u.Old)) || (inF && !Equal(vf, u.New)) {
				t.Fatalf("undone %+v: current %v (%v), file %v (%v)", u, vb, inB, vf, inF)
			}
			inside := false
			for _, c := range since {
				if strings.HasPrefix(u.Path, c.Path) {
					inside = true
				}
			}
			if !inside {
				t.Fatalf("undone %s, which did not change since the base (%v)", u.Path, since)
			}
		}
	})
}

func TestDiffExample(t *testing.T) {
	var a, b any
	_ = json.Unmarshal([]byte(`{"person":{"name":"Ivan","region":"Omsk"},"charges":[{"article":"207.3"}],"status":"pretrial"}`), &a)
	_ = json.Unmarshal([]byte(`{"person":{"name":"Ivan","region":"Tomsk"},"charges":[{"article":"207.3"},{"article":"280"}],"notes":"visit"}`), &b)
	var got []string
	for _, c := range Diff(a, b) {
		got = append(got, string(c.Kind)+" "+c.Path)
	}
	want := []string{"added charges[1]", "added notes", "changed person.region", "removed status"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestUndone(t *testing.T) {
	var base, cur, file any
	// revision 3 added a note and moved the region; the file (made at
	// revision 2) changed the name and still has the old region.
	_ = json.Unmarshal([]byte(`{"person":{"name":"Ivan","region":"Omsk"}}`), &base)
	_ = json.Unmarshal([]byte(`{"person":{"name":"Ivan","region":"Tomsk"},"notes":"Beta: lawyer visit"}`), &cur)
	_ = json.Unmarshal([]byte(`{"person":{"name":"Ivan Petrov","region":"Omsk"}}`), &file)
	u := Undone(base, cur, file)
	if len(u) != 2 || u[0].Path != "notes" || u[0].Kind != Removed || u[0].Old != "Beta: lawyer visit" ||
		u[1].Path != "person.region" || u[1].Kind != Changed || u[1].Old != "Tomsk" || u[1].New != "Omsk" {
		t.Fatalf("undone %+v", u)
	}
	// a file that took the changes in (merged by hand) undoes nothing
	_ = json.Unmarshal([]byte(`{"person":{"name":"Ivan Petrov","region":"Tomsk"},"notes":"Beta: lawyer visit"}`), &file)
	if u := Undone(base, cur, file); len(u) != 0 {
		t.Fatalf("merged file undoes %+v", u)
	}
}

func TestParseBase(t *testing.T) {
	id := "c7k2m9xq4a5b6c7d8"
	for _, tc := range []struct {
		in   string
		want Base
		ok   bool
	}{
		{BaseLine(Base{Case: id, Rev: 3}, "2026-11-30T06:00:00Z by tester") + "\nperson:\n  name: x\n", Base{id, 3}, true},
		{"\ufeff# note\n\n" + BaseLine(Base{Case: id, Rev: 12}, "") + "\r\nperson: {}\n", Base{id, 12}, true},
		{"# case " + id + ", revision 2, 2026-01-01T00:00:00Z by a\nperson: {}\n", Base{id, 2}, true},
		{BaseLine(Base{}, "") + "\nschema: case.v1\n", Base{}, true},
		{"person:\n  name: x\n" + BaseLine(Base{Case: id, Rev: 3}, "") + "\n", Base{}, false},
		{"notes: |\n  # casevault: case " + id + " revision 3\n", Base{}, false},
		{"# casevault: case " + id + " revision 99999999999\n", Base{}, false},
		{`{"person":{"name":"x"}}`, Base{}, false},
		{"", Base{}, false},
	} {
		got, ok := ParseBase([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseBase(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseBaseStrictMalformed(t *testing.T) {
	id := "c7k2m9xq4a5b6c7d8"
	for _, in := range []string{
		"# casevault: case " + id + " revision -1, opened\nperson: {}\n",
		"# casevault: case " + id + " revision 1x\nperson: {}\n",
		"# casevault: case " + id + " revision 99999999999\n",
		"# casevault: case " + id + " revision 4294967296\n",
		"# casevault: case " + id + "\n",
		"# casevault: case cBAD revision 3\n",
		"\ufeff# note\n\n#casevault : case " + id + " revsion 3\r\nperson: {}\n",
	} {
		b, ok, err := ParseBaseStrict([]byte(in))
		var me *MalformedBaseError
		if !errors.As(err, &me) || ok || b != (Base{}) {
			t.Errorf("ParseBaseStrict(%q) = %v, %v, %v; want a MalformedBaseError", in, b, ok, err)
		}
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%v is not ErrInvalid", err)
		}
	}
	if me := new(MalformedBaseError); true {
		_, _, err := ParseBaseStrict([]byte("# other\n# casevault: case 1x\n"))
		if !errors.As(err, &me) || me.Line != 2 {
			t.Errorf("line of the damaged marker: %v", err)
		}
	}
	// not damaged markers: the lines 'case edit' writes after a mistake,
	// a marker-looking line inside YAML, no marker at all
	for _, in := range []string{
		"# casevault: NOT STORED YET, for this reason:\n#   x\n# casevault: end of messages (these lines are removed when the file is read)\n" + BaseLine(Base{Case: id, Rev: 2}, "") + "\nperson: {}\n",
		"notes: |\n  # casevault: case " + id + " revision -1\n",
		"# a comment\nperson: {}\n",
	} {
		if _, _, err := ParseBaseStrict([]byte(in)); err != nil {
			t.Errorf("ParseBaseStrict(%q): %v", in, err)
		}
	}
}

func FuzzParseBase(f *testing.F) {
	f.Add([]byte("# casevault: case c7k2m9xq4a5b6c7d8 revision 3\nperson: {}\n"))
	f.Add([]byte("# casevault: case c7k2m9xq4a5b6c7d8 revision -1\nperson: {}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sb, sok, serr := ParseBaseStrict(b)
		if serr != nil && (sok || sb != (Base{})) {
			t.Fatal("a damaged marker, but a base")
		}
		base, ok := ParseBase(b)
		if base != sb || ok != sok {
			t.Fatalf("ParseBase %v %v, ParseBaseStrict %v %v", base, ok, sb, sok)
		}
		if !ok && base != (Base{}) {
			t.Fatal("no marker, but a base")
		}
		if ok && base.Case != "" {
			if again, ok2 := ParseBase([]byte(BaseLine(base, ""))); !ok2 || again != base {
				t.Fatalf("marker %v does not round-trip", base)
			}
		}
	})
}
