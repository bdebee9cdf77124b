package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/publish"
)

// nicknameField is a new field of the person, restricted, that names
// them. Its annotations are all a field needs to be searched, imported
// from CSV and kept out of publications by the leak scan.
const nicknameField = `"nickname": {
          "description": "What friends and cellmates call the person.",
          "x-sensitivity": "restricted",
          "x-search": true,
          "x-identifying": "person-name",
          "x-csv": {"column": "nickname"},
          "$ref": "#/$defs/shortText"
        },
        "aliases": {`

// nicknameSchema returns case.v1.json with person.nickname added; with
// identifying false, without its x-identifying annotation.
func nicknameSchema(t *testing.T, identifying bool) *schema.Schema {
	t.Helper()
	field := nicknameField
	if !identifying {
		field = strings.Replace(field, `"x-identifying": "person-name",`, "", 1)
	}
	js := strings.Replace(string(schema.SchemaJSON()), `"aliases": {`, field, 1)
	s, err := schema.Load([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	nickPerson = "Aleksei Voronin"
	nickname   = "Lyokha Zhuravsky"
)

// TestNewFieldFlowsEverywhere adds person.nickname to a copy of the schema
// and shows that the annotations alone carry it into every list of fields:
// the CSV import reads its column, search finds the case by it, the leak
// scan refuses a publication that names it (also by the surname alone, as
// a name), and no publication record carries it.
func TestNewFieldFlowsEverywhere(t *testing.T) {
	s := nicknameSchema(t, true)

	// CSV import: the embedded schema does not know the column; the copy
	// takes it into the case.
	csvPath := filepath.Join(t.TempDir(), "cases.csv")
	csvData := "name,nickname,region,consent,summary\n" + nickPerson + "," + nickname + ",Omsk Oblast,full,Detained for an anti-war post.\n"
	if err := os.WriteFile(csvPath, []byte(csvData), 0o600); err != nil {
		t.Fatal(err)
	}
	var fe *ImportFileError
	if _, err := CheckImportFile(csvPath, ImportOptions{Format: FormatCSV}); !errors.As(err, &fe) || !strings.Contains(err.Error(), `unknown column "nickname"`) {
		t.Fatalf("embedded schema: CheckImportFile = %v, want unknown column nickname", err)
	}
	v := newTestVault(t)
	rep, err := v.Import(context.Background(), csvPath, ImportOptions{Format: FormatCSV, Schema: s})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("Import with the new field = %+v, %v", rep, err)
	}

	// Search: the imported case is found by the nickname alone.
	found, err := v.Search("zhuravsky")
	if err != nil || len(found) != 1 || found[0].Name != nickPerson {
		t.Fatalf("Search(zhuravsky) = %+v, %v; want the case of %s", found, err, nickPerson)
	}

	// The leak scan: a public field that holds the nickname, whole or as
	// a surname, is refused; with the nickname only in its own field, the
	// publication goes ahead and carries it nowhere.
	doc := func(s *schema.Schema, consent, summary string) *schema.Case {
		t.Helper()
		c, err := s.Parse([]byte("person:\n  name: " + nickPerson + "\n  nickname: " + nickname +
			"\n  region: Omsk Oblast\nstatus: pretrial\npublication:\n  consent: " + consent + "\n  summary: " + summary + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	prepare := func(c *schema.Case) (*publish.Set, error) {
		h := sha256.Sum256(c.Canonical())
		return publish.Prepare("Test Group", []publish.Source{{CaseID: "c1", PublicID: "p" + hex.EncodeToString(h[:8]), Case: c}}, publish.Options{K: 1})
	}
	for _, canary := range []string{"Friends call him " + nickname + ".", "Zhuravsky was detained in March."} {
		_, err := prepare(doc(s, "full", canary))
		var le *publish.LeakError
		if !errors.As(err, &le) || len(le.Hits) == 0 || !strings.HasPrefix(le.Hits[0].Field, "person.nickname") {
			t.Errorf("summary %q: Prepare = %v, want a leak of person.nickname", canary, err)
		}
	}
	// Without x-identifying the surname alone is not searched for as a
	// name: the annotation, not the field's level, is what catches it.
	if _, err := prepare(doc(nicknameSchema(t, false), "full", "Zhuravsky was detained in March.")); err != nil {
		t.Errorf("without x-identifying: Prepare = %v, want no hit for the surname alone", err)
	}
	for _, consent := range []string{"full", "anonymous"} {
		set, err := prepare(doc(s, consent, "Detained for an anti-war post."))
		if err != nil {
			t.Fatalf("consent %s: Prepare = %v", consent, err)
		}
		for _, format := range []string{"json", "csv", "html"} {
			files, err := publish.Render(set, format)
			if err != nil {
				t.Fatal(err)
			}
			for name, b := range files {
				if bytes.Contains(bytes.ToLower(b), []byte("zhuravsk")) {
					t.Errorf("consent %s: %s carries the nickname", consent, name)
				}
			}
		}
	}
}
