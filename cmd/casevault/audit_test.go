package main

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdMkWitness writes a witness file as a partner would export it, signed by
// a fresh partner identity, from an 'audit head --json' output:
//
//	mkwitness [-forge] HEAD.json OUT.json
//
// With -forge the witnessed hash is changed, as if our entry had been
// rewritten since the partner saw it.
func cmdMkWitness(ts *testscript.TestScript, neg bool, args []string) {
	forge := len(args) > 0 && args[0] == "-forge"
	if forge {
		args = args[1:]
	}
	holder := "Partner Group"
	if len(args) > 1 && args[0] == "-holder" {
		holder, args = args[1], args[2:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkwitness [-forge] [-holder NAME] HEAD.json OUT.json")
	}
	var h vault.AuditHead
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &h))
	if forge {
		h.Hash = "00000000" + h.Hash[8:]
	}
	id, err := crypto.GenerateIdentity(true)
	ts.Check(err)
	b, err := vault.NewWitnessFile(holder, id, "Test Defence Group", nil,
		[]vault.WitnessedHead{{Seq: h.Seq, Hash: h.Hash, BundleID: vault.NewBundleID().String(), Received: time.Now()}}, time.Now())
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b, 0o600))
}

func TestClassifyAuditErrors(t *testing.T) {
	if code, _ := classify(&vault.AuditBreak{Seq: 3, Reason: "x"}); code != exitDamaged {
		t.Errorf("AuditBreak: exit %d, want %d", code, exitDamaged)
	}
	if code, _ := classify(errors.Join(errors.New("ctx"), &vault.WitnessFileError{Reason: "x"})); code != exitInvalid {
		t.Errorf("WitnessFileError: exit %d, want %d", code, exitInvalid)
	}
}
