package bulk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault/internal/cases"
)

// QuarantineField is the top-level field an export record of a
// quarantined case carries (with [ExportOptions.IncludeQuarantined]):
// the organisation it came from and since when. Import strips it before
// validating the document and quarantines the imported case, so that a
// migration does not turn a removed partner's cases into ordinary ones.
const QuarantineField = "casevault_quarantine"

// A Mark is the quarantine mark of an export record: the case's
// quarantine (the removed organisation it came from, and since when).
type Mark = cases.Quarantine

// ExportOptions are the options of an export (the vault's ExportWith).
type ExportOptions struct {
	// IncludeQuarantined writes quarantined cases too, each marked with
	// [QuarantineField]; without it the export refuses them.
	IncludeQuarantined bool
}

// Line returns the export record of a case document doc (a JSON object),
// without its line end: doc itself, or with a quarantine mark q doc with
// the mark as its first field.
func Line(doc []byte, q *Mark) ([]byte, error) {
	if q == nil {
		return doc, nil
	}
	return markQuarantined(doc, q)
}

// markQuarantined returns the export line of doc (a JSON object) with the
// quarantine mark as its first field.
func markQuarantined(doc []byte, q *Mark) ([]byte, error) {
	mark, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	d := bytes.TrimSpace(doc)
	if len(d) < 2 || d[0] != '{' {
		return nil, fmt.Errorf("export: case document is not a JSON object")
	}
	var b bytes.Buffer
	b.WriteString(`{"` + QuarantineField + `":`)
	b.Write(mark)
	if rest := bytes.TrimSpace(d[1:]); len(rest) > 0 && rest[0] != '}' {
		b.WriteByte(',')
	}
	b.Write(d[1:])
	return b.Bytes(), nil
}

// splitQuarantine removes the quarantine mark from an import record, if
// any, and returns the record without it and the mark.
func splitQuarantine(data []byte) ([]byte, *Mark, error) {
	if !bytes.Contains(data, []byte(`"`+QuarantineField+`"`)) {
		return data, nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return data, nil, nil // the document's own error is reported
	}
	raw, ok := m[QuarantineField]
	if !ok {
		return data, nil, nil
	}
	var q Mark
	if err := json.Unmarshal(raw, &q); err != nil || strings.TrimSpace(q.Org) == "" || q.Since.IsZero() {
		return nil, nil, fmt.Errorf("%s: want {\"org\": NAME, \"since\": TIME}", QuarantineField)
	}
	delete(m, QuarantineField)
	out, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return out, &q, nil
}
