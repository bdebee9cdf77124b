package vault

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLibraryNamesNoCommand keeps the CLI's words out of the library: no
// string in vault, vault/publish or vault/internal/audit names a casevault command ('casevault
// org rm') or a flag (--fields); hints that do live in cmd/casevault. The
// documents the library writes for readers (the custody report's prose, a
// publication's about page) are not messages and may.
func TestLibraryNamesNoCommand(t *testing.T) {
	documents := map[string]bool{"custody_md.go": true, "about.go": true}
	bad := regexp.MustCompile(`'casevault [a-z]|(^|[\s(])--[a-z]{2,}`)
	for _, dir := range []string{".", "publish", "internal/audit"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || documents[filepath.Base(f)] {
				continue
			}
			fs := token.NewFileSet()
			af, err := parser.ParseFile(fs, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(lit.Value)
				if bad.MatchString(s) {
					t.Errorf("%s: %q names a command or flag: move the hint to cmd/casevault", fs.Position(lit.Pos()), s)
				}
				return true
			})
		}
	}
}
