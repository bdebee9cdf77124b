package vault

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOwnerOnlySDDL(t *testing.T) {
	const sid = "S-1-5-21-3623811015-3361044348-30300820-1013"
	got, err := ownerOnlySDDL(sid, true)
	if want := "O:" + sid + "D:P(A;OICI;FA;;;" + sid + ")"; err != nil || got != want {
		t.Fatalf("directory: %q %v, want %q", got, err, want)
	}
	got, err = ownerOnlySDDL(sid, false)
	if want := "O:" + sid + "D:P(A;;FA;;;" + sid + ")"; err != nil || got != want {
		t.Fatalf("file: %q %v, want %q", got, err, want)
	}
	// Nothing but a SID is spliced in: an ACE smuggled in a "SID", a
	// well-known alias (WD = Everyone) or an empty string is refused.
	for _, bad := range []string{"", "WD", "S-1-5-21)(A;;FA;;;WD", "S-1-", "S-1-5-", "s-1-5-18", "S-1-5-18 ", "S-2-5-18", "S-1-5-99999999999"} {
		if s, err := ownerOnlySDDL(bad, true); err == nil {
			t.Errorf("SID %q accepted: %s", bad, s)
		}
	}
	if _, err := ownerOnlySDDL("S-1-5-18", false); err != nil {
		t.Errorf("LocalSystem SID refused: %v", err)
	}
}

func TestMakePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	os.Mkdir(dir, 0o755)
	f := filepath.Join(dir, "f")
	os.WriteFile(f, []byte("x"), 0o644)
	if err := MakePrivate(dir, true); err != nil {
		t.Fatal(err)
	}
	if err := MakePrivate(f, false); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, f: 0o600} {
		if st, _ := os.Stat(p); st.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, st.Mode().Perm(), want)
		}
	}
}
