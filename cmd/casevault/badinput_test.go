//go:build linux

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/casevault/casevault/vault"
)

// run runs the binary to completion with extra environment settings.
func (cv *crashVault) run(t *testing.T, extraEnv []string, args ...string) runResult {
	t.Helper()
	saved := cv.env
	cv.env = append(append([]string{}, cv.env...), extraEnv...)
	defer func() { cv.env = saved }()
	return cv.runKill(t, -1, nil, args...)
}

// snapshot is what must not change when a command fails: every case's
// current revision hash and the audit head.
func (cv *crashVault) snapshot(t *testing.T) string {
	t.Helper()
	v := cv.open(t)
	defer v.Close()
	ids, err := v.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, id := range ids {
		r, err := v.Case(id)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %s\n", id, r.Rev, r.SHA256)
	}
	h, err := v.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "audit %d %s\n", h.Seq, h.Hash)
	return b.String()
}

// dirDigest hashes every file below dir (names and contents), leaving out
// the lock file.
func dirDigest(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var names []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name() != "lock" {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, _ := os.ReadFile(n)
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cleanFailure requires a failure in casevault's own words: the exit code,
// an error line matching want, and no Go panic or runtime trace.
func cleanFailure(t *testing.T, r runResult, code int, want string) {
	t.Helper()
	if r.killed || r.code != code {
		t.Fatalf("exit code %d, want %d\nstderr: %s", r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "casevault: error: ") {
		t.Fatalf("stderr does not start with an error line: %q", r.stderr)
	}
	if ok, _ := regexp.MatchString(want, r.stderr); !ok {
		t.Fatalf("stderr %q does not match %q", r.stderr, want)
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "fatal error") {
		t.Fatalf("a Go trace reached the user:\n%s", r.stderr)
	}
}

// TestBadInputs runs the real binary on bad inputs: each must fail with its
// clear error and exit code and change nothing.
func TestBadInputs(t *testing.T) {
	bin := buildCasevault(t)
	cv := newCrashVault(t, bin)
	tmp := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for i := range 3 {
		if r := cv.run(t, nil, "case", "add", "-f", write(fmt.Sprintf("c%d.yaml", i), crashCaseFile(i))); r.code != 0 {
			t.Fatalf("case add: %s", r.stderr)
		}
	}
	backup := filepath.Join(tmp, "backup.cvbak")
	if r := cv.run(t, nil, "backup", "-o", backup); r.code != 0 {
		t.Fatalf("backup: %s", r.stderr)
	}
	full, _ := os.ReadFile(backup)
	// identity.age was made by vault.Init in this test binary (scrypt work
	// factor 2^10), so the passphrase works quickly with the real binary.
	passFile := write("pass", []byte("unused passphrase\n"))
	wrongPass := write("wrong", []byte("not the passphrase\n"))
	huge := filepath.Join(tmp, "huge.yaml")
	if f, err := os.Create(huge); err != nil {
		t.Fatal(err)
	} else {
		f.WriteString("schema: case.v1\nnotes: ")
		f.Truncate(100 << 20) // 100 MB, sparse
		f.Close()
	}
	restored := filepath.Join(tmp, "restored")
	usePass := []string{"CASEVAULT_IDENTITY=", "CASEVAULT_PASSPHRASE_FILE=" + passFile}

	tests := []struct {
		name  string
		env   []string
		args  []string
		code  int
		want  string
		after func(t *testing.T)
	}{
		{"wrong passphrase", []string{"CASEVAULT_IDENTITY=", "CASEVAULT_PASSPHRASE_FILE=" + wrongPass},
			[]string{"case", "list"}, exitAuth, "wrong passphrase", nil},
		{"unknown schema version", nil,
			[]string{"case", "add", "-f", write("v9.yaml", []byte("schema: case.v9\nperson:\n  name: X\n"))}, exitInvalid, `unsupported case schema version "case.v9"`, nil},
		{"invalid UTF-8", nil,
			[]string{"case", "add", "-f", write("utf8.yaml", []byte("schema: case.v1\nperson:\n  name: \"Iv\xffan\"\n"))}, exitInvalid, "not valid UTF-8", nil},
		{"100 MB case file", nil,
			[]string{"case", "add", "-f", huge}, exitInvalid, "too large", nil},
		{"truncated backup", usePass,
			[]string{"--vault", restored, "restore", write("cut.cvbak", full[:len(full)*2/3])}, exitDamaged, "backup: (damaged or )?truncated",
			func(t *testing.T) {
				if _, err := os.Stat(restored); err == nil {
					t.Fatal("a failed restore left the target directory")
				}
			}},
		{"bit-flipped backup", usePass,
			[]string{"--vault", restored, "restore", write("flip.cvbak", flipByte(full, len(full)/2))}, exitDamaged, "backup: damaged", nil},
		{"not a case ID", nil, []string{"case", "show", "c0000"}, exitUsage, "is not a case ID", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := cv.snapshot(t)
			r := cv.run(t, tc.env, tc.args...)
			cleanFailure(t, r, tc.code, tc.want)
			if after := cv.snapshot(t); after != before {
				t.Fatalf("vault changed:\n%s\nwas\n%s", after, before)
			}
			if tc.after != nil {
				tc.after(t)
			}
			t.Logf("exit %d: %s", r.code, firstLine(r.stderr))
		})
	}

	t.Run("truncated master.age", func(t *testing.T) {
		dir := copyVault(t, cv.dir)
		m := filepath.Join(dir, "master.age")
		b, _ := os.ReadFile(m)
		os.WriteFile(m, b[:len(b)/2], 0o600)
		before := dirDigest(t, dir)
		r := cv.run(t, []string{"CASEVAULT_DIR=" + dir}, "case", "list")
		cleanFailure(t, r, exitDamaged, "master.age")
		if dirDigest(t, dir) != before {
			t.Fatal("vault directory changed")
		}
		t.Logf("exit %d: %s", r.code, firstLine(r.stderr))
	})

	t.Run("vault directory without permission", func(t *testing.T) {
		before := cv.snapshot(t)
		var r runResult
		if os.Geteuid() == 0 {
			// As root (CI) permissions do not bind; run the binary as
			// nobody instead, on the root-owned 0700 vault directory.
			r = cv.runAs(t, 65534, "case", "list")
		} else {
			os.Chmod(cv.dir, 0)
			r = cv.run(t, nil, "case", "list")
			os.Chmod(cv.dir, 0o700)
		}
		cleanFailure(t, r, exitError, "permission denied")
		if after := cv.snapshot(t); after != before {
			t.Fatal("vault changed")
		}
		t.Logf("exit %d: %s", r.code, firstLine(r.stderr))
	})

	t.Run("damaged store files", func(t *testing.T) { damagedStore(t, cv) })
	t.Run("full disk", func(t *testing.T) { fullDisk(t, bin) })
	t.Run("full disk at an index upgrade", func(t *testing.T) { fullDiskIndexUpgrade(t, bin) })
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func flipByte(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x20
	return c
}

// copyVault copies a (closed) vault directory into a new temporary one.
func copyVault(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "vault")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		out.Close()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// runAs runs the binary as another user (root only), from a copy that user
// can execute.
func (cv *crashVault) runAs(t *testing.T, uid uint32, args ...string) runResult {
	t.Helper()
	dir, err := os.MkdirTemp("", "casevault-bin-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "casevault")
	data, _ := os.ReadFile(cv.bin)
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cv.env, "HOME=/")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	_ = cmd.Run()
	return runResult{code: cmd.ProcessState.ExitCode(), stdout: so.String(), stderr: se.String()}
}

// damagedStore flips and truncates bytes of every kind of Badger file in
// copies of the vault. Each read must then fail with an error in
// casevault's words, or succeed with exactly the right data: never wrong
// data, never a Go panic trace.
func damagedStore(t *testing.T, cv *crashVault) {
	rng := rand.New(rand.NewPCG(crashSeed(t), 11))
	var store string
	if m, _ := filepath.Glob(filepath.Join(cv.dir, "db-*")); len(m) == 1 {
		store = filepath.Base(m[0])
	} else {
		t.Fatalf("store directories: %v", m)
	}
	reads := [][]string{{"case", "list", "--json"}, {"audit", "verify"}, {"check"}}
	ids, _ := cv.caseIDs(t)
	reads = append(reads, []string{"case", "show", ids[0], "--json"}, []string{"case", "show", ids[len(ids)-1], "--json"})
	want := make([]string, len(reads))
	for i, args := range reads {
		r := cv.run(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%v on the intact vault: %s", args, r.stderr)
		}
		want[i] = r.stdout
	}
	files, _ := os.ReadDir(filepath.Join(cv.dir, store))
	detected, harmless := 0, 0
	var tried []string
	for _, f := range files {
		name := f.Name()
		if name == "LOCK" || name == "DISCARD" {
			continue
		}
		info, _ := f.Info()
		if info.Size() == 0 {
			continue
		}
		ops := []string{"truncate"}
		for range 3 {
			ops = append(ops, fmt.Sprintf("flip@%d", rng.Int64N(info.Size())))
		}
		for _, op := range ops {
			dir := copyVault(t, cv.dir)
			p := filepath.Join(dir, store, name)
			b, _ := os.ReadFile(p)
			if op == "truncate" {
				b = b[:len(b)/2]
			} else {
				var off int
				fmt.Sscanf(op, "flip@%d", &off)
				b[off] ^= 0xff
			}
			os.WriteFile(p, b, 0o600)
			tried = append(tried, name+" "+op)
			bad := false
			for i, args := range reads {
				r := cv.run(t, []string{"CASEVAULT_DIR=" + dir}, args...)
				if r.killed || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "fatal error") {
					t.Fatalf("%s %s, %v: Go trace:\n%s", name, op, args, r.stderr)
				}
				if r.code == 0 {
					if r.stdout != want[i] {
						t.Fatalf("%s %s, %v: wrong data without an error:\n%s\nwant\n%s", name, op, args, r.stdout, want[i])
					}
					continue
				}
				if !strings.HasPrefix(r.stderr, "casevault: error: ") && !strings.HasPrefix(r.stderr, `{"error":`) {
					t.Fatalf("%s %s, %v: exit %d without an error line: %q", name, op, args, r.code, r.stderr)
				}
				bad = true
			}
			if bad {
				detected++
			} else {
				harmless++
			}
		}
	}
	t.Logf("%d corruptions of the store files (%s): %d detected as errors, %d did not change what is read",
		len(tried), strings.Join(tried, ", "), detected, harmless)
}

func (cv *crashVault) caseIDs(t *testing.T) ([]string, error) {
	v := cv.open(t)
	defer v.Close()
	ids, err := v.CaseIDs()
	var out []string
	for _, id := range ids {
		out = append(out, id.String())
	}
	return out, err
}

// fullDisk puts a vault on a small tmpfs, fills the rest, and requires
// case add, evidence add and rekey to fail cleanly and leave the vault
// usable once space is freed.
func fullDisk(t *testing.T, bin string) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=160m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): full-disk case not run", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	cv := newCrashVault(t, bin)
	cv.dir = filepath.Join(mnt, "vault")
	cv.initAt(t)
	cv.env = append(cv.env, "CASEVAULT_DIR="+cv.dir)
	r := cv.run(t, nil, "case", "add", "-f", writeTemp(t, crashCaseFile(1)))
	if r.code != 0 {
		t.Fatalf("case add: %s", r.stderr)
	}
	ev := writeTemp(t, bytes.Repeat([]byte("evidence "), 1<<17))
	caseID := strings.TrimSpace(r.stdout)
	if r := cv.run(t, nil, "evidence", "add", caseID, ev); r.code != 0 {
		t.Fatalf("evidence add: %s", r.stderr)
	}
	before := cv.snapshot(t)
	// Nearly full: less than casevault's margin free. Writes are refused
	// before anything is written; reads work.
	filler := filepath.Join(mnt, "filler")
	f, _ := os.Create(filler)
	buf := make([]byte, 1<<20)
	for freeBytes(mnt) > 8<<20 {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	writes := [][]string{
		{"case", "add", "-f", writeTemp(t, crashCaseFile(2))},
		{"evidence", "add", caseID, ev},
		{"rekey"},
		{"case", "purge", "--yes", caseID},
	}
	for _, args := range writes {
		r := cv.run(t, nil, args...)
		cleanFailure(t, r, exitError, "not enough free disk space")
		t.Logf("nearly full disk, %v: exit %d: %s", args, r.code, firstLine(r.stderr))
	}
	if r := cv.run(t, nil, "case", "show", caseID); r.code != 0 {
		t.Fatalf("case show on a nearly full disk: %s", r.stderr)
	}
	// Completely full: every change fails cleanly (Badger cannot even
	// write its lock file), and none is left half done. Reading still
	// works: case show opens the store read-only, which writes nothing.
	for {
		if _, err := f.Write(buf[:4096]); err != nil {
			break
		}
	}
	f.Close()
	for _, args := range writes {
		r := cv.run(t, nil, args...)
		cleanFailure(t, r, exitError, "no space left on device|not enough free disk space")
		t.Logf("full disk, %v: exit %d: %s", args, r.code, firstLine(r.stderr))
	}
	if r := cv.run(t, nil, "case", "show", caseID); r.code != 0 {
		t.Fatalf("case show on a full disk: %s", r.stderr)
	}
	os.Remove(filler)
	if after := cv.snapshot(t); after != before {
		t.Fatalf("vault changed by failed writes:\n%s\nwas\n%s", after, before)
	}
	v := cv.open(t)
	rep, err := v.Check(context.Background(), vault.CheckOptions{ReadData: true})
	v.Close()
	if err != nil || rep.Unrepaired() != 0 {
		t.Fatalf("check after the full disk: %v %v", err, rep.Problems)
	}
	if r := cv.run(t, nil, "case", "add", "-f", writeTemp(t, crashCaseFile(3))); r.code != 0 {
		t.Fatalf("case add after freeing space: %s", r.stderr)
	}
}

// initAt creates the crash vault's directory anew at cv.dir with its
// identity.
func (cv *crashVault) initAt(t *testing.T) {
	t.Helper()
	idText, err := os.ReadFile(cv.idFile)
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.Init(cv.dir, vault.InitOptions{Org: "Full Disk Group", Identity: idText, Passphrase: []byte("unused passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "in-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	f.Close()
	return f.Name()
}

func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// fullDiskIndexUpgrade puts a vault whose search index is of an earlier
// format (written by the casevault of index format 3) on a nearly full
// tmpfs: the first read-write open, which rebuilds the index, refuses with
// the free-space error and writes nothing, instead of Badger dying of
// SIGBUS (found by an attack); reading works (it searches without the
// index); once space is freed the open rebuilds the index and the change
// goes through.
func fullDiskIndexUpgrade(t *testing.T, bin string) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=160m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): full-disk case not run", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	cv := fixtureVault(t, bin, "../../vault/testdata/vault-format3", filepath.Join(mnt, "vault"))
	filler := fillTo(t, mnt, 8<<20)
	tables := func() string {
		var out []string
		ms, _ := filepath.Glob(filepath.Join(cv.dir, "db-*", "*.sst"))
		for _, m := range ms {
			fi, err := os.Stat(m)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %d", filepath.Base(m), fi.Size()))
		}
		return strings.Join(out, "\n")
	}
	before := tables()
	add := []string{"case", "add", "-f", writeTemp(t, crashCaseFile(1))}
	r := cv.run(t, nil, add...)
	cleanFailure(t, r, exitError, "not enough free disk space")
	// Refused before the rebuild, not after it: no table was written and
	// the audit log records no index rebuild (this small index would fit;
	// a large one filled the disk and Badger died of SIGBUS).
	if after := tables(); after != before {
		t.Fatalf("tables written on a nearly full disk:\n%s\nwere\n%s", after, before)
	}
	rebuilds := func() int {
		r := cv.run(t, nil, "audit", "log")
		if r.code != 0 {
			t.Fatalf("audit log: %s", r.stderr)
		}
		return strings.Count(r.stdout, "index.rebuild")
	}
	if n := rebuilds(); n != 0 {
		t.Fatalf("the index was rebuilt on a nearly full disk (%d rebuild entries)", n)
	}
	if r := cv.run(t, nil, "case", "search", "ворон*"); r.code != 0 || !strings.Contains(r.stdout, "c46cjeltbo7f2srag") {
		t.Fatalf("read-only search on a nearly full disk: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	os.Remove(filler)
	if r := cv.run(t, nil, add...); r.code != 0 {
		t.Fatalf("case add after freeing space: %s", r.stderr)
	}
	if r := cv.run(t, nil, "case", "search", "ворон*"); r.code != 0 || !strings.Contains(r.stdout, "c46cjeltbo7f2srag") {
		t.Fatalf("search after the upgrade: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := rebuilds(); n != 1 {
		t.Fatalf("%d index rebuild entries after the upgrade, want 1", n)
	}
}

// fillTo writes a file "filler" in mnt until at most free bytes are free,
// and returns its path.
func fillTo(t *testing.T, mnt string, free int64) string {
	t.Helper()
	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for freeBytes(mnt) > free {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	return filler
}

// fixtureVault copies the vault of a fixture of vault/testdata (its vault
// directory and identity.txt, written by an earlier casevault) to dir,
// for bin to open with the identity file.
func fixtureVault(t *testing.T, bin, fixture, dir string) *crashVault {
	t.Helper()
	cv := &crashVault{dir: dir, idFile: filepath.Join(t.TempDir(), "identity.txt"), bin: bin}
	err := filepath.WalkDir(fixture+"/vault", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(fixture+"/vault", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(cv.dir, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(cv.dir, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	id, err := os.ReadFile(fixture + "/identity.txt")
	if err != nil || os.WriteFile(cv.idFile, id, 0o600) != nil {
		t.Fatal(err)
	}
	cv.env = append(os.Environ(), "CASEVAULT_DIR="+cv.dir, "CASEVAULT_IDENTITY="+cv.idFile, "CASEVAULT_AUTHOR=crash", "NO_COLOR=1")
	return cv
}
