package vault

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// indexFormat is the format of the search index this casevault writes:
// 1 (no record) had postings without fields and no vocabulary; 2 records
// the fields of each posting and keeps the vocabulary; 3 writes posting
// groups that number their cases in a case table (index_groups.go); 4
// keeps one vocabulary record per token instead of one per start
// (index.VocabKey); 5 marks a stem cut to one or two letters (Юлия: ul~),
// which was the token of the word ул. (fold.ShortStemMark); 6 keeps common
// words whose token was a name's whole and marked (или: ili=, not Илья's
// il~; fold.CommonWordMark).
const indexFormat = 6

// indexInfo is the record (store.PIndexInfo, sealed under the index key)
// that says how the search index was built. An index of another format
// or field list is rebuilt at the first read-write open.
type indexInfo struct {
	Format int    `json:"format"`
	Fields string `json:"fields"`        // hex SHA-256 of the field list (index.FieldsDigest)
	Org    bool   `json:"org,omitempty"` // imported cases have the token of their organisation (index.OrgToken)
}

func currentIndexInfo() indexInfo {
	d := index.FieldsDigest()
	return indexInfo{Format: indexFormat, Fields: hex.EncodeToString(d[:]), Org: true}
}

var indexInfoKey = []byte{store.PIndexInfo}

// loadIndex reads the index record and, on a read-write open of a vault
// whose index is of a previous format, rebuilds the index. A read-only
// open of such a vault searches by opening every case (scanSearch).
func (v *Vault) loadIndex() error {
	info, err := v.readIndexInfo()
	if err != nil {
		return err
	}
	if info.Format > indexFormat {
		return fmt.Errorf("search index of format %d: %w", info.Format, ErrNewerVersion)
	}
	v.indexCurrent, v.indexRead = info == currentIndexInfo(), info.Format
	if v.indexCurrent || v.opts.ReadOnly || v.opts.keepIndex {
		return nil
	}
	ctx := v.opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if err := v.rebuildIndex(ctx, v.opts.Notify); err != nil {
		return err
	}
	// A Ctrl-C after the last check of the rebuild: the index is
	// current now, and the command does not go on.
	return ctx.Err()
}

// IndexNotice says, for a vault opened read-only whose search index is not
// current (of an earlier format, for another field list, or left
// incomplete by a rebuild cut short), that searches and lists open every
// case until a command that changes the vault rebuilds the index; ""
// otherwise.
func (v *Vault) IndexNotice() string {
	if v.indexCurrent || !v.opts.ReadOnly {
		return ""
	}
	ro, _ := v.staleIndexNotices()
	return ro
}

// rebuildNotice says, before a read-write open rebuilds the search index,
// why and for how long.
func (v *Vault) rebuildNotice() string {
	_, rw := v.staleIndexNotices()
	return rw
}

// staleIndexNotices returns, for a search index that is not current, what
// a read-only open says of it (IndexNotice) and what a read-write open
// says before it rebuilds it (rebuildNotice).
func (v *Vault) staleIndexNotices() (readOnly, rebuild string) {
	switch {
	case v.indexRead == 0:
		// No index record: a rebuild was cut short (it deletes the
		// record first), or the vault is of index format 1; which of
		// the two is not told apart.
		return fmt.Sprintf("the search index is incomplete (a rebuild was cut short) or of the first format: until a command that changes the vault rebuilds it as format %d (about a minute for 100,000 cases), searches, lists and statistics open every case, which is slow", indexFormat),
			fmt.Sprintf("rebuilding the search index, incomplete (a rebuild was cut short) or of the first format, as format %d (about a minute for 100,000 cases; Ctrl-C stops it, and the next command that changes the vault starts it again)", indexFormat)
	case v.indexRead < indexFormat:
		return fmt.Sprintf("the search index is of format %d, written by an earlier casevault: until a command that changes the vault rebuilds it as format %d (about a minute for 100,000 cases), searches, lists and statistics open every case, which is slow", v.indexRead, indexFormat),
			fmt.Sprintf("rebuilding the search index of format %d, written by an earlier casevault, as format %d (about a minute for 100,000 cases; Ctrl-C stops it, and the next command that changes the vault starts it again)", v.indexRead, indexFormat)
	default:
		return fmt.Sprintf("the search index of format %d was built for another list of searchable fields: until a command that changes the vault rebuilds it (about a minute for 100,000 cases), searches, lists and statistics open every case, which is slow", v.indexRead),
			fmt.Sprintf("rebuilding the search index of format %d for this casevault's list of searchable fields (about a minute for 100,000 cases; Ctrl-C stops it, and the next command that changes the vault starts it again)", v.indexRead)
	}
}

// readIndexInfo reads the index record (zero when there is none).
func (v *Vault) readIndexInfo() (indexInfo, error) {
	var info indexInfo
	pt, err := v.get(nil, indexInfoKey, v.keys.index)
	switch {
	case errors.Is(err, errNoRecord):
	case err != nil:
		return info, err
	default:
		if err := decodeJSON(indexInfoKey, pt, &info); err != nil {
			return info, err
		}
	}
	return info, nil
}

// RebuildIndex drops the search index (postings and vocabulary) and
// builds it again from every case's current revision and evidence, in
// transactions of bounded size, then records its format with an audit
// entry "index.rebuild". Interrupted (ctx, a kill), it leaves the index
// without its record, incomplete, and the next read-write open starts
// again.
func (v *Vault) RebuildIndex(ctx context.Context) error {
	return v.rebuildIndex(ctx, nil)
}

// rebuildIndex is RebuildIndex; when notify is not nil, it gets
// rebuildNotice once the rebuild is about to start (after the free-space
// check, so that a refused rebuild says only why).
func (v *Vault) rebuildIndex(ctx context.Context, notify func(string)) error {
	if err := v.live(); err != nil {
		return err
	}
	if v.opts.ReadOnly {
		return errReadOnly
	}
	// The new index is written before compaction drops the old one: room
	// for a store's worth, as rekey asks, so that a nearly full disk
	// refuses the rebuild (at the first read-write open after an upgrade
	// of the index format, too) instead of Badger dying of SIGBUS in a
	// memory-mapped table (found by an attack).
	lsm, vlog := v.db.Size()
	if err := v.checkSpace(lsm + vlog); err != nil {
		return err
	}
	if notify != nil {
		notify(v.rebuildNotice())
	}
	v.indexCurrent = false
	v.tokens.ForgetVocab()
	w := newBatchWriter(v.db)
	defer w.discard()
	// The marker goes first: a rebuild cut short is redone.
	if err := v.db.Update(func(txn *store.Txn) error { return txn.Delete(indexInfoKey) }); err != nil {
		return err
	}
	for _, p := range []byte{pPosting, store.PCaseTable, store.PVocab} {
		if err := v.deleteAll(ctx, p); err != nil {
			return err
		}
	}
	vocab := map[string]bool{}
	g := newGroupWriter(w.set)
	err := v.view(func(txn *store.Txn) error {
		return v.eachCaseID(txn, func(id CaseID) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			doc, metas, rev, err := v.caseRevisionDocument(txn, id)
			if err != nil {
				if errors.Is(err, ErrDamaged) || errors.Is(err, errRecordTooLarge) {
					return nil // unreadable: check reports it, and it is found by no word
				}
				return err
			}
			tf := index.CaseTokens(doc, metas)
			tf.AddOrg(revisionOrigin(rev))
			for t, fs := range tf {
				g.add(v.tokenMAC(t), index.Entry{ID: id, Fields: fs})
				vocab[t] = true
			}
			return g.caseDone()
		})
	})
	if err == nil {
		err = g.flush()
	}
	if err != nil {
		return err
	}
	if err := writeVocab(v.keys.index, vocab, w.set); err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	err = v.commit(func(c *change) error {
		c.audit(OpIndexRebuild, nil, nil)
		return c.putJSON(indexInfoKey, v.keys.index, currentIndexInfo())
	})
	if err != nil {
		return err
	}
	v.indexCurrent = true
	return nil
}

// deleteAll deletes every record under one prefix, until ctx is done.
func (v *Vault) deleteAll(ctx context.Context, p byte) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var keys [][]byte
		err := v.view(func(txn *store.Txn) error {
			it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{p}, PrefetchValues: false})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(keys) < rekeyBatch; it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			return nil
		})
		if err != nil || len(keys) == 0 {
			return err
		}
		err = v.db.Update(func(txn *store.Txn) error {
			for _, k := range keys {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// putIndexInfo records, in a new vault, that its index is current.
func (c *change) putIndexInfo() error {
	c.v.indexCurrent = true
	return c.putJSON(indexInfoKey, c.v.keys.index, currentIndexInfo())
}

// writeRebuiltIndex hands set the vocabulary and index records of a
// store whose postings were rebuilt under the index key sk from the
// tokens toks (rekey, purge).
func writeRebuiltIndex(sk crypto.Key, toks map[string]bool, set func(k, sealed []byte) error) error {
	if err := writeVocab(sk, toks, set); err != nil {
		return err
	}
	b, err := marshalJSON(currentIndexInfo())
	if err != nil {
		return err
	}
	return set(indexInfoKey, crypto.Seal(sk, b, recordAD(indexInfoKey)))
}
