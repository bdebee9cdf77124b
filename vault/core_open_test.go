package vault

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
)

func TestInitOpenClose(t *testing.T) {
	for _, classic := range []bool{false, true} {
		t.Run(fmt.Sprintf("classic=%v", classic), func(t *testing.T) {
			dir, v := coreInit(t, classic)
			if v.Identity().PostQuantum() == classic {
				t.Fatalf("PostQuantum = %v", v.Identity().PostQuantum())
			}
			m := v.Meta()
			if m.Org != "Test Defence Group" || m.Recipient != v.Identity().RecipientString() {
				t.Fatalf("meta %+v", m)
			}
			wantPfx := "age1pq1"
			if classic {
				wantPfx = "age1"
			}
			if !strings.HasPrefix(m.Recipient, wantPfx) {
				t.Fatalf("recipient %q", m.Recipient)
			}
			if err := v.Close(); err != nil {
				t.Fatal(err)
			}
			if err := v.Close(); err != nil { // idempotent
				t.Fatalf("second Close: %v", err)
			}
			// Files and modes: nothing readable by others.
			st, err := os.Stat(dir)
			if err != nil || st.Mode().Perm() != 0o700 {
				t.Fatalf("vault dir mode %v, %v", st.Mode(), err)
			}
			for _, f := range []string{identityFile, masterFile} {
				st, err := os.Stat(filepath.Join(dir, f))
				if err != nil || st.Mode().Perm() != 0o600 {
					t.Fatalf("%s: mode %v, %v", f, st.Mode(), err)
				}
			}
			v2 := coreOpen(t, dir)
			if v2.Meta().Org != m.Org || v2.Identity().String() != v.Identity().String() {
				t.Fatal("reopened vault has other meta or identity")
			}
			coreVerifyAudit(t, v2, 1)
		})
	}
}

func TestInitRefusesNonEmptyDir(t *testing.T) {
	dir, v := coreInit(t, true)
	v.Close()
	_, err := Init(dir, InitOptions{Org: "Other", Passphrase: []byte("x")})
	if !errors.Is(err, ErrVaultExists) {
		t.Fatalf("Init over a vault: %v, want ErrVaultExists", err)
	}
	coreOpen(t, dir) // still opens with the old passphrase
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("x"), 0o600)
	if _, err := Init(other, InitOptions{Org: "X", Passphrase: []byte("x")}); !errors.Is(err, ErrVaultExists) {
		t.Fatalf("Init in a non-empty dir: %v", err)
	}
	if _, err := Init(filepath.Join(t.TempDir(), "v"), InitOptions{Org: "  ", Passphrase: []byte("x")}); err == nil {
		t.Fatal("empty organisation accepted")
	}
	if _, err := Init(filepath.Join(t.TempDir(), "v"), InitOptions{Org: "X"}); err == nil {
		t.Fatal("empty passphrase accepted")
	}
}

func TestOpenWrongPassphrase(t *testing.T) {
	dir, v := coreInit(t, true)
	v.Close()
	_, err := Open(dir, corePassphrase("wrong"), Options{})
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Open with a wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	if strings.Contains(err.Error(), "wrong\"") || strings.Contains(err.Error(), corePass) {
		t.Fatalf("error repeats a passphrase: %v", err)
	}
	// The failed attempt released the lock.
	coreOpen(t, dir)
}

func TestOpenWithIdentity(t *testing.T) {
	dir, v := coreInit(t, false)
	id := v.Identity()
	v.Close()

	// The identity itself (as the agent hands it over).
	v2, err := Open(dir, Unlock{Identity: id}, Options{})
	if err != nil {
		t.Fatalf("Open with the identity: %v", err)
	}
	v2.Close()

	// An identity file in age-keygen layout.
	f := filepath.Join(t.TempDir(), "key.txt")
	os.WriteFile(f, []byte("# created: now\n# public key: "+id.RecipientString()+"\n"+id.String()+"\n"), 0o600)
	v3, err := Open(dir, Unlock{IdentityFile: f}, Options{})
	if err != nil {
		t.Fatalf("Open with an identity file: %v", err)
	}
	v3.Close()

	// Another organisation's identity does not open it.
	other, _ := crypto.GenerateIdentity(false)
	g := filepath.Join(t.TempDir(), "other.txt")
	os.WriteFile(g, []byte(other.String()+"\n"), 0o600)
	if _, err := Open(dir, Unlock{IdentityFile: g}, Options{}); !errors.Is(err, ErrWrongIdentity) {
		t.Fatalf("Open with another identity file: %v, want ErrWrongIdentity", err)
	}
	otherClassic, _ := crypto.GenerateIdentity(true)
	if _, err := Open(dir, Unlock{Identity: otherClassic}, Options{}); !errors.Is(err, ErrWrongIdentity) {
		t.Fatalf("Open with a classic identity: %v, want ErrWrongIdentity", err)
	}
	// A file that is not an identity is named in the error and its content
	// is not repeated.
	h := filepath.Join(t.TempDir(), "pass.txt")
	os.WriteFile(h, []byte("my secret passphrase\n"), 0o600)
	_, err = Open(dir, Unlock{IdentityFile: h}, Options{})
	if err == nil || !strings.Contains(err.Error(), h) || strings.Contains(err.Error(), "my secret") {
		t.Fatalf("Open with a non-identity file: %v", err)
	}
	if _, err := Open(dir, Unlock{IdentityFile: filepath.Join(t.TempDir(), "missing")}, Options{}); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing identity file: %v", err)
	}
	if _, err := Open(dir, Unlock{}, Options{}); err == nil {
		t.Fatal("opened without any unlock source")
	}
	coreOpen(t, dir)
}

func TestInitAdoptIdentity(t *testing.T) {
	for _, classic := range []bool{false, true} {
		gen, _ := crypto.GenerateIdentity(classic)
		file := "# created: 2026-01-01T00:00:00Z\n# public key: " + gen.RecipientString() + "\n" + gen.String() + "\n"
		dir := filepath.Join(t.TempDir(), "vault")
		v, err := Init(dir, InitOptions{Org: "Adopted", Identity: []byte(file), Passphrase: []byte(corePass)})
		if err != nil {
			t.Fatal(err)
		}
		if v.Meta().Recipient != gen.RecipientString() || v.Identity().PostQuantum() == classic {
			t.Fatalf("adopted identity not used: %s", v.Meta().Recipient)
		}
		v.Close()
		// Both the passphrase and the original key file open it.
		coreOpen(t, dir).Close()
		kf := filepath.Join(t.TempDir(), "key.txt")
		os.WriteFile(kf, []byte(file), 0o600)
		v2, err := Open(dir, Unlock{IdentityFile: kf}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		v2.Close()
	}
	// A bad identity creates nothing: no directory, or an empty one stays
	// empty.
	missing := filepath.Join(t.TempDir(), "v")
	if _, err := Init(missing, InitOptions{Org: "X", Identity: []byte("garbage\n"), Passphrase: []byte("p")}); err == nil || !strings.Contains(err.Error(), "identity") {
		t.Fatalf("garbage identity: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("failed Init left %s: %v", missing, err)
	}
	empty := t.TempDir()
	if _, err := Init(empty, InitOptions{Org: "X", Identity: []byte("AGE-SECRET-KEY-1QQQ\n"), Passphrase: []byte("p")}); err == nil {
		t.Fatal("truncated identity accepted")
	}
	if ents, err := os.ReadDir(empty); err != nil || len(ents) != 0 {
		t.Fatalf("failed Init left %d entries in an empty directory: %v", len(ents), err)
	}
}

func TestOpenInUse(t *testing.T) {
	dir, _ := coreInit(t, true)
	_, err := Open(dir, corePassphrase(corePass), Options{})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v, want ErrInUse", err)
	}
	if err.Error() != "vault is in use by another process" {
		t.Fatalf("message %q", err)
	}
	if _, err := UnlockIdentity(dir, corePassphrase(corePass)); err != nil {
		t.Fatalf("UnlockIdentity needs no lock: %v", err)
	}
}

// TestHelperHoldVault is not a test: TestOpenInUseAcrossProcesses runs the
// test binary with it to hold a vault open in another process.
func TestHelperHoldVault(t *testing.T) {
	dir := os.Getenv("CASEVAULT_TEST_HOLD")
	if dir == "" {
		t.Skip("helper process only")
	}
	v, err := Open(dir, corePassphrase(corePass), Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("holding")
	bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
	v.Close()
	os.Exit(0)
}

func TestOpenInUseAcrossProcesses(t *testing.T) {
	dir, v := coreInit(t, true)
	v.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldVault$")
	cmd.Env = append(os.Environ(), "CASEVAULT_TEST_HOLD="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "holding\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}
	if _, err := Open(dir, corePassphrase(corePass), Options{}); !errors.Is(err, ErrInUse) {
		t.Fatalf("Open while another process holds the vault: %v, want ErrInUse", err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	coreOpen(t, dir) // free again
}

func TestOpenNoVault(t *testing.T) {
	for name, dir := range map[string]string{
		"missing dir": filepath.Join(t.TempDir(), "nothing"),
		"empty dir":   t.TempDir(),
	} {
		_, err := Open(dir, corePassphrase(corePass), Options{})
		if !errors.Is(err, ErrNoVault) || !strings.Contains(err.Error(), dir) {
			t.Errorf("%s: %v, want ErrNoVault naming the directory", name, err)
		}
	}
	// Opening a missing vault creates nothing.
	missing := filepath.Join(t.TempDir(), "nothing")
	Open(missing, corePassphrase(corePass), Options{})
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("Open of a missing vault created its directory")
	}
	junk := t.TempDir()
	os.WriteFile(filepath.Join(junk, formatFile), []byte(`{"format":"something else","version":1}`), 0o600)
	if _, err := Open(junk, corePassphrase(corePass), Options{}); !errors.Is(err, ErrNoVault) {
		t.Errorf("foreign format file: %v, want ErrNoVault", err)
	}
}

func TestOpenNewerVersion(t *testing.T) {
	dir, v := coreInit(t, true)
	v.Close()
	os.WriteFile(filepath.Join(dir, formatFile), []byte(`{"format":"casevault-vault","version":99}`+"\n"), 0o600)
	_, err := Open(dir, corePassphrase(corePass), Options{})
	if !errors.Is(err, ErrNewerVersion) || !strings.Contains(err.Error(), "format 99") {
		t.Fatalf("Open of a format-99 vault: %v, want ErrNewerVersion", err)
	}
	if _, err := UnlockIdentity(dir, corePassphrase(corePass)); !errors.Is(err, ErrNewerVersion) {
		t.Fatalf("UnlockIdentity: %v", err)
	}
}

func TestChangePassphrase(t *testing.T) {
	dir, v := coreInit(t, false)
	coreAdd(t, v, coreIvan)
	if err := v.ChangePassphrase(nil); err == nil {
		t.Fatal("empty new passphrase accepted")
	}
	if err := v.ChangePassphrase([]byte("new passphrase")); err != nil {
		t.Fatal(err)
	}
	v.Close()
	if _, err := Open(dir, corePassphrase(corePass), Options{}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after passwd: %v, want ErrWrongPassphrase", err)
	}
	v2, err := Open(dir, corePassphrase("new passphrase"), Options{})
	if err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	defer v2.Close()
	list, err := v2.ListCases(Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("cases after passwd: %v, %v", list, err)
	}
	coreVerifyAudit(t, v2, 3) // init, add, passwd
	// No leftover temporary files in the vault directory.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Fatalf("leftover %s", e.Name())
		}
	}
}
