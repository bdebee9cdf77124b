package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestPrivateEditDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os.UserCacheDir follows XDG_CACHE_HOME on Linux only")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	var errOut bytes.Buffer
	g := &globals{env: &env{stderr: &errOut}}
	dir, err := g.privateEditDir()
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(cache, "casevault", "edit") {
		t.Fatalf("dir %s", dir)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Fatalf("mode %o", st.Mode().Perm())
	}
	if !strings.Contains(errOut.String(), dir) {
		t.Fatalf("the user was not told: %q", errOut.String())
	}
	errOut.Reset()
	if _, err := g.privateEditDir(); err != nil || errOut.Len() != 0 {
		t.Fatalf("second use: %v, told again: %q", err, errOut.String())
	}
	os.Chmod(dir, 0o755)
	if _, err := g.privateEditDir(); err == nil || !strings.Contains(err.Error(), "open to other users") {
		t.Fatalf("open directory accepted: %v", err)
	}
	os.Remove(dir)
	os.Symlink(t.TempDir(), dir)
	if _, err := g.privateEditDir(); err == nil {
		t.Fatal("symlinked directory accepted")
	}
}
