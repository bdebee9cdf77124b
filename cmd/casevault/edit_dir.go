package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/vault"
)

// privateEditDir returns casevault's private directory for plaintext
// copies under the user's cache directory (created 0700, and owner-only
// through its ACL on Windows). It says where it is the first time it is
// used, and refuses a directory that is a link or open to others.
func (g *globals) privateEditDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no private directory for the plaintext copy: %w", err)
	}
	dir := filepath.Join(cache, "casevault", "edit")
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return "", err
	}
	created := false
	if err := os.Mkdir(dir, 0o700); err == nil {
		created = true
		if err := vault.MakePrivate(dir, true); err != nil {
			return "", fmt.Errorf("making %s private: %w", dir, err)
		}
	} else if !errors.Is(err, os.ErrExist) {
		return "", err
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a directory: remove it to edit cases", dir)
	}
	if onUnix && st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s is open to other users (mode %o): run 'chmod 700 %s'", dir, st.Mode().Perm(), dir)
	}
	if created {
		g.infof("while you edit, the plaintext copy of a case is kept in %s (private to you, on disk: this system has no memory-backed directory); it is overwritten and removed afterwards", dir)
	}
	return dir, nil
}
