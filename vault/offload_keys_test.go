package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"
)

// Offloaded evidence stays readable across a rekey and a staff removal:
// on the copy that offloaded it and on a copy that has it only through
// sync (never fetched), and check finds nothing wrong.
func TestOffloadSurvivesRekey(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "offloadrekey")
	id := coreAdd(t, a, syncCase("Key Carrier"))
	data := make([]byte, 70<<10)
	rand.Read(data)
	ev, err := a.AddEvidence(context.Background(), id, bytes.NewReader(data), EvidenceInput{Name: "scan.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	eid, _ := ParseEvidenceID(ev.ID)
	if _, err := a.OffloadEvidence(context.Background(), "org", []EvidenceID{eid}, 0); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, b)
	read := func(v *Vault, when string) {
		t.Helper()
		var got bytes.Buffer
		if _, err := v.ReadEvidence(context.Background(), eid, &got); err != nil {
			t.Fatalf("%s: reading the offloaded item: %v", when, err)
		}
		if !bytes.Equal(got.Bytes(), data) {
			t.Fatalf("%s: offloaded item read back differs", when)
		}
		rep, err := v.Check(context.Background(), CheckOptions{})
		if err != nil || len(rep.Problems) != 0 {
			t.Fatalf("%s: check: %v %+v", when, err, rep)
		}
		rep, err = v.Check(context.Background(), CheckOptions{ReadData: true})
		if err != nil || len(rep.Problems) != 0 {
			t.Fatalf("%s: check --read-data: %v %+v", when, err, rep)
		}
	}
	read(a, "before")
	if _, err := a.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	read(a, "after rekey")
	_, card := staffIdentity(t, "Anna", true)
	if _, err := a.AddStaff(card, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RemoveStaff(context.Background(), "Anna"); err != nil {
		t.Fatal(err)
	}
	read(a, "after staff rm")
	// B has it by sync only.
	if _, err := b.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	read(b, "synced copy after rekey")
}

// After a rekey, sync to a remote added before refuses with the rekey
// error, not by calling the objects planted; a remote added again under a
// new prefix syncs.
func TestSyncRefusesRemoteAfterRekey(t *testing.T) {
	s := weedServer(t)
	a, _ := syncPair(t, s, "rekeyedremote")
	coreAdd(t, a, syncCase("Before Rekey"))
	mustSync(t, a)
	if _, err := a.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	var re *RemoteRekeyedError
	if _, err := a.Sync(context.Background(), "org", SyncHooks{}); !errors.Is(err, ErrRemoteRekeyed) || !errors.As(err, &re) || re.Remote != "org" {
		t.Fatalf("sync to the remote of before the rekey: %v", err)
	}
	if _, err := a.AddRemote("org2", "s3://rekeyedremote/casevault/org2", s.Endpoint, syncCreds); err != nil {
		t.Fatal(err)
	}
	if rep, err := a.Sync(context.Background(), "org2", SyncHooks{}); err != nil || len(rep.Refused) != 0 {
		t.Fatalf("sync to the new prefix: %v %+v", err, rep)
	}
}
