package vault

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/publish"
)

// TestPublishScansEveryCase: with --case B, the confidential lawyer of a
// case A that is not published (consent full, not named) is still a
// secret in B's summary.
func TestPublishScansEveryCase(t *testing.T) {
	v := newOrgVault(t, "Gamma Group", nil)
	addCaseText(t, v, `schema: case.v1
person:
  name: Anna Orlova
  contacts:
    - role: lawyer
      name: Oksana Vyshnevetska
publication:
  consent: full
  summary: Anna Orlova, a nurse.
`)
	b := addCaseText(t, v, `schema: case.v1
person:
  name: Boris Titov
publication:
  consent: full
  summary: Defended by Вишневецька.
`)
	_, err := v.Publish(context.Background(), PublishOptions{Dir: filepath.Join(t.TempDir(), "out"), Format: "md", Cases: []CaseID{b}})
	var le *publish.LeakError
	if !errors.As(err, &le) || le.Hits[0].Field != "person.contacts[0].name" || le.Hits[0].Strength != "surname only" {
		t.Fatalf("want a surname-only hit on A's lawyer, got %v", err)
	}
}

// TestPublishPartnerSecrets: a case imported from a partner brings the
// partner's restricted values; they do not censor our own cases, and the
// hits of our secrets name no partner.
func TestPublishPartnerSecrets(t *testing.T) {
	a, b := partners(t)
	aCase := addCaseText(t, a, fullCase)
	if _, err := a.ShareCase(aCase, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights")); err != nil {
		t.Fatal(err)
	}
	origins, err := b.caseOriginOrgs()
	if err != nil || len(origins) != 1 {
		t.Fatalf("origins %v %v", origins, err)
	}
	for _, org := range origins {
		if org != "Alpha Defence" {
			t.Fatalf("origin %q", org)
		}
	}
	// The partner's alias "Vanya" and its restricted description are in
	// our own summary: not our secrets.
	own := addCaseText(t, b, `schema: case.v1
person:
  name: Pavel Gusev
mistreatment:
  - date: 2024-01-01
    kind: [threats]
    witnesses: ["сокамерник Рустам Хайруллин"]
publication:
  consent: full
  summary: He met Vanya, who was beaten in the corridor.
`)
	res, err := b.Publish(context.Background(), PublishOptions{Format: "md", Review: true, Cases: []CaseID{own}})
	if err != nil || len(res.Hits) != 0 {
		t.Fatalf("partner secrets censored our case: %v %+v", err, res)
	}
	// Our own secret in it still counts, and names no partner.
	if _, err := b.UpdateCase(own, parseDoc(t, strings.Replace(`schema: case.v1
person:
  name: Pavel Gusev
mistreatment:
  - date: 2024-01-01
    kind: [threats]
    witnesses: ["сокамерник Рустам Хайруллин"]
publication:
  consent: full
  summary: S
`, "S", "Khairullin saw it.", 1))); err != nil {
		t.Fatal(err)
	}
	res, err = b.Publish(context.Background(), PublishOptions{Format: "md", Review: true, Cases: []CaseID{own}})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Org != "" || res.Hits[0].Strength != "surname only" {
		t.Fatalf("our secret: %v %+v", err, res)
	}
}

func parseDoc(t *testing.T, text string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
