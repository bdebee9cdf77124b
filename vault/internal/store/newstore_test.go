package store

import (
	"crypto/rand"
	"testing"
)

// newTestStore opens a new store in dir under a random key with options o
// and returns the key and the open store (closed by the test).
func newTestStore(t *testing.T, dir string, o Options) (key []byte, db *DB) {
	t.Helper()
	key = make([]byte, 32)
	rand.Read(key)
	db, err := Open(dir, key, o)
	if err != nil {
		t.Fatal(err)
	}
	return key, db
}
