//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestModeUnderUmask: the file has exactly the mode asked for (0600 by
// default) whatever the umask: a permissive 022 does not open it to others,
// and a strict 077 does not close a public 0644.
func TestModeUnderUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for _, c := range []struct {
		umask int
		opt   Options
		want  os.FileMode
	}{
		{0o022, Options{}, 0o600},
		{0o022, Options{NoClobber: true, Lazy: true}, 0o600},
		{0o000, Options{Sync: true}, 0o600},
		{0o077, Options{Mode: 0o644}, 0o644},
	} {
		syscall.Umask(c.umask)
		p := filepath.Join(dir, "out")
		os.Remove(p)
		if err := Write(p, fillString("x"), c.opt); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != c.want {
			t.Errorf("umask %03o, %+v: mode %v, want %v", c.umask, c.opt, fi.Mode().Perm(), c.want)
		}
	}
}
