package vault

import (
	"errors"
	"testing"
)

// TestCommitRefusesChangeWithoutAudit checks the rule that every change is
// recorded: a change that writes a record but no audit entry is refused,
// and nothing of it is written.
func TestCommitRefusesChangeWithoutAudit(t *testing.T) {
	_, v := coreInit(t, true)
	id := NewCaseID()
	err := v.commit(func(c *change) error {
		return c.put(summaryKey(id), v.keys.index, []byte("x"))
	})
	if !errors.Is(err, errChangeWithoutAudit) {
		t.Fatalf("commit without audit entry: %v, want errChangeWithoutAudit", err)
	}
	if _, err := v.get(nil, summaryKey(id), v.keys.index); !errors.Is(err, errNoRecord) {
		t.Fatalf("the record of the refused change is there (%v)", err)
	}
	// With its entry the same change lands.
	if err := v.commit(func(c *change) error {
		c.audit("check.repair", []string{id.String()}, nil)
		return c.put(summaryKey(id), v.keys.index, []byte("x"))
	}); err != nil {
		t.Fatal(err)
	}
}
