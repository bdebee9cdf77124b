package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestKindsTableHasEveryPrefix reads the prefix constants from kinds.go
// (every P… constant of a rune value) and requires each to have exactly one
// row in Kinds, and every row to be one of them.
func TestKindsTableHasEveryPrefix(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "kinds.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[byte]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.CHAR || !strings.HasPrefix(n.Name, "P") {
					continue
				}
				r, _, _, err := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
				if err != nil || r > 0xff {
					t.Fatalf("%s: %s is not a one-byte prefix", n.Name, lit.Value)
				}
				if other, dup := consts[byte(r)]; dup {
					t.Errorf("%s and %s share the prefix %s", other, n.Name, lit.Value)
				}
				consts[byte(r)] = n.Name
			}
		}
	}
	if len(consts) < 15 {
		t.Fatalf("found only %d prefix constants in kinds.go", len(consts))
	}
	rows := map[byte]int{}
	for _, k := range Kinds {
		rows[k.Prefix]++
		if _, ok := consts[k.Prefix]; !ok {
			t.Errorf("row %q (%s) has no prefix constant", k.Prefix, k.Name)
		}
		if k.Name == "" || (k.KeyLen > 1 && k.KeyedBy == "") {
			t.Errorf("row %q is incomplete: %+v", k.Prefix, k)
		}
		if k.PerCase != (k.Purge == PurgeCase) {
			t.Errorf("row %q: PerCase %v but purge mode %d", k.Prefix, k.PerCase, k.Purge)
		}
		if k.Rekey == RekeyReseal && k.Seal != SealSys && k.Seal != SealIndex {
			t.Errorf("row %q: resealed but sealed with key kind %d", k.Prefix, k.Seal)
		}
	}
	for p, name := range consts {
		if rows[p] != 1 {
			t.Errorf("prefix constant %s (%q) has %d rows in Kinds, want 1", name, p, rows[p])
		}
		if !KnownPrefix(p) {
			t.Errorf("restore would refuse %s records", name)
		}
	}
}
