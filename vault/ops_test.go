package vault

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// opStrings are the operations as written to disk by every casevault so
// far. They are in signed audit entries and in revisions: a string here
// never changes, and a new operation is added here and to Ops.
var opStrings = []string{
	"audit.witness", "bundle.export", "bundle.import", "bundle.part", "case.add", "case.conflict",
	"case.edit", "case.import", "case.purge", "case.quarantine", "case.release", "case.resolve",
	"case.rm", "case.update", "check.repair", "custody.report", "evidence.add", "evidence.get",
	"evidence.import", "evidence.offload", "evidence.rm", "evidence.sync", "evidence.verify",
	"evidence.verify-failed", "export", "held.drop", "held.restore", "index.rebuild", "org.add", "org.rm", "org.update", "passwd",
	"publish", "publish.allow", "recovery.combine", "recovery.split", "remote.add", "remote.rm",
	"share", "staff.add", "staff.rm", "store.bind", "sync.compact", "sync.conflict", "sync.delete", "sync.discard", "sync.hold", "sync.pull", "sync.push",
	"unshare", "vault.backup", "vault.init", "vault.rekey", "vault.restore", "vault.rotate-identity",
}

// TestOpsTable: every Op constant of internal/audit/ops.go is in the
// table and keeps its name in vault, the table
// holds exactly the operations ever written, and no producer writes an op
// as a string literal instead of a constant.
func TestOpsTable(t *testing.T) {
	var inTable []string
	for op := range Ops {
		inTable = append(inTable, string(op))
	}
	slices.Sort(inTable)
	if !slices.Equal(inTable, opStrings) {
		t.Errorf("Ops holds\n%q\nwant the operations written to disk\n%q", inTable, opStrings)
	}
	fs := token.NewFileSet()
	af, err := parser.ParseFile(fs, "internal/audit/ops.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := 0
	var constNames []string
	ast.Inspect(af, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || vs.Type.(*ast.Ident).Name != "Op" {
			return true
		}
		for i, name := range vs.Names {
			consts++
			constNames = append(constNames, name.Name)
			s, _ := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
			if _, ok := Ops[Op(s)]; !ok {
				t.Errorf("%s (%q) is not in Ops", name.Name, s)
			}
		}
		return true
	})
	if consts != len(Ops) {
		t.Errorf("%d Op constants, %d operations in Ops", consts, len(Ops))
	}
	// Every constant keeps its name in vault (audit_names.go), which the
	// CLI uses.
	nf, err := parser.ParseFile(fs, "audit_names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	aliased := 0
	ast.Inspect(nf, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		if sel, ok := vs.Values[0].(*ast.SelectorExpr); ok && slices.Contains(constNames, sel.Sel.Name) && sel.Sel.Name == vs.Names[0].Name {
			aliased++
		}
		return true
	})
	if aliased != consts {
		t.Errorf("audit_names.go names %d of the %d Op constants", aliased, consts)
	}

	// Producers: c.audit/c.auditHash/putEvidence/removeCase and Op fields
	// take constants.
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "ops.go" {
			continue
		}
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || len(n.Args) == 0 {
					return true
				}
				arg := n.Args[0]
				switch sel.Sel.Name {
				case "putEvidence", "removeCase", "putRevision":
					arg = n.Args[len(n.Args)-1]
					if sel.Sel.Name == "putRevision" {
						arg = n.Args[3]
					}
				case "audit", "auditHash":
				default:
					return true
				}
				if lit, ok := arg.(*ast.BasicLit); ok {
					t.Errorf("%s: %s writes op %s: use an Op constant", fs.Position(lit.Pos()), sel.Sel.Name, lit.Value)
				}
			case *ast.CompositeLit:
				typ, ok := n.Type.(*ast.Ident)
				if !ok || !slices.Contains([]string{"AddOptions", "AuditEntry", "Revision", "CustodyEntry", "pendingAudit"}, typ.Name) {
					return true
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if k, ok := kv.Key.(*ast.Ident); ok && (k.Name == "Op" || k.Name == "op") {
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							t.Errorf("%s: %s{Op: %s}: use an Op constant", fs.Position(lit.Pos()), typ.Name, lit.Value)
						}
					}
				}
			}
			return true
		})
	}
}

// TestPreviousVaultOpsKnown: every operation in the fixture's log (a vault
// that ran nearly every command) is in the table, with the properties
// custody and check rely on.
func TestPreviousVaultOpsKnown(t *testing.T) {
	dir, _, u := previousVault(t)
	v, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	seen := map[Op]bool{}
	err = v.AuditEntries(func(e AuditEntry) error {
		if _, ok := Ops[e.Op]; !ok {
			t.Errorf("entry %d: op %q is not in Ops", e.Seq, e.Op)
		}
		seen[e.Op] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 19 {
		t.Errorf("the fixture's log has only %d distinct operations", len(seen))
	}
	for op, want := range map[Op]func(OpInfo) bool{
		OpCaseAdd:        func(i OpInfo) bool { return i.MovesHead && !i.NamesEvidence },
		OpBundleImport:   func(i OpInfo) bool { return i.MovesHead && i.Origin && !i.RecordsFileHash },
		OpEvidenceAdd:    func(i OpInfo) bool { return i.NamesEvidence && i.Origin && i.RecordsFileHash },
		OpEvidenceRm:     func(i OpInfo) bool { return i.NamesEvidence && i.RemovesEvidence },
		OpCasePurge:      func(i OpInfo) bool { return i.RemovesCase && !i.MovesHead },
		OpCustodyReport:  func(i OpInfo) bool { return !i.NamesEvidence && i.Prose != "" },
		OpEvidenceVerify: func(i OpInfo) bool { return i.NamesEvidence && !i.ReportsDamage },
	} {
		if !want(op.Info()) {
			t.Errorf("%s has properties %+v", op, op.Info())
		}
	}
}
