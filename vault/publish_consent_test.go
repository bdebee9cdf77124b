package vault

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// publishedCases publishes v as JSON and returns the id and name of each
// published case.
func publishedCases(t *testing.T, v *Vault) map[string]string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "pub")
	if _, err := v.Publish(context.Background(), PublishOptions{Dir: out, Format: "json", K: 1}); err != nil { // one case, no crowd: k-anonymity is tested elsewhere
		t.Fatalf("Publish: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct{ ID, Name string } `json:"cases"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, c := range doc.Cases {
		m[c.ID] = c.Name
	}
	return m
}

// TestConsentChangeUnlinks is the withdrawn-consent finding: a case
// published with consent full, then switched to anonymous, must not keep
// its public ID, and its pseudonym must not be derived from any ID.
func TestConsentChangeUnlinks(t *testing.T) {
	_, v := coreInit(t, true)
	full := publishFixture(t, "kara-murza")
	id := coreAdd(t, v, full)
	first := publishedCases(t, v)
	if len(first) != 1 {
		t.Fatalf("published %v", first)
	}
	var fullID string
	for k := range first {
		fullID = k
	}
	// Same consent: the same public ID (links to the page keep working).
	again := publishedCases(t, v)
	if _, ok := again[fullID]; !ok {
		t.Fatalf("public ID changed without a consent change: %v then %v", first, again)
	}

	anon := strings.Replace(full, "consent: full", "consent: anonymous", 1)
	if _, err := v.UpdateCase(id, coreCase(t, anon)); err != nil {
		t.Fatal(err)
	}
	after := publishedCases(t, v)
	if len(after) != 1 {
		t.Fatalf("published %v", after)
	}
	for anonID, name := range after {
		if anonID == fullID {
			t.Fatalf("public ID %s kept after consent became anonymous", anonID)
		}
		if !strings.HasPrefix(name, "Anonymous #") {
			t.Fatalf("anonymous case published as %q", name)
		}
		tag := strings.TrimPrefix(name, "Anonymous #")
		for _, pid := range []string{fullID, anonID} {
			if strings.Contains(strings.ToUpper(pid), tag) {
				t.Fatalf("pseudonym %q derived from public ID %s", name, pid)
			}
		}
		if strings.Contains(name, "Kara") || strings.Contains(name, "Владимир") {
			t.Fatalf("anonymous page names the person: %q", name)
		}
	}
	// Back to full: yet another public ID, not the first one again.
	if _, err := v.UpdateCase(id, coreCase(t, full)); err != nil {
		t.Fatal(err)
	}
	for pid := range publishedCases(t, v) {
		if pid == fullID || after[pid] != "" {
			t.Fatalf("public ID %s reused after a consent change", pid)
		}
	}
}
