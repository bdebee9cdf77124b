package publish

import (
	"errors"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// adversarialSecrets are the cases whose secrets the corpus smuggles: one
// declined (consent none), one with full consent that is not in the
// publication, one whose name an override made confidential.
func adversarialSecrets(t testing.TB) []Source {
	var out []Source
	for _, n := range []string{"withheld", "skipped", "declined"} {
		src := source(n, loadCase(t, filepath.Join("testdata", "adversarial", "secrets", n+".yaml")))
		src.Skip = true
		out = append(out, src)
	}
	return out
}

// corpusHeader reads the planted text and the expected secret of a corpus
// file from its comment header.
func corpusHeader(t *testing.T, path string) (planted, secretCase, secretField string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "# planted: "):
			planted, err = strconv.Unquote(strings.TrimPrefix(line, "# planted: "))
			if err != nil {
				t.Fatalf("%s: planted: %v", path, err)
			}
		case strings.HasPrefix(line, "# secret: "):
			f := strings.Fields(strings.TrimPrefix(line, "# secret: "))
			secretCase, secretField = f[0], f[1]
		}
	}
	if planted == "" || secretCase == "" {
		t.Fatalf("%s: header lacks # planted: or # secret:", path)
	}
	return
}

// TestAdversarialCorpus publishes each case of testdata/adversarial, which
// smuggles a secret of a case in testdata/adversarial/secrets into a
// public field in disguise, in all four formats: each must be refused with
// a hit naming that secret (or a personal-data pattern for a number or an
// address), and with Redact the planted text must be gone from every
// file while the case's own name stays.
func TestAdversarialCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "adversarial", "[0-9]*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 150 {
		t.Fatalf("corpus has %d files, want at least 150", len(files))
	}
	secrets := adversarialSecrets(t)
	refused := 0
	for _, path := range files {
		name := filepath.Base(path)
		planted, sc, sf := corpusHeader(t, path)
		srcs := append([]Source{source("published", loadCase(t, path))}, secrets...)
		for _, format := range Formats {
			// The scan runs before rendering, on every string any format
			// writes; each format is asked for in turn as publish would.
			set, err := Prepare(testOrg, srcs, Options{})
			var le *LeakError
			if !errors.As(err, &le) {
				t.Errorf("%s (%s): not refused: %v", name, format, err)
				break
			}
			if set != nil {
				t.Errorf("%s (%s): refused but returned a set to render", name, format)
			}
			found := false
			for _, h := range le.Hits {
				if h.Case == "c-"+sc && h.Field == sf || h.Kind == "personal data" && h.Field != "bidi control character" && h.Case == "c-published" {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %q: hits %v, want one for %s %s", name, planted, le.Hits, sc, sf)
				break
			}
			if format == "html" {
				refused++
			}
		}
		for _, format := range Formats {
			p := build(t, srcs, format, Options{Redact: true})
			out := allText(p)
			if strings.Contains(out, planted) || strings.Contains(out, html.EscapeString(planted)) {
				t.Errorf("%s: %q still in %s output with Redact", name, planted, format)
			}
			if !strings.Contains(out, "Ivan Petrov") {
				t.Errorf("%s: %s output with Redact lost the case's own name", name, format)
			}
		}
	}
	t.Logf("%d of %d corpus files refused in all four formats", refused, len(files))
}
