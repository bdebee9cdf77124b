package vault

// ShredFile overwrites a private regular file with random bytes, syncs and
// removes it, never following a link (a link or other file planted under
// the name is left alone and reported). It is how the CLI removes the
// plaintext copy of a case it gave to an editor.
func ShredFile(path string) error { return shredFile(path) }
