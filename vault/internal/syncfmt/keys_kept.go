package syncfmt

import "github.com/casevault/casevault/crypto"

// Export returns the keys and sync ID, to be kept sealed by a purge that
// still has to send its tombstone under them (see vault/sync_purge.go).
func (k Keys) Export() (obj, blob crypto.Key, id []byte) {
	return k.obj, k.blob, append([]byte(nil), k.ID...)
}

// KeysFrom returns the keys Export returned.
func KeysFrom(obj, blob crypto.Key, id []byte) Keys {
	return Keys{obj: obj, blob: blob, ID: append([]byte(nil), id...)}
}
