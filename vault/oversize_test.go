package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/cases"
)

// hugeDoc is the canonical JSON of a case whose notes run past what a
// revision may hold once inflated: what the alias bomb of issue 11
// became in a vault before expansion was bounded.
func hugeDoc(name string) []byte {
	notes := strings.Repeat("y", maxRevisionJSON+1)
	return []byte(`{"notes":"` + notes + `","person":{"name":"` + name + `"},"schema":"case.v1"}`)
}

// storeOldOversized writes doc as the next revision of case id the way
// casevault did before it bounded the size of what it stores.
func storeOldOversized(t *testing.T, v *Vault, id CaseID, n uint32, doc []byte) {
	t.Helper()
	err := v.commit(func(c *change) error {
		dk, err := c.v.caseKey(c.txn, id)
		if err != nil {
			return err
		}
		h := sha256.Sum256(doc)
		b, err := json.Marshal(&Revision{CaseID: id.String(), Rev: n, Time: c.v.now(), Author: "old", Op: "case.update", SHA256: hex.EncodeToString(h[:]), Doc: doc})
		if err != nil {
			return err
		}
		c.auditHash("case.update", []string{id.String()}, h[:])
		return c.put(revisionKey(id, n), dk, cases.Compress(b))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A document too large to read back is refused before it is stored.
func TestOversizedRevisionRefused(t *testing.T) {
	_, v := coreInit(t, true)
	id := coreAdd(t, v, coreIvan)
	var doc map[string]any
	if err := json.Unmarshal(hugeDoc("Ivan Petrov"), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := v.UpdateCase(id, &schema.Case{Doc: doc})
	if !errors.Is(err, schema.ErrTooLarge) {
		t.Fatalf("UpdateCase(huge) = %v, want ErrTooLarge", err)
	}
	if r, err := v.Case(id); err != nil || r.Rev != 1 {
		t.Fatalf("after the refusal: rev %v, %v; want revision 1 readable", r, err)
	}
}

// A case an older casevault stored too large to read can still be
// removed and purged, and the rest of the vault works afterwards.
func TestOversizedStoredCaseRemovable(t *testing.T) {
	_, v := coreInit(t, true)
	keep := coreAdd(t, v, coreIvan)
	for _, how := range []string{"rm", "purge"} {
		t.Run(how, func(t *testing.T) {
			id := coreAdd(t, v, strings.Replace(coreIvan, "Ivan Petrov", "Zebulon Oversize", 1))
			storeOldOversized(t, v, id, 2, hugeDoc("Zebulon Oversize"))
			if _, err := v.Case(id); !errors.Is(err, errRecordTooLarge) {
				t.Fatalf("Case(oversized) = %v, want errRecordTooLarge", err)
			}
			var err error
			if how == "rm" {
				err = v.RemoveCase(id)
			} else {
				_, err = v.Purge(context.Background(), id)
			}
			if err != nil {
				t.Fatalf("%s of an oversized case: %v", how, err)
			}
			var nf *NotFoundError
			if _, err := v.Case(id); !errors.As(err, &nf) {
				t.Fatalf("Case after %s = %v, want not found", how, err)
			}
			if hits, err := v.Search("zebulon"); err != nil || len(hits) != 0 {
				t.Fatalf("Search after %s = %v, %v; want nothing", how, hits, err)
			}
			if hits, err := v.Search("ivan"); err != nil || len(hits) != 1 || hits[0].ID != keep.String() {
				t.Fatalf("Search for the other case = %v, %v", hits, err)
			}
			if _, err := v.VerifyAudit(context.Background()); err != nil {
				t.Fatalf("VerifyAudit: %v", err)
			}
		})
	}
	// With the oversized case gone, a rekey goes through.
	if _, err := v.Rekey(context.Background()); err != nil {
		t.Fatalf("Rekey: %v", err)
	}
}
