package vault

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// This file is the internal test hook of the audit log: with the vault's
// keys it deletes, swaps, edits, inserts and rewrites entries directly in
// the store, outside v.commit, as someone holding the keys could.

const audPass = "correct horse battery staple"

// audVault creates a vault in a fresh directory (classic keys: faster) and
// returns its directory and the open vault.
func audVault(t testing.TB, org string) (string, *Vault) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	v, err := Init(dir, InitOptions{Org: org, Classic: true, Passphrase: []byte(audPass), Options: Options{Author: "tester"}})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return dir, v
}

// audReopen closes v and opens the vault in dir again.
func audReopen(t testing.TB, v *Vault, dir string) *Vault {
	t.Helper()
	if err := v.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	nv, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return []byte(audPass), nil }}, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { nv.Close() })
	return nv
}

func audCase(t testing.TB, name string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(fmt.Sprintf("schema: case.v1\nperson:\n  name: %s\nstatus: pretrial\n", name)))
	if err != nil {
		t.Fatalf("schema.Parse: %v", err)
	}
	return c
}

// audAdd adds n cases and returns their IDs.
func audAdd(t testing.TB, v *Vault, n int) []CaseID {
	t.Helper()
	var ids []CaseID
	for i := range n {
		id, err := v.AddCase(audCase(t, fmt.Sprintf("Person %d", i)))
		if err != nil {
			t.Fatalf("AddCase: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

// audEntry reads the entry at seq directly from the store.
func audEntry(t testing.TB, v *Vault, seq uint64) AuditEntry {
	t.Helper()
	var e AuditEntry
	err := v.view(func(txn *store.Txn) error {
		var err error
		e, err = v.auditEntryAt(txn, seq)
		return err
	})
	if err != nil {
		t.Fatalf("reading audit entry %d: %v", seq, err)
	}
	return e
}

// audRaw runs fn in a raw read-write transaction: no audit entry is added.
func audRaw(t testing.TB, v *Vault, fn func(txn *store.Txn) error) {
	t.Helper()
	if err := v.db.Update(fn); err != nil {
		t.Fatalf("raw store write: %v", err)
	}
}

// audSeal stores val sealed under the sys key at k, as the vault would.
func audSeal(txn *store.Txn, v *Vault, k []byte, val any) error {
	b, err := json.Marshal(val)
	if err != nil {
		return err
	}
	return txn.Set(k, crypto.Seal(v.keys.sys, b, recordAD(k)))
}

// auditHookDelete removes entry seq (the head is left as is).
func auditHookDelete(t testing.TB, v *Vault, seq uint64) {
	t.Helper()
	audRaw(t, v, func(txn *store.Txn) error { return txn.Delete(auditKey(seq)) })
}

// auditHookSwap exchanges entries a and b, each re-sealed at the other's key.
func auditHookSwap(t testing.TB, v *Vault, a, b uint64) {
	t.Helper()
	ea, eb := audEntry(t, v, a), audEntry(t, v, b)
	audRaw(t, v, func(txn *store.Txn) error {
		if err := audSeal(txn, v, auditKey(a), eb); err != nil {
			return err
		}
		return audSeal(txn, v, auditKey(b), ea)
	})
}

// auditHookEdit changes entry seq with fn and re-seals it; with resign the
// entry is signed again with the organisation's key.
func auditHookEdit(t testing.TB, v *Vault, seq uint64, resign bool, fn func(*AuditEntry)) {
	t.Helper()
	e := audEntry(t, v, seq)
	fn(&e)
	if resign {
		e.Sig = v.id.Sign(e.SignedMessage())
	}
	audRaw(t, v, func(txn *store.Txn) error { return audSeal(txn, v, auditKey(seq), e) })
}

// auditHookInsert inserts a properly signed entry after entry `after`,
// linked to it, moves every later entry one place up (re-sealed at its new
// key, contents unchanged) and updates the head to the moved last entry.
func auditHookInsert(t testing.TB, v *Vault, after uint64, op string, targets []string) {
	t.Helper()
	head, err := v.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	prev := audEntry(t, v, after)
	ins := AuditEntry{Seq: after + 1, Time: prev.Time, Op: Op(op), Actor: "intruder", Targets: targets, Prev: prev.Hash()}
	ins.Sig = v.id.Sign(ins.SignedMessage())
	var moved []AuditEntry
	for s := after + 1; s <= head.Seq; s++ {
		moved = append(moved, audEntry(t, v, s))
	}
	audRaw(t, v, func(txn *store.Txn) error {
		for i, e := range moved {
			if err := audSeal(txn, v, auditKey(after+2+uint64(i)), e); err != nil {
				return err
			}
		}
		if err := audSeal(txn, v, auditKey(after+1), ins); err != nil {
			return err
		}
		last := ins
		if len(moved) > 0 {
			last = moved[len(moved)-1]
		}
		return audSeal(txn, v, auditHeadKey(), AuditHead{Seq: head.Seq + 1, Hash: last.Hash()})
	})
}

// auditHookRewrite is what a key holder can do undetected by the chain
// alone: change entry `from` with fn, then re-link and re-sign every later
// entry and rewrite the head. Only a witness catches it.
func auditHookRewrite(t testing.TB, v *Vault, from uint64, fn func(*AuditEntry)) {
	t.Helper()
	head, err := v.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	prev := zeroHash
	if from > 1 {
		prev = audEntry(t, v, from-1).Hash()
	}
	var out []AuditEntry
	for s := from; s <= head.Seq; s++ {
		e := audEntry(t, v, s)
		if s == from {
			fn(&e)
		}
		e.Prev = prev
		e.Sig = v.id.Sign(e.SignedMessage())
		prev = e.Hash()
		out = append(out, e)
	}
	audRaw(t, v, func(txn *store.Txn) error {
		for _, e := range out {
			if err := audSeal(txn, v, auditKey(e.Seq), e); err != nil {
				return err
			}
		}
		return audSeal(txn, v, auditHeadKey(), AuditHead{Seq: head.Seq, Hash: prev})
	})
}

// auditHookTruncate removes every entry after `keep` and, with fixHead,
// rewrites the head to match (a key holder's rollback).
func auditHookTruncate(t testing.TB, v *Vault, keep uint64, fixHead bool) {
	t.Helper()
	head, err := v.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	last := audEntry(t, v, keep)
	audRaw(t, v, func(txn *store.Txn) error {
		for s := keep + 1; s <= head.Seq; s++ {
			if err := txn.Delete(auditKey(s)); err != nil {
				return err
			}
		}
		if fixHead {
			return audSeal(txn, v, auditHeadKey(), AuditHead{Seq: keep, Hash: last.Hash()})
		}
		return nil
	})
}

// audAppendEntry appends a properly signed entry through a change, as a
// feature not yet on main would (e.g. a bundle export naming evidence).
func audAppendEntry(t testing.TB, v *Vault, op string, targets []string, content []byte) {
	t.Helper()
	if err := v.commit(func(c *change) error { c.audit(Op(op), targets, content); return nil }); err != nil {
		t.Fatalf("appending %s: %v", op, err)
	}
}

// audAppendHash is audAppendEntry with an already computed SHA-256.
func audAppendHash(t testing.TB, v *Vault, op string, targets []string, sum []byte) {
	t.Helper()
	if err := v.commit(func(c *change) error { c.auditHash(Op(op), targets, sum); return nil }); err != nil {
		t.Fatalf("appending %s: %v", op, err)
	}
}
