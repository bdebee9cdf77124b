package vault

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// revisionHead returns the latest revision of a case with its fields but
// without its document, reading only the start of the record: the case,
// number and hash come before the document. It is how a revision too
// large to read (errRecordTooLarge) is removed and purged. The record is
// authenticated by its AEAD as any other.
func (v *Vault) revisionHead(txn *store.Txn, id CaseID, dk crypto.Key) (*Revision, error) {
	pfx := revisionPrefix(id)
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, Reverse: true})
	defer it.Close()
	it.Seek(append(bytes.Clone(pfx), 0xff, 0xff, 0xff, 0xff))
	if !it.Valid() {
		return nil, &CorruptError{What: "case " + id.String(), Err: errors.New("case has no revision")}
	}
	k := it.Item().KeyCopy(nil)
	sealed, err := it.Item().ValueCopy(nil)
	if err != nil {
		return nil, err
	}
	pt, err := openRecord(k, dk, sealed)
	if err != nil {
		return nil, err
	}
	var r io.Reader = bytes.NewReader(pt)
	if len(pt) > 0 && pt[0] == compressedMarker {
		fr := flate.NewReader(bytes.NewReader(pt[1:]))
		defer fr.Close()
		r = fr
	}
	rev, err := readRevisionHead(r)
	if err != nil {
		return nil, &CorruptError{What: describeKey(k), Err: err}
	}
	if rev.Rev != binary.BigEndian.Uint32(k[len(k)-4:]) || rev.CaseID != id.String() {
		return nil, &CorruptError{What: describeKey(k), Err: errors.New("revision number or case does not match its place")}
	}
	if h, err := hex.DecodeString(rev.SHA256); err != nil || len(h) != 32 {
		return nil, &CorruptError{What: describeKey(k), Err: errors.New("revision hash is not a SHA-256")}
	}
	return rev, nil
}

// readRevisionHead decodes the fields of a revision's JSON up to its
// document, which it does not read.
func readRevisionHead(r io.Reader) (*Revision, error) {
	dec := json.NewDecoder(io.LimitReader(r, maxRevisionJSON))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("revision is not a JSON object")
	}
	var rev Revision
	for n := 0; n < 16 && dec.More(); n++ {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		switch name {
		case "doc":
			if rev.SHA256 == "" {
				return nil, errors.New("revision has no hash before its document")
			}
			return &rev, nil
		case "case":
			err = dec.Decode(&rev.CaseID)
		case "rev":
			err = dec.Decode(&rev.Rev)
		case "sha256":
			err = dec.Decode(&rev.SHA256)
		case "time":
			err = dec.Decode(&rev.Time)
		case "author":
			err = dec.Decode(&rev.Author)
		case "op":
			err = dec.Decode(&rev.Op)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, fmt.Errorf("revision field %q: %w", name, err)
		}
	}
	return nil, errors.New("revision has no document")
}

// unindexAll removes case id from every posting and its summary, for a
// case whose document cannot be read to list its tokens.
func (c *change) unindexAll(id CaseID) error {
	var macs [][]byte
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}})
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		if len(k) != 1+8+idLen {
			continue
		}
		hit := bytes.Equal(k[1+8:], id[:])
		if !hit && it.Item().ValueSize() >= idLen {
			val, err := it.Item().ValueCopy(nil)
			if err != nil {
				it.Close()
				return err
			}
			for i := 0; i+idLen <= len(val); i += idLen {
				if bytes.Equal(val[i:i+idLen], id[:]) {
					hit = true
					break
				}
			}
		}
		if hit {
			macs = append(macs, bytes.Clone(k[1:1+8]))
		}
	}
	it.Close()
	for _, mac := range macs {
		if err := c.removePosting(mac, id); err != nil {
			return err
		}
	}
	return c.del(summaryKey(id))
}
