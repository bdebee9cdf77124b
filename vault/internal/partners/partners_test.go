package partners

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/errs"
)

func TestLookalike(t *testing.T) {
	removed := time.Now()
	orgs := []Org{{Name: "Alpha Defence"}, {Name: "Gamma Law", Removed: &removed}}
	for _, c := range []struct {
		name, want string
		own        bool
	}{
		{"Alpha Defence", "", false}, // itself
		{"ALPHA  Defence", "Alpha Defence", false},
		{"Аlpha Defence", "Alpha Defence", false}, // Cyrillic А
		{"Beta Rights", "", false},
		{"Gamma Law", "", false},           // removed: not refused
		{"Own\u200b Org", "Own Org", true}, // zero-width space
	} {
		le := Lookalike(c.name, "Own Org", orgs)
		switch {
		case c.want == "" && le != nil:
			t.Errorf("%q: refused as like %q", c.name, le.Existing)
		case c.want != "" && (le == nil || le.Existing != c.want || le.Own != c.own):
			t.Errorf("%q: got %+v, want like %q (own %v)", c.name, le, c.want, c.own)
		case le != nil && !errors.Is(le, errs.ErrInvalid):
			t.Errorf("%q: not in the category invalid", c.name)
		}
	}
}

func TestCheckFields(t *testing.T) {
	got, err := CheckFields([]string{" person ", "charges", "person", ""})
	if err != nil || len(got) != 2 || got[0] != "charges" || got[1] != "person" {
		t.Fatalf("CheckFields = %q, %v", got, err)
	}
	_, err = CheckFields([]string{"person", "nickname"})
	var fe *FieldsError
	if !errors.As(err, &fe) || len(fe.Unknown) != 1 || fe.Unknown[0] != "nickname" || !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("unknown field: %v", err)
	}
}

// The stored records keep their JSON (golden).
func TestRecordJSON(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b, _ := json.Marshal(Org{Name: "A", Recipient: "age1x", VerifyKey: []byte{1}, Fingerprint: "f", Added: at})
	if want := `{"name":"A","recipient":"age1x","verify_key":"AQ==","fingerprint":"f","added":"2026-01-02T03:04:05Z"}`; string(b) != want {
		t.Errorf("org JSON\n got %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(Share{Case: "c", Org: "A", Fields: []string{"person"}, Created: at, Author: "me"})
	if want := `{"case":"c","org":"A","fields":["person"],"created":"2026-01-02T03:04:05Z","author":"me"}`; string(b) != want {
		t.Errorf("share JSON\n got %s\nwant %s", b, want)
	}
}
