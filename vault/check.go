package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// CheckOptions say how thoroughly Check works and whether it repairs.
type CheckOptions struct {
	// ReadData re-reads and re-hashes every evidence file; without it only
	// each file's presence, size and header are checked.
	ReadData bool
	// Repair removes orphans and rebuilds indexes. It never deletes a
	// record that opens.
	Repair bool
	// Progress, if not nil, receives the evidence bytes read with ReadData.
	Progress io.Writer
}

// Kinds of problems found by Check.
const (
	ProblemRecord   = "record"   // a record that does not open or decode
	ProblemRevision = "revision" // a revision missing or invalid
	ProblemRollback = "rollback" // a case head that does not match the audit log
	ProblemEvidence = "evidence" // an evidence file missing or damaged
	ProblemIndex    = "index"    // summary, search posting or evidence index out of step
	ProblemOrphan   = "orphan"   // something left without its owner
	ProblemAudit    = "audit"    // the audit chain is broken
)

// A CheckProblem is one thing Check found wrong.
type CheckProblem struct {
	Kind     string `json:"kind"`
	Case     string `json:"case,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	Message  string `json:"message"`
	// Repairable says whether --repair fixes it; Repaired that it did.
	Repairable bool `json:"repairable"`
	Repaired   bool `json:"repaired,omitempty"`
}

func (p CheckProblem) String() string {
	var ids []string
	if p.Case != "" {
		ids = append(ids, "case "+p.Case)
	}
	if p.Evidence != "" {
		ids = append(ids, "evidence "+p.Evidence)
	}
	s := p.Kind
	if len(ids) > 0 {
		s += " (" + strings.Join(ids, ", ") + ")"
	}
	s += ": " + p.Message
	if p.Repaired {
		s += " [repaired]"
	}
	return s
}

// A CheckReport is the result of Check.
type CheckReport struct {
	Cases         int            `json:"cases"`
	Revisions     int            `json:"revisions"`
	Evidence      int            `json:"evidence"`
	EvidenceBytes int64          `json:"evidence_bytes_read"`
	AuditEntries  int            `json:"audit_entries"`
	Problems      []CheckProblem `json:"problems"`
	// SetAside lists the table files moved out of the store because its
	// MANIFEST does not name them (store_unlisted.go); nil when none.
	// They are not a problem of the store, and no repair touches them.
	SetAside *SetAsideTables `json:"set_aside_tables,omitempty"`
	// SearchIndexSkipped is true when the search index is not current (of
	// an earlier format, or left incomplete by a rebuild cut short: a
	// read-only open) and so was not compared with the cases; the next
	// read-write open rebuilds it (Vault.IndexNotice says so).
	SearchIndexSkipped bool `json:"search_index_skipped,omitempty"`
}

// Unrepaired returns the number of problems that remain.
func (r *CheckReport) Unrepaired() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Repaired {
			n++
		}
	}
	return n
}

// checker carries the state of one Check run.
type checker struct {
	ctx    context.Context
	v      *Vault
	o      CheckOptions
	rep    *CheckReport
	heads  map[CaseID]string // newest revision hash recorded in the audit log
	cases  map[CaseID]bool   // cases whose key exists
	blobs  map[string]bool   // blob files referred to by evidence records
	evid   map[EvidenceID]CaseID
	unsure bool // some evidence record did not open: blob references unknown

	// expected index content of cases whose current revision opens
	summaries map[CaseID]Summary
	postings  map[string]index.FieldSet // string(posting key) -> fields
	vocab     map[string]bool           // tokens of the search vocabulary
	docs      map[CaseID]*schema.Case   // current documents, until the evidence is read
	metas     map[CaseID][]evidence.Meta
	skipIndex map[CaseID]bool // cases whose index cannot be computed

	// repairs
	dels      [][]byte
	puts      []repairPut
	files     []string
	chmods    []string // paths (relative to the vault) to make private
	fixes     []int    // indexes of repairable problems
	repairIDs []string
}

type repairPut struct {
	key []byte
	sk  crypto.Key
	val []byte // plaintext, sealed under sk; with raw, stored as is
	raw bool
}

func (ck *checker) problem(p CheckProblem) {
	ck.rep.Problems = append(ck.rep.Problems, p)
	if p.Repairable {
		ck.fixes = append(ck.fixes, len(ck.rep.Problems)-1)
		if p.Case != "" {
			ck.repairIDs = append(ck.repairIDs, p.Case)
		}
		if p.Evidence != "" {
			ck.repairIDs = append(ck.repairIDs, p.Evidence)
		}
	}
}

// Check verifies the vault: every block of the store reads back whole
// (else a *CorruptError, nothing repaired); every case key, revision and evidence record
// opens and every current revision validates; every case's current
// revision is the newest one recorded in the audit log (a removed newest
// revision is a rollback); every evidence file is present, of the right
// size and made for its item (with ReadData: re-read and re-hashed); the
// summaries, search postings and evidence index agree with the records;
// and nothing is orphaned (records of cases that no longer exist, index
// entries without a record, blob files without metadata, temporary blob
// files). With Repair, orphans are removed and indexes rebuilt, and the
// repair is recorded in the audit log ("check.repair"); no record that
// opens is deleted.
func (v *Vault) Check(ctx context.Context, o CheckOptions) (*CheckReport, error) {
	if err := v.live(); err != nil {
		return nil, err
	}
	ck := &checker{ctx: ctx, v: v, o: o, rep: &CheckReport{Problems: []CheckProblem{}}, heads: map[CaseID]string{},
		cases: map[CaseID]bool{}, blobs: map[string]bool{}, evid: map[EvidenceID]CaseID{},
		summaries: map[CaseID]Summary{}, postings: map[string]index.FieldSet{}, skipIndex: map[CaseID]bool{},
		vocab: map[string]bool{}, docs: map[CaseID]*schema.Case{}, metas: map[CaseID][]evidence.Meta{}}
	// Every block of the store first: an iterator ends a table quietly at
	// a block that does not verify, so the scans below would see less and
	// report nothing, and a repair would work from what is left.
	if err := v.db.VerifyTables(); err != nil {
		return nil, storeDamage(err)
	}
	if err := v.db.VerifyLevels(); err != nil {
		return nil, storeDamage(err)
	}
	aside, err := v.setAsideTables()
	if err != nil {
		return nil, storeDamage(err)
	}
	ck.rep.SetAside = aside
	if err := ck.audit(); err != nil {
		return nil, err
	}
	if err := v.view(ck.records); err != nil {
		return nil, err
	}
	if err := ck.heldBlobs(); err != nil {
		return nil, err
	}
	if err := ck.blobFiles(); err != nil {
		return nil, err
	}
	if err := ck.modes(); err != nil {
		return nil, err
	}
	if o.Repair && len(ck.fixes) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := ck.repair(); err != nil {
			return ck.rep, fmt.Errorf("repair: %w", err)
		}
	}
	return ck.rep, nil
}

// audit verifies the chain and notes the newest head hash of every case.
func (ck *checker) audit() error {
	n, err := ck.v.VerifyAudit(ck.ctx)
	ck.rep.AuditEntries = n
	if err != nil {
		var brk *AuditBreak
		if !errors.As(err, &brk) {
			return err
		}
		ck.problem(CheckProblem{Kind: ProblemAudit, Message: brk.Error()})
	}
	err = ck.v.AuditEntries(func(e AuditEntry) error {
		if !e.Op.Info().MovesHead || len(e.Targets) != 1 {
			// bundle.import names the bundle, the sender and every case,
			// with the manifest's hash: the case.import entries before it
			// carry the revision hashes.
			return nil
		}
		if id, err := ParseCaseID(e.Targets[0]); err == nil {
			ck.heads[id] = e.ContentSHA256
		}
		return nil
	})
	var ce *CorruptError
	if errors.As(err, &ce) {
		return nil // reported by VerifyAudit
	}
	return err
}

func (ck *checker) records(txn *store.Txn) error {
	// Case keys.
	var ids []CaseID
	if err := eachKey(txn, []byte{pCaseKey}, false, func(k []byte, _ *store.Item) error {
		if len(k) != 1+idLen {
			ck.problem(CheckProblem{Kind: ProblemRecord, Message: "malformed case key record"})
			return nil
		}
		var id CaseID
		copy(id[:], k[1:])
		ck.cases[id] = true
		ids = append(ids, id)
		return nil
	}); err != nil {
		return err
	}
	ck.rep.Cases = len(ids)
	for _, id := range ids {
		if err := ck.ctx.Err(); err != nil {
			return err
		}
		if err := ck.checkCase(txn, id); err != nil {
			return err
		}
	}
	// Records of cases that no longer exist: their data key is gone, so
	// they cannot be read; they are deleted by repair.
	for _, kind := range store.Kinds {
		if kind.Check != store.CheckCaseRecs {
			continue
		}
		pfx, what := kind.Prefix, kind.Name
		if err := eachKey(txn, []byte{pfx}, false, func(k []byte, _ *store.Item) error {
			var id CaseID
			if len(k) >= 1+idLen {
				copy(id[:], k[1:])
			}
			if !ck.cases[id] {
				p := CheckProblem{Kind: ProblemOrphan, Case: id.String(), Message: what + " of a case that does not exist (no data key)", Repairable: true}
				if pfx == pEvidence && len(k) == 1+2*idLen {
					var e EvidenceID
					copy(e[:], k[1+idLen:])
					p.Evidence = e.String()
				}
				ck.problem(p)
				ck.dels = append(ck.dels, k)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if err := ck.evidenceIndex(txn); err != nil {
		return err
	}
	if err := ck.summaryIndex(txn); err != nil {
		return err
	}
	ck.rep.SearchIndexSkipped = !ck.v.indexCurrent
	if ck.v.indexCurrent {
		// An index of a previous format (a read-only open) is rebuilt
		// whole at the next read-write open.
		if err := ck.postingIndex(txn); err != nil {
			return err
		}
		if len(ck.skipIndex) == 0 {
			// The words of a case whose records do not open are not
			// known: which vocabulary entries are stale is not known.
			if err := ck.vocabIndex(txn); err != nil {
				return err
			}
		}
	}
	return ck.otherRecords(txn)
}

// otherRecords opens every record of the kinds that the table marks
// CheckOpens (organisations, shares, bundles, witnesses, origins, case
// metadata) and reports a store key whose prefix is in no row of the table.
func (ck *checker) otherRecords(txn *store.Txn) error {
	for _, kind := range store.Kinds {
		if kind.Check != store.CheckOpens {
			continue
		}
		sk, ok := ck.v.sealKey(kind.Seal)
		if !ok {
			return fmt.Errorf("internal error: check cannot open %s records (key kind %d)", kind.Name, kind.Seal)
		}
		if err := eachKey(txn, []byte{kind.Prefix}, true, func(k []byte, item *store.Item) error {
			sealed, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			var rec any
			if err := openJSON(k, sk, sealed, &rec); err != nil {
				var ce *CorruptError
				if !errors.As(err, &ce) {
					return err
				}
				p := CheckProblem{Kind: ProblemRecord, Message: ce.Error()}
				if kind.PerCase && len(k) >= 1+idLen {
					var id CaseID
					copy(id[:], k[1:])
					p.Case = id.String()
				}
				ck.problem(p)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	// One look per prefix: keys only, a seek past each prefix.
	it := txn.NewIterator(store.IteratorOptions{})
	defer it.Close()
	for it.Rewind(); it.Valid(); {
		k := it.Item().Key()
		if len(k) == 0 {
			it.Next()
			continue
		}
		if store.KindOf(k) == nil {
			ck.problem(CheckProblem{Kind: ProblemRecord, Message: fmt.Sprintf("store records with unknown prefix %q: not written by this casevault", k[0])})
		}
		if k[0] == 0xff {
			break
		}
		it.Seek([]byte{k[0] + 1})
	}
	return nil
}

// eachKey calls fn for every key under prefix (a copy) and its item.
func eachKey(txn *store.Txn, prefix []byte, values bool, fn func(k []byte, it *store.Item) error) error {
	it := txn.NewIterator(store.IteratorOptions{Prefix: prefix, PrefetchValues: values, PrefetchSize: 64})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := fn(it.Item().KeyCopy(nil), it.Item()); err != nil {
			return err
		}
	}
	return nil
}

func (ck *checker) checkCase(txn *store.Txn, id CaseID) error {
	v := ck.v
	dk, err := v.caseKey(txn, id)
	if err != nil {
		var ce *CorruptError
		if !errors.As(err, &ce) {
			return err
		}
		ck.problem(CheckProblem{Kind: ProblemRecord, Case: id.String(), Message: "the case's data key does not open: " + ce.Err.Error()})
		ck.skipIndex[id] = true
		ck.unsure = true
		return nil
	}
	// Revisions: each opens, they are numbered 1..n, the newest validates
	// and matches the audit log.
	var cur *Revision
	want := uint32(1)
	err = eachKey(txn, revisionPrefix(id), true, func(k []byte, item *store.Item) error {
		ck.rep.Revisions++
		n := uint32(0)
		if len(k) == 1+idLen+4 {
			n = uint32(k[len(k)-4])<<24 | uint32(k[len(k)-3])<<16 | uint32(k[len(k)-2])<<8 | uint32(k[len(k)-1])
		}
		if n != want {
			ck.problem(CheckProblem{Kind: ProblemRevision, Case: id.String(), Message: fmt.Sprintf("revision %d follows revision %d (revisions missing)", n, want-1)})
		}
		want = n + 1
		r, err := v.decodeRevision(item, id, dk)
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) {
				return err
			}
			ck.problem(CheckProblem{Kind: ProblemRecord, Case: id.String(), Message: fmt.Sprintf("revision %d does not open: %v", n, ce.Err)})
			cur = nil
			return nil
		}
		cur = r
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case want == 1:
		ck.problem(CheckProblem{Kind: ProblemRevision, Case: id.String(), Message: "the case has no revision"})
		ck.skipIndex[id] = true
	case cur == nil:
		ck.skipIndex[id] = true // the newest revision does not open: reported above
	default:
		ck.checkHead(id, cur)
		doc, err := cur.Case()
		if err == nil {
			err = doc.Validate()
		}
		if err != nil {
			ck.problem(CheckProblem{Kind: ProblemRevision, Case: id.String(), Message: fmt.Sprintf("revision %d does not validate: %v", cur.Rev, err)})
			ck.skipIndex[id] = true
		} else {
			ck.expectIndex(id, doc, cur)
		}
	}
	if err := ck.checkCaseEvidence(txn, id, dk); err != nil {
		return err
	}
	if doc := ck.docs[id]; doc != nil {
		tf := index.CaseTokens(doc, ck.metas[id])
		tf.AddOrg(ck.summaries[id].Origin)
		for t, fs := range tf {
			ck.postings[string(postingKey(ck.v.tokenMAC(t), id))] = fs
			ck.vocab[t] = true
		}
		delete(ck.docs, id)
		delete(ck.metas, id)
	}
	return nil
}

// checkHead compares the current revision with the audit log.
func (ck *checker) checkHead(id CaseID, cur *Revision) {
	h, ok := ck.heads[id]
	switch {
	case !ok:
		ck.problem(CheckProblem{Kind: ProblemRollback, Case: id.String(),
			Message: fmt.Sprintf("no audit entry records the current revision %d", cur.Rev)})
	case h != cur.SHA256:
		ck.problem(CheckProblem{Kind: ProblemRollback, Case: id.String(),
			Message: fmt.Sprintf("current revision %d (sha256 %.12s…) is not the newest the audit log records (sha256 %.12s…): newer revisions were removed", cur.Rev, cur.SHA256, h)})
	}
}

func (ck *checker) expectIndex(id CaseID, doc *schema.Case, rev *Revision) {
	ck.summaries[id] = caseSummary(id, doc, rev)
	ck.docs[id] = doc // indexed with its evidence once that is read
}

func (ck *checker) checkCaseEvidence(txn *store.Txn, id CaseID, dk crypto.Key) error {
	v := ck.v
	return eachKey(txn, evidencePrefix(id), true, func(k []byte, item *store.Item) error {
		ck.rep.Evidence++
		var e EvidenceID
		if len(k) == 1+2*idLen {
			copy(e[:], k[1+idLen:])
		}
		ck.evid[e] = id
		rec, err := v.decodeEvidence(item, dk)
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) {
				return err
			}
			ck.problem(CheckProblem{Kind: ProblemRecord, Case: id.String(), Evidence: e.String(), Message: "evidence record does not open: " + ce.Err.Error()})
			ck.unsure = true
			ck.skipIndex[id] = true // its words are not known
			delete(ck.docs, id)
			return nil
		}
		ck.blobs[rec.Blob] = true
		ck.metas[id] = append(ck.metas[id], rec.EvidenceMeta)
		if err := ck.checkBlob(rec); err != nil {
			var de *EvidenceDamagedError
			if !errors.As(err, &de) {
				return err
			}
			ck.problem(CheckProblem{Kind: ProblemEvidence, Case: id.String(), Evidence: e.String(), Message: de.Err.Error()})
		}
		return nil
	})
}

// checkBlob checks that the file of an evidence item is present, of the
// size its metadata implies and made for it; with ReadData it re-reads and
// re-hashes it.
func (ck *checker) checkBlob(rec *evidenceRecord) error {
	v := ck.v
	damaged := func(err error) error { return &EvidenceDamagedError{Evidence: rec.ID, Err: err} }
	if ck.o.ReadData {
		w := io.Discard
		if ck.o.Progress != nil {
			w = ck.o.Progress
		}
		err := v.streamBlob(rec, w)
		if err == nil {
			ck.rep.EvidenceBytes += rec.Size
		}
		return err
	}
	if _, off, err := v.Offloaded(rec.EvidenceID()); err != nil || off {
		if err == nil {
			err = v.checkStubKey(rec) // kept in an object store: read with --read-data
		}
		return err
	}
	f, err := evidence.OpenBlob(v.blobPath(rec.Blob))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return damaged(errors.New("its file is missing from the vault"))
		}
		if errors.Is(err, evidence.ErrNotRegular) {
			return damaged(err)
		}
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if want := crypto.StreamSize(rec.Size); st.Size() != want {
		return damaged(fmt.Errorf("its file has %d bytes, expected %d (incomplete or altered)", st.Size(), want))
	}
	if err := crypto.CheckStreamHeader(f, rec.Key(), rec.EvidenceID().Bytes()); err != nil {
		if errors.Is(err, crypto.ErrTampered) {
			return damaged(err)
		}
		return err
	}
	return nil
}

// evidenceIndex checks the E entries against the evidence records.
func (ck *checker) evidenceIndex(txn *store.Txn) error {
	v := ck.v
	seen := map[EvidenceID]bool{}
	err := eachKey(txn, []byte{pEvidIndex}, true, func(k []byte, item *store.Item) error {
		var e EvidenceID
		if len(k) == 1+idLen {
			copy(e[:], k[1:])
		}
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		pt, err := openRecord(k, v.keys.index, sealed)
		owner, known := ck.evid[e]
		switch {
		case err != nil || len(pt) != idLen:
			p := CheckProblem{Kind: ProblemIndex, Evidence: e.String(), Message: "evidence index entry does not open", Repairable: true}
			ck.problem(p)
			ck.dels = append(ck.dels, k)
			seen[e] = false
		case !known:
			var c CaseID
			copy(c[:], pt)
			ck.problem(CheckProblem{Kind: ProblemOrphan, Case: c.String(), Evidence: e.String(), Message: "evidence index entry without an evidence record", Repairable: true})
			ck.dels = append(ck.dels, k)
		case !bytes.Equal(pt, owner[:]):
			var c CaseID
			copy(c[:], pt)
			ck.problem(CheckProblem{Kind: ProblemIndex, Case: owner.String(), Evidence: e.String(), Message: "evidence index names case " + c.String() + " instead of its owner", Repairable: true})
			ck.puts = append(ck.puts, repairPut{key: k, sk: v.keys.index, val: bytes.Clone(owner[:])})
			seen[e] = true
		default:
			seen[e] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for e, c := range ck.evid {
		if !seen[e] {
			ck.problem(CheckProblem{Kind: ProblemIndex, Case: c.String(), Evidence: e.String(), Message: "evidence missing from the evidence index", Repairable: true})
			ck.puts = append(ck.puts, repairPut{key: evidenceIndexKey(e), sk: v.keys.index, val: bytes.Clone(c[:])})
		}
	}
	return nil
}

// summaryIndex checks the list summaries against the current revisions.
func (ck *checker) summaryIndex(txn *store.Txn) error {
	v := ck.v
	seen := map[CaseID]bool{}
	err := eachKey(txn, []byte{pSummary}, true, func(k []byte, item *store.Item) error {
		var id CaseID
		if len(k) == 1+idLen {
			copy(id[:], k[1:])
		}
		if !ck.cases[id] {
			ck.problem(CheckProblem{Kind: ProblemOrphan, Case: id.String(), Message: "summary of a case that does not exist", Repairable: true})
			ck.dels = append(ck.dels, k)
			return nil
		}
		seen[id] = true
		if ck.skipIndex[id] {
			return nil
		}
		want := ck.summaries[id]
		got, err := v.decodeSummary(item)
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) {
				return err
			}
		}
		if err != nil || !sameSummary(got, want) {
			ck.problem(CheckProblem{Kind: ProblemIndex, Case: id.String(), Message: "summary does not match the current revision", Repairable: true})
			ck.putSummary(id, want)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for id := range ck.cases {
		if !seen[id] && !ck.skipIndex[id] {
			ck.problem(CheckProblem{Kind: ProblemIndex, Case: id.String(), Message: "case missing from the list summaries", Repairable: true})
			ck.putSummary(id, ck.summaries[id])
		}
	}
	return nil
}

func sameSummary(a, b Summary) bool {
	return a.ID == b.ID && a.Name == b.Name && a.NameNative == b.NameNative && a.Status == b.Status &&
		a.Updated.Equal(b.Updated) && a.Rev == b.Rev && a.Origin == b.Origin && sameFilterFields(a, b)
}

func (ck *checker) putSummary(id CaseID, s Summary) {
	ck.puts = append(ck.puts, repairPut{key: summaryKey(id), sk: ck.v.keys.index, val: encodeSummary(s)})
}

// postingIndex checks the search postings against the current revisions.
// A posting key names one case or a posting group whose cases are numbered
// in a case table; each member counts as the single posting of its case.
// A group with a stale member, or whose table does not decode, is replaced
// by single postings of its valid members; a case table no group refers
// to any more is removed.
func (ck *checker) postingIndex(txn *store.Txn) error {
	seen := map[string]bool{}
	stale := map[CaseID]int{}
	used := map[index.TableID]bool{}
	damaged := 0 // postings and groups that do not decode, or whose case table is gone
	r := postingReader{txn: txn}
	var es []index.Entry
	err := eachKey(txn, []byte{pPosting}, false, func(k []byte, item *store.Item) error {
		var err error
		es, err = r.entries(es[:0], item)
		if err != nil {
			if !isIndexDamage(err) {
				return err
			}
			if len(k) == index.SingleKeyLen {
				var head CaseID
				copy(head[:], k[1+8:])
				stale[head]++
			} else {
				damaged++
			}
			ck.dels = append(ck.dels, k)
			return nil
		}
		var valid []index.Entry
		for _, e := range es {
			mk := string(key(pPosting, k[1:1+8], e.ID[:]))
			want, ok := ck.postings[mk]
			switch {
			case !ck.cases[e.ID]:
				stale[e.ID]++
			case ck.skipIndex[e.ID]:
				valid = append(valid, e)
			case !ok || want != e.Fields || seen[mk]:
				stale[e.ID]++
			default:
				valid = append(valid, e)
			}
		}
		if len(valid) < len(es) {
			ck.dels = append(ck.dels, k)
			if _, ok := index.GroupTable(k); ok {
				for _, e := range valid {
					ck.puts = append(ck.puts, repairPut{key: key(pPosting, k[1:1+8], e.ID[:]), val: index.EncodePosting(e.Fields, nil), raw: true})
				}
			}
		} else if t, ok := index.GroupTable(k); ok {
			used[t] = true
		}
		for _, e := range valid {
			seen[string(key(pPosting, k[1:1+8], e.ID[:]))] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	badTables := 0
	err = eachKey(txn, []byte{store.PCaseTable}, false, func(k []byte, item *store.Item) error {
		if len(k) != 1+index.TableIDLen {
			badTables++
			ck.dels = append(ck.dels, k)
			return nil
		}
		var t index.TableID
		copy(t[:], k[1:])
		if !used[t] {
			// No group refers to it (its cases were all removed, or its
			// groups were replaced above): it holds IDs and no words.
			ck.dels = append(ck.dels, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if damaged > 0 {
		ck.problem(CheckProblem{Kind: ProblemIndex, Message: fmt.Sprintf("%d search postings or posting groups damaged or without their case table", damaged), Repairable: true})
	}
	if badTables > 0 {
		ck.problem(CheckProblem{Kind: ProblemIndex, Message: fmt.Sprintf("%d search case table keys of a bad length", badTables), Repairable: true})
	}
	for id, n := range stale {
		kind, msg := ProblemIndex, fmt.Sprintf("%d search postings that do not match the current revision", n)
		if !ck.cases[id] {
			kind, msg = ProblemOrphan, fmt.Sprintf("%d search postings of a case that does not exist", n)
		}
		ck.problem(CheckProblem{Kind: kind, Case: id.String(), Message: msg, Repairable: true})
	}
	missing := map[CaseID]int{}
	for k, fs := range ck.postings {
		if !seen[k] {
			var id CaseID
			copy(id[:], k[1+8:])
			missing[id]++
			ck.puts = append(ck.puts, repairPut{key: []byte(k), val: index.EncodePosting(fs, nil), raw: true})
		}
	}
	for id, n := range missing {
		ck.problem(CheckProblem{Kind: ProblemIndex, Case: id.String(), Message: fmt.Sprintf("%d search postings missing", n), Repairable: true})
	}
	return nil
}

// vocabIndex checks the search vocabulary against the tokens of the
// current revisions: a record that does not open, holds a token no case
// holds (a removed case's words) or lacks one is rewritten or removed.
func (ck *checker) vocabIndex(txn *store.Txn) error {
	sk := ck.v.keys.index
	want := vocabPlaintexts(sk, ck.vocab)
	bad := 0
	err := eachKey(txn, []byte{store.PVocab}, true, func(k []byte, item *store.Item) error {
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		pt, err := openRecord(k, sk, sealed)
		w, expected := want[string(k)]
		delete(want, string(k))
		switch {
		case !expected:
			bad++
			ck.dels = append(ck.dels, k)
		case err != nil || !bytes.Equal(pt, w):
			bad++
			ck.puts = append(ck.puts, repairPut{key: k, sk: sk, val: w})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, w := range want {
		bad++
		ck.puts = append(ck.puts, repairPut{key: []byte(k), sk: sk, val: w})
	}
	if bad > 0 {
		ck.problem(CheckProblem{Kind: ProblemIndex, Message: fmt.Sprintf("%d search vocabulary records do not match the cases' words", bad), Repairable: true})
	}
	return nil
}

// blobFiles looks for files in blobs/ that no evidence record refers to.
func (ck *checker) blobFiles() error {
	ents, err := os.ReadDir(ck.v.blobDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, blobTmpPrefix) && privateEntry(e):
			ck.problem(CheckProblem{Kind: ProblemOrphan, Message: "temporary evidence file " + n + " left by an interrupted add", Repairable: true})
			ck.files = append(ck.files, n)
		case !validBlobName(n) || !e.Type().IsRegular():
			ck.problem(CheckProblem{Kind: ProblemOrphan, Message: "unexpected file " + n + " in the evidence directory (left alone)"})
		case ck.blobs[n]:
		case ck.unsure:
			ck.problem(CheckProblem{Kind: ProblemOrphan, Message: "evidence file " + n + " has no metadata, but some evidence records do not open: it is kept"})
		default:
			ck.problem(CheckProblem{Kind: ProblemOrphan, Message: "evidence file " + n + " has no metadata (an interrupted add or removal)", Repairable: true})
			ck.files = append(ck.files, n)
		}
	}
	return nil
}

// repair applies the collected fixes: store changes in transactions of
// bounded size, each with a "check.repair" audit entry, then the removal of
// orphaned files.
func (ck *checker) repair() error {
	v := ck.v
	v.tokens.ForgetVocab() // the vocabulary may be rewritten
	type op struct {
		del []byte
		put *repairPut
	}
	var ops []op
	for _, k := range ck.dels {
		ops = append(ops, op{del: k})
	}
	for i := range ck.puts {
		ops = append(ops, op{put: &ck.puts[i]})
	}
	slices.Sort(ck.repairIDs)
	targets := slices.Compact(ck.repairIDs)
	if len(targets) > 100 {
		targets = targets[:100]
	}
	desc, _ := json.Marshal(map[string]int{"records_deleted": len(ck.dels), "records_written": len(ck.puts), "files_removed": len(ck.files), "modes_fixed": len(ck.chmods)})
	const batch = 500
	for start := 0; start == 0 || start < len(ops); start += batch {
		end := min(start+batch, len(ops))
		err := v.commit(func(c *change) error {
			for _, o := range ops[start:end] {
				var err error
				switch {
				case o.del != nil:
					err = c.del(o.del)
				case o.put.raw:
					err = c.txn.Set(o.put.key, o.put.val)
				default:
					err = c.put(o.put.key, o.put.sk, o.put.val)
				}
				if err != nil {
					return err
				}
			}
			c.audit(OpCheckRepair, targets, desc)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := tightenModes(v.dir, ck.chmods); err != nil {
		return err
	}
	for _, n := range ck.files {
		if err := os.Remove(v.blobPath(n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if len(ck.files) > 0 {
		if err := syncDir(v.blobDir()); err != nil {
			return err
		}
	}
	for _, i := range ck.fixes {
		ck.rep.Problems[i].Repaired = true
	}
	return nil
}

// EvidenceBytes returns the total size of all evidence, for progress
// displays. Records that do not open are not counted.
func (v *Vault) EvidenceBytes() int64 {
	var total int64
	_ = v.view(func(txn *store.Txn) error {
		return eachKey(txn, []byte{pCaseKey}, false, func(k []byte, _ *store.Item) error {
			var id CaseID
			copy(id[:], k[1:])
			dk, err := v.caseKey(txn, id)
			if err != nil {
				return nil
			}
			recs, _ := v.caseEvidence(txn, id, dk)
			for _, r := range recs {
				total += r.Size
			}
			return nil
		})
	})
	return total
}
