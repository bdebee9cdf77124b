package vault

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/backupfmt"
)

// fuzzKey is the fixed key the record fuzz targets seal and open under.
var fuzzKey = crypto.DeriveKey(crypto.Key{1, 2, 3}, "fuzz")

// FuzzOpenRecord feeds arbitrary keys and sealed values to openRecord: it
// must fail cleanly (no panic) on anything it did not seal.
func FuzzOpenRecord(f *testing.F) {
	id := NewCaseID()
	f.Add(revisionKey(id, 1), crypto.Seal(fuzzKey, []byte(`{"rev":1}`), recordAD(revisionKey(id, 1))))
	f.Add([]byte{pMeta}, []byte{1, 2, 3})
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, k, sealed []byte) {
		pt, err := openRecord(k, fuzzKey, sealed)
		if err == nil {
			// Only a genuine record opens; re-sealing must round-trip.
			if _, err := openRecord(k, fuzzKey, crypto.Seal(fuzzKey, pt, recordAD(k))); err != nil {
				t.Fatal(err)
			}
		}
		_ = describeKey(k)
	})
}

// FuzzDecodeRecord seals arbitrary plaintexts under a key so that they pass
// authentication, then decodes them as revisions, summaries and audit
// entries, as a corrupted or hostile store would present them after a
// compromise of the sealing key. Decoding must fail cleanly or return a
// record that is consistent with its place.
func FuzzDecodeRecord(f *testing.F) {
	id := NewCaseID()
	doc := []byte(`{"schema":"case.v1","person":{"name":"Ivan"},"status":"pretrial"}`)
	h := sha256.Sum256(doc)
	rev, _ := json.Marshal(Revision{CaseID: id.String(), Rev: 3, Author: "a", Op: "case.add", SHA256: hex.EncodeToString(h[:]), Doc: doc})
	f.Add(id[:], uint32(3), rev)
	f.Add(id[:], uint32(1), []byte(`{"id":"c","name":"x","rev":1}`))
	f.Add(id[:], uint32(0), []byte(`{"seq":1,"op":"vault.init","prev":"00","sig":"AAAA"}`))
	f.Add([]byte{}, uint32(7), []byte(`null`))
	f.Fuzz(func(t *testing.T, idb []byte, n uint32, plaintext []byte) {
		var cid CaseID
		copy(cid[:], idb)
		k := revisionKey(cid, n)
		r, err := decodeRevisionValue(k, crypto.Seal(fuzzKey, plaintext, recordAD(k)), cid, fuzzKey)
		if err == nil {
			sum := sha256.Sum256(r.Doc)
			if r.Rev != n || r.CaseID != cid.String() || hex.EncodeToString(sum[:]) != r.SHA256 {
				t.Fatalf("inconsistent revision accepted: %+v", r)
			}
			_, _ = r.Case()
		}
		// A revision sealed for one place does not open at another.
		if _, err := decodeRevisionValue(revisionKey(cid, n+1), crypto.Seal(fuzzKey, plaintext, recordAD(k)), cid, fuzzKey); err == nil {
			t.Fatal("revision opened at another place")
		}
		sk := summaryKey(cid)
		_, _ = decodeSummaryValue(sk, crypto.Seal(fuzzKey, plaintext, recordAD(sk)), fuzzKey)
		var e AuditEntry
		if json.Unmarshal(plaintext, &e) == nil {
			_ = e.Hash()
			_ = e.SignedMessage()
		}
	})
}

// fuzzSink reads everything a backup payload hands it and keeps nothing,
// passing the store stream through the restore's frame checks.
func fuzzSink() backupfmt.Sink {
	return backupfmt.Sink{
		File: func(name string, data []byte) error { return nil },
		Store: func(r io.Reader) error {
			_, err := io.Copy(io.Discard, checkedStoreStream(r))
			return err
		},
		Blob: func(rel string, r io.Reader) error {
			_, err := io.Copy(io.Discard, r)
			return err
		},
	}
}

// TestWriteFuzzSeeds writes real backup payloads and headers into the seed
// corpora. Run with CASEVAULT_WRITE_FUZZ_SEEDS=1 after a format change.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("CASEVAULT_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set CASEVAULT_WRITE_FUZZ_SEEDS=1 to rewrite the seed corpora")
	}
	v := newTestVault(t)
	for i := range 3 {
		if _, err := v.AddCase(testCase(t, fmt.Sprintf("Seed %d", i), "Сид", "pretrial")); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(v.Dir(), blobDir), 0o700)
	os.WriteFile(filepath.Join(v.Dir(), blobDir, "0123456789abcdef0123456789abcdef"), []byte("sealed blob"), 0o600)
	var buf bytes.Buffer
	if _, err := v.Backup(context.Background(), &buf, nil); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(bytes.NewReader(buf.Bytes()))
	if _, err := backupfmt.ReadHeader(br); err != nil {
		t.Fatal(err)
	}
	ar, err := age.Decrypt(br, v.Identity().AgeIdentity())
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := io.ReadAll(ar)
	if _, err := backupfmt.ReadPayload(bytes.NewReader(payload), fuzzSink()); err != nil {
		t.Fatal(err)
	}
	write := func(target, name string, args ...any) {
		dir := filepath.Join("testdata", "fuzz", target)
		if strings.HasPrefix(target, "FuzzBackup") {
			dir = filepath.Join("internal", "backupfmt", "testdata", "fuzz", target)
		}
		os.MkdirAll(dir, 0o755)
		s := "go test fuzz v1\n"
		for _, a := range args {
			switch a := a.(type) {
			case []byte:
				s += "[]byte(" + strconv.Quote(string(a)) + ")\n"
			case uint32:
				s += fmt.Sprintf("uint32(%d)\n", a)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("FuzzBackupPayload", "real-payload", payload)
	write("FuzzBackupPayload", "truncated-payload", payload[:len(payload)/2])
	write("FuzzBackupHeader", "real-header", buf.Bytes()[:min(len(buf.Bytes()), 2048)])
	id := NewCaseID()
	doc := []byte(`{"person":{"name":"Ivan Petrov","name_native":"Иван Петров"},"schema":"case.v1","status":"pretrial"}`)
	h := sha256.Sum256(doc)
	rev, _ := json.Marshal(Revision{CaseID: id.String(), Rev: 2, Author: "tester", Op: "case.update", SHA256: hex.EncodeToString(h[:]), Doc: doc})
	write("FuzzDecodeRecord", "revision", id[:], uint32(2), rev)
	sum, _ := json.Marshal(Summary{ID: id.String(), Name: "Ivan", Rev: 2})
	write("FuzzDecodeRecord", "summary", id[:], uint32(1), sum)
	write("FuzzOpenRecord", "revision", revisionKey(id, 2), crypto.Seal(fuzzKey, rev, recordAD(revisionKey(id, 2))))
	write("FuzzOpenRecord", "truncated", revisionKey(id, 2), crypto.Seal(fuzzKey, rev, recordAD(revisionKey(id, 2)))[:30])
}
