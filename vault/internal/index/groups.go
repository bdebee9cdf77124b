package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/store"
)

// Index format 3: posting groups that number their cases.
//
// A posting group (written by an import transaction, an index rebuild or a
// rekey) is keyed x ‖ mac(8) ‖ table(8): table names a case table, record
// g ‖ table(8), whose value is the sorted IDs of the cases of the batch that
// wrote it, 10 bytes each. The group's value lists its cases by their
// position in that table, in ascending order, each as
// uvarint(position − previous position − 1) followed by a compact field set
// (CompactFieldSet). A single posting (a case added or edited on its own)
// keeps its format 2 key x ‖ mac(8) ‖ case(10) and its value, the field set.
// The two kinds of posting key differ in length.

// TableIDLen is the length of a case table's ID in its key and in the keys
// of the posting groups that refer to it.
const TableIDLen = 8

// A TableID names a case table.
type TableID [TableIDLen]byte

// TableKey is the key of case table t.
func TableKey(t TableID) []byte { return append([]byte{store.PCaseTable}, t[:]...) }

// GroupKey is the key of the posting group of the token with this MAC that
// numbers its cases in table t.
func GroupKey(mac []byte, t TableID) []byte { return append(PostingPrefix(mac), t[:]...) }

// SingleKeyLen and GroupKeyLen are the lengths of the two kinds of posting
// key.
const (
	SingleKeyLen = 1 + MACLen + ids.Len
	GroupKeyLen  = 1 + MACLen + TableIDLen
)

// GroupTable returns the table a group key refers to; ok is false for a
// key that is not a group key.
func GroupTable(k []byte) (t TableID, ok bool) {
	if len(k) != GroupKeyLen || k[0] != store.PPosting {
		return t, false
	}
	copy(t[:], k[1+MACLen:])
	return t, true
}

// EncodeTable is the value of a case table: the IDs, which must be sorted
// and distinct.
func EncodeTable(cases []ids.CaseID) []byte {
	out := make([]byte, 0, len(cases)*ids.Len)
	for _, id := range cases {
		out = append(out, id[:]...)
	}
	return out
}

// ErrBadTable is a case table whose length is not a whole number of IDs or
// whose IDs are not sorted and distinct.
var ErrBadTable = errors.New("search case table damaged")

// CheckTable verifies that a case table's value is a sorted list of
// distinct IDs.
func CheckTable(tab []byte) error {
	if len(tab)%ids.Len != 0 || len(tab) == 0 {
		return ErrBadTable
	}
	for i := ids.Len; i < len(tab); i += ids.Len {
		if bytes.Compare(tab[i-ids.Len:i], tab[i:i+ids.Len]) >= 0 {
			return ErrBadTable
		}
	}
	return nil
}

// TableIndex returns the position of case id in a case table.
func TableIndex(tab []byte, id ids.CaseID) (int, bool) {
	lo, hi := 0, len(tab)/ids.Len
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(tab[m*ids.Len:(m+1)*ids.Len], id[:]); {
		case c == 0:
			return m, true
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return lo, false
}

// A Slot is one entry of a posting group: a position in its case table and
// the fields of that case holding the token.
type Slot struct {
	Pos    int
	Fields FieldSet
}

// AppendCompactFieldSet appends a field set as a posting group holds it: a
// single field n as uvarint(n+1), any other set as 0 and the field set
// (AppendFieldSet).
func AppendCompactFieldSet(b []byte, s FieldSet) []byte {
	if ns := s.Numbers(); len(ns) == 1 {
		return binary.AppendUvarint(b, uint64(ns[0])+1)
	}
	return AppendFieldSet(append(b, 0), s)
}

func readCompactFieldSet(b []byte) (FieldSet, []byte, error) {
	var s FieldSet
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxFields {
		return s, b, ErrBadFieldSet
	}
	if n == 0 {
		return readFieldSet(b[k:])
	}
	s.Add(int(n - 1))
	return s, b[k:], nil
}

// EncodeGroup is the value of a posting group: its slots, which must be
// sorted by position, distinct. The value starts with the field set most of
// its cases have (compact), then each case as
// uvarint((position − previous position − 1) << 1 | own), followed by its
// own compact field set when own is 1.
func EncodeGroup(slots []Slot) []byte {
	common := commonFields(slots)
	out := AppendCompactFieldSet(make([]byte, 0, 4+len(slots)*3/2), common)
	prev := -1
	for _, s := range slots {
		d := uint64(s.Pos-prev-1) << 1
		if s.Fields != common {
			out = AppendCompactFieldSet(binary.AppendUvarint(out, d|1), s.Fields)
		} else {
			out = binary.AppendUvarint(out, d)
		}
		prev = s.Pos
	}
	return out
}

// commonFields is the field set most slots have.
func commonFields(slots []Slot) FieldSet {
	var best FieldSet
	n := 0
	counts := map[FieldSet]int{}
	for _, s := range slots {
		c := counts[s.Fields] + 1
		counts[s.Fields] = c
		if c > n {
			best, n = s.Fields, c
		}
	}
	return best
}

// walkGroup calls fn with the position in its case table and the field
// set of each case of a posting group's value, in table order; every
// position must be below n, the length of the table.
func walkGroup(val []byte, n int, fn func(pos int, fs FieldSet)) error {
	common, val, err := readCompactFieldSet(val)
	if err != nil {
		return err
	}
	if len(val) == 0 {
		return ErrBadGroup
	}
	prev := -1
	for len(val) > 0 {
		d, k := binary.Uvarint(val)
		if k <= 0 || d>>1 >= uint64(n) || uint64(prev)+1+d>>1 >= uint64(n) {
			return ErrBadGroup
		}
		val = val[k:]
		pos, fs := prev+1+int(d>>1), common
		if d&1 == 1 {
			if fs, val, err = readCompactFieldSet(val); err != nil {
				return err
			}
		}
		fn(pos, fs)
		prev = pos
	}
	return nil
}

// DecodeGroupSlots appends the slots of a posting group's value to dst;
// every position must be below n, the length of its case table.
func DecodeGroupSlots(dst []Slot, val []byte, n int) ([]Slot, error) {
	err := walkGroup(val, n, func(pos int, fs FieldSet) {
		dst = append(dst, Slot{Pos: pos, Fields: fs})
	})
	return dst, err
}

// DecodeGroup appends the entries of a posting group's value to dst, their
// IDs read from its case table tab: in table order, so sorted by ID.
func DecodeGroup(dst []Entry, tab, val []byte) ([]Entry, error) {
	err := walkGroup(val, len(tab)/ids.Len, func(pos int, fs FieldSet) {
		e := Entry{Fields: fs}
		copy(e.ID[:], tab[pos*ids.Len:])
		dst = append(dst, e)
	})
	return dst, err
}

// DecodeSingle is the field set of a single posting's value (nothing after
// it: format 3 writes groups under group keys only).
func DecodeSingle(val []byte) (FieldSet, error) {
	fs, rest, err := readFieldSet(val)
	if err == nil && len(rest) > 0 {
		err = ErrBadGroup
	}
	return fs, err
}

// GroupRecords calls put with the records that store the postings groups
// (token MAC → the entries of the cases holding it, each case at most once
// per token) as posting groups numbering their cases in one new case table
// t: the table first, then one group per token.
func GroupRecords(groups map[string][]Entry, t TableID, put func(k, v []byte) error) error {
	if len(groups) == 0 {
		return nil
	}
	seen := map[ids.CaseID]int{}
	var cases []ids.CaseID
	for _, es := range groups {
		for _, e := range es {
			if _, ok := seen[e.ID]; !ok {
				seen[e.ID] = 0
				cases = append(cases, e.ID)
			}
		}
	}
	slices.SortFunc(cases, func(a, b ids.CaseID) int { return bytes.Compare(a[:], b[:]) })
	for i, id := range cases {
		seen[id] = i
	}
	if err := put(TableKey(t), EncodeTable(cases)); err != nil {
		return err
	}
	macs := make([]string, 0, len(groups))
	for mac := range groups {
		macs = append(macs, mac)
	}
	slices.Sort(macs) // keys in order: cheaper for the store
	var slots []Slot
	for _, mac := range macs {
		slots = slots[:0]
		for _, e := range groups[mac] {
			slots = append(slots, Slot{Pos: seen[e.ID], Fields: e.Fields})
		}
		slices.SortFunc(slots, func(a, b Slot) int { return a.Pos - b.Pos })
		out := slots[:0]
		for _, s := range slots {
			if n := len(out); n > 0 && out[n-1].Pos == s.Pos {
				out[n-1].Fields = out[n-1].Fields.Union(s.Fields)
				continue
			}
			out = append(out, s)
		}
		slots = out
		if err := put(GroupKey([]byte(mac), t), EncodeGroup(slots)); err != nil {
			return err
		}
	}
	return nil
}
