package schema

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// A case file saved by a Windows editor (CRLF line endings, a UTF-8 byte
// order mark) reads exactly as the same file with LF endings: no \r in
// any value, block scalars included.
func TestParseCRLFAndBOM(t *testing.T) {
	lf := "schema: case.v1\nperson:\n  name: >\n    Ivan\n    Petrov\nstatus: pretrial\nnotes: |\n  Arrested at dawn.\n  Held without charge.\n"
	crlf := "\xef\xbb\xbf" + strings.ReplaceAll(lf, "\n", "\r\n")
	a, err := Parse([]byte(lf))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse([]byte(crlf))
	if err != nil {
		t.Fatalf("CRLF with BOM: %v", err)
	}
	ja, _ := json.Marshal(a.Doc)
	jb, _ := json.Marshal(b.Doc)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("CRLF file reads differently:\n%s\n%s", ja, jb)
	}
	if bytes.Contains(jb, []byte(`\r`)) {
		t.Fatalf("carriage return kept: %s", jb)
	}
}
