package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func fillString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// names returns the names in dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func wantNames(t *testing.T, dir string, want ...string) {
	t.Helper()
	got := names(t, dir)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s holds %v, want %v", dir, got, want)
	}
}

func wantContent(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Fatalf("%s = %q, want %q", filepath.Base(path), b, want)
	}
}

func TestWriteReplaces(t *testing.T) {
	for _, opt := range []Options{{}, {Sync: true}, {Lazy: true}, {OverwriteOld: true, Sync: true}} {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		if err := os.WriteFile(p, []byte("old content"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Write(p, fillString("new"), opt); err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		wantContent(t, p, "new")
		wantNames(t, dir, "out")
	}
}

func TestNoClobberRefusesExistingFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	if err := os.WriteFile(p, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{NoClobber: true}, {NoClobber: true, Sync: true, Lazy: true}} {
		err := Write(p, fillString("attacker"), opt)
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("%+v: err = %v, want fs.ErrExist", opt, err)
		}
		wantContent(t, p, "precious")
		wantNames(t, dir, "out")
	}
}

func TestNoClobberRefusesSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{victim, filepath.Join(dir, "missing")} {
		p := filepath.Join(dir, "out")
		os.Remove(p)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		err := Write(p, fillString("attacker"), Options{NoClobber: true, Sync: true})
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("link to %s: err = %v, want fs.ErrExist", target, err)
		}
		if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the planted link was replaced: %v %v", fi, err)
		}
		wantContent(t, victim, "precious")
		if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("a file was made through the dangling link: %v", err)
		}
		wantNames(t, dir, "out")
	}
}

// TestReplaceDoesNotFollowSymlink: replacing a name held by a link replaces
// the link, never what it points to.
func TestReplaceDoesNotFollowSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "out")
	if err := os.Symlink(victim, p); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, fillString("new"), Options{Sync: true, OverwriteOld: true}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("out is not a regular file: %v %v", fi, err)
	}
	wantContent(t, p, "new")
	wantContent(t, victim, "precious")
}

// fixedRand makes the first n temporary names the same planted one.
func fixedRand(t *testing.T, n int) {
	t.Helper()
	calls := 0
	randRead = func(b []byte) (int, error) {
		calls++
		if calls <= n {
			for i := range b {
				b[i] = 0xab
			}
			return len(b), nil
		}
		for i := range b {
			b[i] = byte(calls)
		}
		return len(b), nil
	}
	t.Cleanup(func() { randRead = defaultRandRead })
}

var defaultRandRead = randRead

// TestPlantedTempName: something planted at the temporary name (a link to a
// file the attacker wants overwritten) is never opened: the writer takes
// another name, or fails when every name it tries is taken.
func TestPlantedTempName(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(dir, ".tmp-abababababababab")
	if err := os.Symlink(victim, planted); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "out")

	fixedRand(t, 1)
	if err := Write(p, fillString("new"), Options{NoClobber: true, Sync: true}); err != nil {
		t.Fatal(err)
	}
	wantContent(t, p, "new")
	wantContent(t, victim, "precious")
	wantNames(t, dir, ".tmp-abababababababab", "out")

	fixedRand(t, 1000)
	os.Remove(p)
	err := Write(p, fillString("new"), Options{})
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("every temporary name taken: err = %v, want fs.ErrExist", err)
	}
	wantContent(t, victim, "precious")
	wantNames(t, dir, ".tmp-abababababababab")
}

func TestFailedFillLeavesNothing(t *testing.T) {
	boom := errors.New("boom")
	for _, opt := range []Options{{}, {NoClobber: true, Sync: true}, {Lazy: true}, {Lazy: true, NoClobber: true}} {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		err := Write(p, func(w io.Writer) error {
			if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<20)); err != nil {
				return err
			}
			return boom
		}, opt)
		if !errors.Is(err, boom) {
			t.Fatalf("%+v: err = %v", opt, err)
		}
		wantNames(t, dir)

		// An existing file is left as it was.
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Write(p, func(io.Writer) error { return boom }, opt); !errors.Is(err, boom) {
			t.Fatalf("%+v: err = %v", opt, err)
		}
		wantContent(t, p, "old")
		wantNames(t, dir, "out")
	}
}

func TestLazy(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	f, err := Create(p, Options{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	wantNames(t, dir) // nothing before the first write
	f.Abort()
	wantNames(t, dir)

	f, err = Create(p, Options{Lazy: true, NoClobber: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil { // nothing written: an empty file
		t.Fatal(err)
	}
	wantContent(t, p, "")
	wantNames(t, dir, "out")
}

// TestOverwriteOld: the replaced file's blocks are overwritten (seen
// through a descriptor opened before), unless it has a second name.
func TestOverwriteOld(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a file open for reading cannot be replaced on Windows")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "key")
	old := bytes.Repeat([]byte("SECRET"), 1000)
	if err := os.WriteFile(p, old, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := Write(p, fillString("new"), Options{Sync: true, OverwriteOld: true}); err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	if len(got) != len(old) || bytes.Contains(got, []byte("SECRET")) {
		t.Fatalf("the old file was not overwritten (%d bytes, first %q)", len(got), got[:min(len(got), 12)])
	}
	wantContent(t, p, "new")

	// A planted second name: the rename replaces only this name, and the
	// other file is not touched.
	other := filepath.Join(t.TempDir(), "other")
	if err := os.WriteFile(other, old, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if err := os.Link(other, p); err != nil {
		t.Skip("no hard links here:", err)
	}
	if err := Write(p, fillString("new"), Options{Sync: true, OverwriteOld: true}); err != nil {
		t.Fatal(err)
	}
	wantContent(t, other, string(old))
	wantContent(t, p, "new")
}

// TestConcurrentNoClobber: writers racing for one name with NoClobber: one
// wins with its complete content, the others get fs.ErrExist, and no
// temporary file is left.
func TestConcurrentNoClobber(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = Write(p, func(w io.Writer) error {
				_, err := w.Write(bytes.Repeat([]byte{byte('a' + i)}, 256<<10))
				return err
			}, Options{NoClobber: true, Sync: i%2 == 0, Lazy: i%3 == 0})
		})
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if won >= 0 {
				t.Fatalf("writers %d and %d both succeeded", won, i)
			}
			won = i
		case !errors.Is(err, fs.ErrExist):
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no writer succeeded")
	}
	wantContent(t, p, string(bytes.Repeat([]byte{byte('a' + won)}, 256<<10)))
	wantNames(t, dir, "out")
}

// TestConcurrentReplace: writers replacing one name all succeed, and the
// file is one of them, complete.
func TestConcurrentReplace(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = Write(p, func(w io.Writer) error {
				_, err := w.Write(bytes.Repeat([]byte{byte('a' + i)}, 256<<10))
				return err
			}, Options{Sync: true})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 256<<10 || !bytes.Equal(b, bytes.Repeat(b[:1], len(b))) {
		t.Fatalf("the file is a mix of writers (%d bytes)", len(b))
	}
	wantNames(t, dir, "out")
}

// TestPlacedAtomically: a reader looking at the target just before it is
// put in place sees nothing (or the old file), never a partial new one.
func TestPlacedAtomically(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	var before []string
	placeHook = func(tmp, path string) {
		before = names(t, dir)
		if filepath.Dir(tmp) != dir {
			t.Errorf("temporary file %s is not beside %s", tmp, path)
		}
	}
	t.Cleanup(func() { placeHook = nil })
	if err := Write(p, fillString("new"), Options{NoClobber: true, TempPrefix: ".out.tmp-"}); err != nil {
		t.Fatal(err)
	}
	if len(before) != 1 || len(before[0]) != len(".out.tmp-")+16 || before[0][:9] != ".out.tmp-" {
		t.Fatalf("before the rename the directory held %v, want only the temporary file", before)
	}
	wantNames(t, dir, "out")
}
