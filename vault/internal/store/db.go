// Package store is casevault's record store: the only package that imports
// Badger. It keeps Badger's names (DB, Txn, Iterator, Item) for a small
// API through which no Badger type escapes, and owns the one table of
// record kinds (kinds.go).
package store

import (
	"errors"
	"os"
	"path/filepath"

	badger "github.com/dgraph-io/badger/v4"
)

// ErrKeyNotFound is returned by Txn.Get for an absent key.
var ErrKeyNotFound = errors.New("key not found")

// ErrTxnTooBig is returned by Txn.Set and Delete when a transaction holds
// as much as one may: commit it and go on in a new one.
var ErrTxnTooBig = errors.New("transaction too big")

// ErrLocked is returned by Open when another process holds the store.
var ErrLocked = errors.New("the store is in use by another process")

// DB is an open store.
type DB struct{ db *badger.DB }

// Txn is a transaction, read-only or read-write.
type Txn struct {
	txn    *badger.Txn
	db     *badger.DB // the store of txn
	watch  func(k []byte)
	writes int // Set and Delete calls so far
}

// Writes is the number of Set and Delete calls of the transaction so far.
// Badger's iterator over a transaction that has written copies and sorts
// every pending write each time it is created: a caller with many reads
// in a large transaction reads by key instead (issue 14).
func (t *Txn) Writes() int { return t.writes }

// Watch has fn called with the key of every Set and Delete that follows
// (the sync change log learns which cases a transaction touched).
func (t *Txn) Watch(fn func(k []byte)) { t.watch = fn }

// translate maps Badger's sentinel errors to the package's.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, badger.ErrKeyNotFound):
		return ErrKeyNotFound
	case errors.Is(err, badger.ErrTxnTooBig):
		return ErrTxnTooBig
	}
	return err
}

// View runs fn in a read-only transaction.
func (d *DB) View(fn func(*Txn) error) error {
	return d.db.View(func(t *badger.Txn) error { return fn(&Txn{txn: t, db: d.db}) })
}

// Update runs fn in a read-write transaction and commits it if fn succeeds.
func (d *DB) Update(fn func(*Txn) error) error {
	return translate(d.db.Update(func(t *badger.Txn) error { return fn(&Txn{txn: t, db: d.db}) }))
}

// NewTransaction starts a transaction; Discard must follow.
func (d *DB) NewTransaction(update bool) *Txn {
	return &Txn{txn: d.db.NewTransaction(update), db: d.db}
}

// Size returns the bytes of the LSM tree, summed over the table files in
// the store's directory, and of the value log as Badger counts it (values
// over 64 KiB only). Badger's own count of the tables is a metric, and the
// store runs with metrics off: it was always 0, so the free-space checks
// of an index rebuild, a rekey and a backup asked for nothing, and the
// index rebuild at the first write after an upgrade filled a nearly full
// disk and died of SIGBUS (found by an attack). The value log files are
// not summed: the open one is a sparse file of twice its size.
func (d *DB) Size() (lsm, vlog int64) {
	_, vlog = d.db.Size()
	ents, err := os.ReadDir(d.db.Opts().Dir)
	if err != nil {
		return 0, vlog
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || filepath.Ext(e.Name()) != ".sst" {
			continue
		}
		if info, err := e.Info(); err == nil {
			lsm += info.Size()
		}
	}
	return lsm, vlog
}

// Sync writes what is buffered to disk.
func (d *DB) Sync() error { return d.db.Sync() }

// MemTableSize is the memtable size the store was opened with.
func (d *DB) MemTableSize() int64 { return d.db.Opts().MemTableSize }

// Close closes the store.
func (d *DB) Close() error { return d.db.Close() }

// Get returns a copy of the value of k, or ErrKeyNotFound.
func (t *Txn) Get(k []byte) (*Item, error) {
	it, err := t.txn.Get(k)
	if err != nil {
		return nil, translate(err)
	}
	return &Item{it}, nil
}

// Set writes v at k.
func (t *Txn) Set(k, v []byte) error {
	t.writes++
	if t.watch != nil {
		t.watch(k)
	}
	return translate(t.txn.Set(k, v))
}

// Delete removes k.
func (t *Txn) Delete(k []byte) error {
	t.writes++
	if t.watch != nil {
		t.watch(k)
	}
	return translate(t.txn.Delete(k))
}

// LastCommitted returns the greatest key under prefix in the store as t
// sees it before its own pending writes (found false when there is none).
// It reads through a read-only view of the store, whose iterator does not
// copy and sort pending writes as one over t does (see Writes), and only
// when that view is t's: same is false, and nothing is read, when another
// transaction committed since t began (a different read timestamp); the
// caller then reads with an iterator over t.
func (t *Txn) LastCommitted(prefix []byte) (key []byte, found, same bool) {
	rt := t.db.NewTransaction(false)
	defer rt.Discard()
	if rt.ReadTs() != t.txn.ReadTs() {
		return nil, false, false
	}
	it := rt.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
	defer it.Close()
	seek := make([]byte, len(prefix), len(prefix)+8)
	copy(seek, prefix)
	it.Seek(append(seek, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
	if !it.Valid() {
		return nil, false, true
	}
	return it.Item().KeyCopy(nil), true, true
}

// Commit commits a read-write transaction.
func (t *Txn) Commit() error { return translate(t.txn.Commit()) }

// Discard ends the transaction; after Commit it does nothing.
func (t *Txn) Discard() { t.txn.Discard() }

// Item is a key and its value, valid until the iterator moves on (Get's
// item: until the transaction ends).
type Item struct{ it *badger.Item }

// Key returns the key, valid until the iterator moves on.
func (i *Item) Key() []byte { return i.it.Key() }

// KeyCopy returns a copy of the key (in dst if it fits).
func (i *Item) KeyCopy(dst []byte) []byte { return i.it.KeyCopy(dst) }

// ValueCopy returns a copy of the value (in dst if it fits).
func (i *Item) ValueCopy(dst []byte) ([]byte, error) { return i.it.ValueCopy(dst) }

// Value calls fn with the value, valid only during the call.
func (i *Item) Value(fn func([]byte) error) error { return i.it.Value(fn) }

// ValueSize returns the size of the value without reading it.
func (i *Item) ValueSize() int64 { return i.it.ValueSize() }

// IteratorOptions choose the keys an Iterator visits.
type IteratorOptions struct {
	Prefix         []byte // only keys with this prefix
	PrefetchValues bool   // read values ahead
	PrefetchSize   int    // how many
	Reverse        bool   // from the largest key down
}

// Iterator walks keys in order.
type Iterator struct {
	it   *badger.Iterator
	item Item
}

// NewIterator returns an iterator; Close must follow.
func (t *Txn) NewIterator(o IteratorOptions) *Iterator {
	bo := badger.IteratorOptions{Prefix: o.Prefix, PrefetchValues: o.PrefetchValues, PrefetchSize: o.PrefetchSize, Reverse: o.Reverse}
	return &Iterator{it: t.txn.NewIterator(bo)}
}

func (i *Iterator) Rewind()       { i.it.Rewind() }
func (i *Iterator) Seek(k []byte) { i.it.Seek(k) }
func (i *Iterator) Valid() bool   { return i.it.Valid() }
func (i *Iterator) Next()         { i.it.Next() }
func (i *Iterator) Close()        { i.it.Close() }
func (i *Iterator) Item() *Item   { i.item.it = i.it.Item(); return &i.item }
