package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/openbao/openbao/sdk/v2/helper/shamir"
)

type trustee struct {
	id   *crypto.Identity
	card []byte
}

func trustees(t testing.TB, names ...string) []trustee {
	var out []trustee
	for i, n := range names {
		id, card := staffIdentity(t, n, i%2 == 0)
		out = append(out, trustee{id, card})
	}
	return out
}

func split(t testing.TB, v *Vault, k int, ts []trustee) (*RecoverySplitResult, map[string][]byte) {
	t.Helper()
	o := RecoverySplitOptions{Threshold: k, OutDir: t.TempDir()}
	for _, tr := range ts {
		o.Trustees = append(o.Trustees, tr.card)
	}
	res, err := v.RecoverySplit(o)
	if err != nil {
		t.Fatalf("RecoverySplit: %v", err)
	}
	files := map[string][]byte{}
	for _, s := range res.Shares {
		fi, err := os.Stat(s.Path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("share file %s: %v %v", s.Path, fi, err)
		}
		b, _ := os.ReadFile(s.Path)
		files[filepath.Base(s.Path)] = b
	}
	return res, files
}

func pick(files map[string][]byte, res *RecoverySplitResult, idx ...int) map[string][]byte {
	out := map[string][]byte{}
	for _, i := range idx {
		n := filepath.Base(res.Shares[i-1].Path)
		out[n] = files[n]
	}
	return out
}

func trusteeIDs(ts []trustee) []*crypto.Identity {
	var out []*crypto.Identity
	for _, t := range ts {
		out = append(out, t.id)
	}
	return out
}

// Two of three trustees restore the organisation identity under a new
// passphrase: the new passphrase opens the vault, the lost one no longer
// does, and the chain records the split and the recovery.
func TestRecoverySplitCombine(t *testing.T) {
	dir, v := coreInit(t, false)
	coreAdd(t, v, coreIvan)
	ts := trustees(t, "Anna", "Boris", "Clara")
	res, files := split(t, v, 2, ts)
	v.Close()
	newPass := []byte("a new and entirely different passphrase")
	r, err := RecoveryCombine(context.Background(), dir, RecoveryCombineOptions{Shares: pick(files, res, 1, 3), Identities: trusteeIDs(ts[:1]), NewPassphrase: newPass})
	if !errors.Is(err, ErrRecoveryNoIdentity) {
		t.Fatalf("combine without the third trustee's identity: %v, want ErrRecoveryNoIdentity", err)
	}
	r, err = RecoveryCombine(context.Background(), dir, RecoveryCombineOptions{Shares: pick(files, res, 1, 3), Identities: trusteeIDs(ts), NewPassphrase: newPass})
	if err != nil {
		t.Fatalf("RecoveryCombine: %v", err)
	}
	if r.Split != res.Split || r.Org != "Test Defence Group" {
		t.Fatalf("result %+v", r)
	}
	if _, err := Open(dir, corePassphrase(corePass), Options{}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after recovery: %v", err)
	}
	nv, err := Open(dir, corePassphrase(string(newPass)), Options{})
	if err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	defer nv.Close()
	coreVerifyAudit(t, nv, -1)
	var ops []Op
	nv.AuditEntries(func(e AuditEntry) error { ops = append(ops, e.Op); return nil })
	if ops[len(ops)-1] != OpRecoveryCombine || ops[len(ops)-2] != OpRecoverySplit {
		t.Fatalf("audit ops end with %v", ops[len(ops)-2:])
	}
}

// Fewer than K shares reveal nothing: for K-1 real shares of the library's
// own output, each of the 256 values of a missing K-th share gives a
// different first secret byte, so every candidate secret is consistent
// with them. And combine refuses K-1 shares.
func TestRecoveryFewerThanK(t *testing.T) {
	secret := []byte("AGE-SECRET-KEY-1QQQQ")
	for _, k := range []int{2, 3, 5} {
		parts, err := shamir.Split(secret, k+1, k)
		if err != nil {
			t.Fatal(err)
		}
		known := parts[:k-1]
		used := map[byte]bool{}
		for _, p := range known {
			used[p[len(p)-1]] = true
		}
		var x byte = 1
		for used[x] {
			x++
		}
		seen := map[byte]bool{}
		for y := 0; y < 256; y++ {
			fake := make([]byte, len(secret)+1)
			fake[0] = byte(y)
			fake[len(fake)-1] = x
			got, err := shamir.Combine(append(append([][]byte{}, known...), fake))
			if err != nil {
				t.Fatal(err)
			}
			seen[got[0]] = true
		}
		if len(seen) != 256 {
			t.Fatalf("k=%d: %d of 256 first bytes are consistent with %d shares, want all", k, len(seen), k-1)
		}
	}
	dir, v := coreInit(t, true)
	ts := trustees(t, "Anna", "Boris", "Clara")
	res, files := split(t, v, 3, ts)
	v.Close()
	_, err := RecoveryCombine(context.Background(), dir, RecoveryCombineOptions{Shares: pick(files, res, 1, 2), Identities: trusteeIDs(ts), NewPassphrase: []byte("x")})
	if !errors.Is(err, ErrRecoveryShares) {
		t.Fatalf("K-1 shares: %v, want ErrRecoveryShares", err)
	}
}

// Shares from another vault or another split, duplicates and a share
// edited by one byte are refused, and the vault's passphrase is unchanged.
func TestRecoveryHostileShares(t *testing.T) {
	dirA, a := coreInit(t, true)
	_, b := coreInit(t, true)
	ts := trustees(t, "Anna", "Boris", "Clara")
	resA, filesA := split(t, a, 2, ts)
	resA2, filesA2 := split(t, a, 2, ts)
	resB, filesB := split(t, b, 2, ts)
	a.Close()
	b.Close()
	try := func(what string, shares map[string][]byte, want error) {
		t.Helper()
		_, err := RecoveryCombine(context.Background(), dirA, RecoveryCombineOptions{Shares: shares, Identities: trusteeIDs(ts), NewPassphrase: []byte("new passphrase here")})
		if !errors.Is(err, want) {
			t.Fatalf("%s: %v, want %v", what, err, want)
		}
	}
	mix := func(ms ...map[string][]byte) map[string][]byte {
		out := map[string][]byte{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	try("another vault", mix(pick(filesA, resA, 1), pick(filesB, resB, 2)), ErrRecoveryShares)
	try("another split", mix(pick(filesA, resA, 1), pick(filesA2, resA2, 2)), ErrRecoveryShares)
	dup := pick(filesA, resA, 1)
	for _, v := range dup {
		dup["copy"+ShareFileExt] = v
	}
	try("duplicate", dup, ErrRecoveryShares)
	// All of vault B's shares: they combine into B's identity, which does
	// not open vault A.
	try("vault B's shares on vault A", pick(filesB, resB, 1, 2), ErrRecoveryShares)
	for _, off := range []int{-1, -40, 200} {
		edited := pick(filesA, resA, 1, 2)
		for n, v := range edited {
			c := append([]byte{}, v...)
			i := off
			if i < 0 {
				i += len(c)
			}
			c[i] ^= 1
			edited[n] = c
			break
		}
		_, err := RecoveryCombine(context.Background(), dirA, RecoveryCombineOptions{Shares: edited, Identities: trusteeIDs(ts), NewPassphrase: []byte("new passphrase here")})
		if err == nil {
			t.Fatalf("a share edited at byte %d was accepted", off)
		}
	}
	// The line in the clear edited: refused as damage.
	edited := pick(filesA, resA, 1, 2)
	for n, v := range edited {
		c := []byte(string(v))
		c[len("casevault recovery share v1 vault=")] ^= 1
		edited[n] = c
		break
	}
	if _, err := RecoveryCombine(context.Background(), dirA, RecoveryCombineOptions{Shares: edited, Identities: trusteeIDs(ts), NewPassphrase: []byte("new passphrase here")}); err == nil {
		t.Fatal("a share whose clear line was edited was accepted")
	}
	v := coreOpen(t, dirA) // the passphrase still works
	coreVerifyAudit(t, v, -1)
}
