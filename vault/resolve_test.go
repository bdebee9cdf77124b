package vault

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
)

// plantCase stores a case key and a summary under a chosen ID, so that
// two IDs can share a prefix (real IDs are random).
func plantCase(t *testing.T, v *Vault, text, name string) CaseID {
	t.Helper()
	id, err := ParseCaseID(text)
	if err != nil {
		t.Fatal(err)
	}
	err = v.commit(func(c *change) error {
		if err := c.txn.Set(caseKeyKey(id), crypto.WrapKey(c.v.keys.caseKEK, crypto.NewKey(), recordAD(caseKeyKey(id)))); err != nil {
			return err
		}
		c.audit(OpCaseAdd, []string{id.String()}, nil)
		return c.put(summaryKey(id), c.v.keys.index, index.EncodeSummary(Summary{ID: id.String(), Name: name, Updated: time.Now(), Rev: 1}))
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestResolveCasePrefix(t *testing.T) {
	v := newTestVault(t)
	a := plantCase(t, v, "cqqqqaaaaaaaaaaaa", "Ivan Petrov")
	b := plantCase(t, v, "cqqqqbaaaaaaaaaaa", "Anna Sidorova")
	c := plantCase(t, v, "cqqqraaaaaaaaaaaa", "Oleg Orlov")
	// a neighbour just outside the range of "cqqqq" on both sides
	plantCase(t, v, "cqqqp777777777777", "Before")

	for _, tc := range []struct {
		text string
		want CaseID
	}{
		{"cqqqqa", a}, {"CQQQQB", b}, {"cqqqr", c}, {"cqqqraaaaaaaaaaaa", c}, {" cqqqqaa ", a},
	} {
		got, err := v.ResolveCase(tc.text)
		if err != nil || got != tc.want {
			t.Errorf("ResolveCase(%q) = %s, %v; want %s", tc.text, got, err, tc.want)
		}
	}

	_, err := v.ResolveCase("cqqqq")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 || !errors.Is(err, ErrInvalid) {
		t.Fatalf("ambiguous prefix: %v", err)
	}
	for _, want := range []string{a.String() + "  Ivan Petrov", b.String() + "  Anna Sidorova"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ambiguous error %q does not list %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "Oleg") || strings.Contains(err.Error(), "Before") {
		t.Errorf("ambiguous error lists a case outside the prefix: %q", err)
	}

	if _, err := v.ResolveCase("cqqqs"); !IsNotFound(err) {
		t.Errorf("prefix of no case: %v, want not found", err)
	}
	for _, bad := range []string{"cqq", "c123", "eqqqq", "cqqqqaaaaaaaaaaaaa", ""} {
		if _, err := v.ResolveCase(bad); !errors.As(err, new(*InvalidIDError)) {
			t.Errorf("ResolveCase(%q): %v, want an invalid ID", bad, err)
		}
	}
}

func TestResolveCaseBounded(t *testing.T) {
	v := newTestVault(t)
	for i := 0; i < maxCandidates+5; i++ {
		plantCase(t, v, "czzzz"+string(rune('a'+i))+"aaaaaaaaaaa", "Same")
	}
	_, err := v.ResolveCase("czzzz")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || len(amb.Candidates) != maxCandidates || !amb.More {
		t.Fatalf("many candidates: %v", err)
	}
}

func TestResolveEvidencePrefix(t *testing.T) {
	v := newTestVault(t)
	id, err := v.AddCase(testCase(t, "Ivan Petrov", "Иван Петров", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := v.AddEvidence(context.Background(), id, strings.NewReader("report"), EvidenceInput{Name: "report.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := v.ResolveEvidence(m.ID[:6])
	if err != nil || e.String() != m.ID {
		t.Fatalf("ResolveEvidence(%q) = %s, %v; want %s", m.ID[:6], e, err, m.ID)
	}
	got, err := v.ResolveCase(id.String()[:5])
	if err != nil || got != id {
		t.Fatalf("ResolveCase of a real case: %s, %v", got, err)
	}
}
