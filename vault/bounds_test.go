package vault

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/backupfmt"
)

// Every JSON parser of outside input refuses a nesting or key-count bomb
// with the limit in its error, before decoding it.
func TestJSONParsersBounded(t *testing.T) {
	deep := append([]byte(`{"format":`), bytes.Repeat([]byte("["), 30000)...)
	var keys bytes.Buffer
	keys.WriteString(`{"format":"x"`)
	for i := 0; keys.Len() < 60<<10; i++ {
		keys.WriteString(`,"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `":1`)
	}
	keys.WriteString("}")
	payload := func(doc []byte) []byte {
		var b bytes.Buffer
		b.WriteString("casevault backup payload v1\n" + "H\x00\x08manifest")
		binary.Write(&b, binary.BigEndian, uint32(len(doc)))
		b.Write(doc)
		b.Write([]byte{0, 0, 0, 0})
		return b.Bytes()
	}
	parsers := map[string]func([]byte) error{
		"witness": func(b []byte) error { _, err := ParseWitnessFile(b); return err },
		"card":    func(b []byte) error { _, err := ParseCard(b); return err },
		"manifest": func(b []byte) error {
			_, err := parseManifest(b, DefaultBundleLimits)
			return err
		},
		"case entry": func(b []byte) error {
			_, _, err := parseCaseEntry(&Manifest{}, ManifestEntry{Name: "cases/x.json"}, b, map[string]bool{})
			return err
		},
		"custody": func(b []byte) error { _, err := VerifyCustodyReport(b); return err },
		"backup manifest": func(b []byte) error {
			_, err := backupfmt.ReadPayload(bytes.NewReader(payload(b)), fuzzSink())
			return err
		},
	}
	for name, parse := range parsers {
		for bomb, data := range map[string][]byte{"nesting": deep, "keys": keys.Bytes()} {
			want := map[string]string{"nesting": "more than 32 levels of nesting", "keys": "more than 256 keys in one object"}[bomb]
			if err := parse(data); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s, %s bomb: %v; want an error saying %q", name, bomb, err, want)
			}
		}
	}
}
