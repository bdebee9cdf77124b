package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A remaining member's wrap from before a rekey (staff rm of another
// member), planted back under its own name, is refused with
// ErrStaleStaffKey (not store damage), and the owner's next read-write
// open rewrites it, after which the member opens again. A wrap replaced
// by another file of the current generation is rewritten too.
func TestStaffStaleWrapRewrittenByOwner(t *testing.T) {
	dir, v := coreInit(t, true)
	_, annaCard := staffIdentity(t, "Anna", true)
	boris, borisCard := staffIdentity(t, "Boris", true)
	for _, c := range [][]byte{annaCard, borisCard} {
		if _, err := v.AddStaff(c, false); err != nil {
			t.Fatal(err)
		}
	}
	borisWrap := filepath.Join(dir, staffDir, StaffIDOf(boris.VerifyKey())+staffWrapExt)
	before, err := os.ReadFile(borisWrap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.RemoveStaff(context.Background(), "Anna"); err != nil {
		t.Fatal(err)
	}
	v.Close()
	if err := os.WriteFile(borisWrap, before, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = staffOpen(t, dir, boris)
	var ce *CorruptError
	if !errors.Is(err, ErrStaleStaffKey) || errors.As(err, &ce) || !strings.Contains(err.Error(), "out of date or replaced") {
		t.Fatalf("member's open with a stale wrap: %v, want ErrStaleStaffKey", err)
	}
	// A read-only open by the owner leaves it; a read-write open rewrites it.
	ro, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()
	if _, err := staffOpen(t, dir, boris); !errors.Is(err, ErrStaleStaffKey) {
		t.Fatalf("after a read-only open: %v", err)
	}
	coreOpen(t, dir).Close()
	bv, err := staffOpen(t, dir, boris)
	if err != nil {
		t.Fatalf("member's open after the owner's open: %v", err)
	}
	bv.Close()

	// Same generation, other content (a copy of another file put in its
	// place): rewritten at the owner's open, byte for byte different.
	if err := os.WriteFile(borisWrap, []byte("not a wrap"), 0o600); err != nil {
		t.Fatal(err)
	}
	coreOpen(t, dir).Close()
	now, err := os.ReadFile(borisWrap)
	if err != nil || bytes.Equal(now, []byte("not a wrap")) {
		t.Fatalf("replaced wrap not rewritten: %q %v", now, err)
	}
	bv, err = staffOpen(t, dir, boris)
	if err != nil {
		t.Fatalf("member's open after rewrite: %v", err)
	}
	bv.Close()
}
