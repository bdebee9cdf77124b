package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// QuarantineField is the top-level field an export record of a
// quarantined case carries (with [PlainExportOptions.IncludeQuarantined]):
// the organisation it came from and since when. Import strips it before
// validating the document and quarantines the imported case, so that a
// migration does not turn a removed partner's cases into ordinary ones.
const QuarantineField = "casevault_quarantine"

// PlainExportOptions are the options of [Vault.ExportWith].
type PlainExportOptions struct {
	// IncludeQuarantined writes quarantined cases too, each marked with
	// [QuarantineField]; without it the export refuses them.
	IncludeQuarantined bool
}

// markQuarantined returns the export line of doc (a JSON object) with the
// quarantine mark as its first field.
func markQuarantined(doc []byte, q *Quarantine) ([]byte, error) {
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
func splitQuarantine(data []byte) ([]byte, *Quarantine, error) {
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
	var q Quarantine
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
