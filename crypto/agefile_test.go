package crypto

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto/internal/scryptcost"
)

func TestPassphraseRoundTrip(t *testing.T) {
	pt := []byte("AGE-SECRET-KEY-1… the organisation identity")
	ct, err := EncryptWithPassphrase(pt, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, pt[:10]) {
		t.Fatal("ciphertext contains the plaintext")
	}
	got, err := DecryptWithPassphrase(ct, []byte("correct horse"), 1<<10)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("DecryptWithPassphrase = %q, %v", got, err)
	}
	for _, wrong := range []string{"correct horsE", "correct horse ", "x"} {
		if _, err := DecryptWithPassphrase(ct, []byte(wrong), 1<<10); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("passphrase %q: %v, want ErrWrongPassphrase", wrong, err)
		}
	}
	if _, err := EncryptWithPassphrase(pt, nil); err == nil {
		t.Error("empty passphrase accepted for encryption")
	}
	if _, err := DecryptWithPassphrase(ct, nil, 1<<10); err == nil {
		t.Error("empty passphrase accepted for decryption")
	}
	// The size limit is enforced on the plaintext.
	if _, err := DecryptWithPassphrase(ct, []byte("correct horse"), int64(len(pt)-1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("limit below the plaintext size: %v", err)
	}
	if got, err := DecryptWithPassphrase(ct, []byte("correct horse"), int64(len(pt))); err != nil || !bytes.Equal(got, pt) {
		t.Errorf("limit equal to the plaintext size: %v", err)
	}
}

// A file that is not passphrase-protected does not open with a passphrase,
// and garbage or a damaged payload is not reported as a wrong passphrase.
func TestDecryptWithPassphraseOtherFailures(t *testing.T) {
	id, _ := GenerateIdentity(true)
	ct, err := EncryptToRecipients([]byte("x"), id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecryptWithPassphrase(ct, []byte("p"), 10); err == nil {
		t.Fatal("recipient file opened with a passphrase")
	}
	if _, err := DecryptWithPassphrase([]byte("not an age file"), []byte("p"), 10); err == nil || errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("garbage: %v; want a format error, not ErrWrongPassphrase", err)
	}
	pct, _ := EncryptWithPassphrase([]byte("payload"), []byte("p"))
	pct[len(pct)-1] ^= 1 // payload tag
	if _, err := DecryptWithPassphrase(pct, []byte("p"), 100); err == nil || errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("damaged payload: %v; want an error other than ErrWrongPassphrase", err)
	}
}

// scryptLogN returns the work factor in the scrypt stanza of an age file
// ("-> scrypt SALT LOGN").
func scryptLogN(t *testing.T, ct []byte) int {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(ct))
	sc.Scan()
	if sc.Text() != "age-encryption.org/v1" {
		t.Fatalf("not an age v1 file: %q", sc.Text())
	}
	n := -1
	stanzas := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "---") {
			break
		}
		if f := strings.Fields(line); len(f) > 0 && f[0] == "->" {
			stanzas++
			if len(f) != 4 || f[1] != "scrypt" {
				t.Fatalf("unexpected stanza %q", line)
			}
			var err error
			if n, err = strconv.Atoi(f[3]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if stanzas != 1 {
		t.Fatalf("%d stanzas, want exactly one scrypt stanza", stanzas)
	}
	return n
}

// TestScryptWorkFactor checks the work factor actually written into files.
//
// The work factor is 18 (about a second, 256 MiB) unless a test binary
// lowers it with cryptotest.LowScryptCost, as this package's TestMain does,
// so that the suites (which init and open hundreds of vaults) stay fast.
// Nothing in the casevault command imports cryptotest (checked by
// TestReleaseBinaryHasNoTestHooks in cmd/casevault), and the value a real
// build writes is checked by TestReleaseBinaryScryptFactor there, which
// builds the binary with `go build` and reads the stanza of the
// identity.age its `init` writes.
func TestScryptWorkFactor(t *testing.T) {
	if scryptcost.Release != 18 {
		t.Fatalf("release scrypt work factor = %d, want 18 (SECURITY.md)", scryptcost.Release)
	}
	if scryptcost.WorkFactor != scryptcost.Test {
		t.Fatalf("work factor in this test binary = %d, want %d (TestMain lowers it)", scryptcost.WorkFactor, scryptcost.Test)
	}
	ct, err := EncryptWithPassphrase([]byte("x"), []byte("p"))
	if err != nil {
		t.Fatal(err)
	}
	if n := scryptLogN(t, ct); n != scryptcost.WorkFactor {
		t.Fatalf("scrypt stanza says log2 N = %d, want %d", n, scryptcost.WorkFactor)
	}
}

// Known answers: our files open with the stock age API, and age's own
// test vector opens with ours.
func TestAgeInterop(t *testing.T) {
	// Passphrase file made by us, opened by age.
	ct, err := EncryptWithPassphrase([]byte("identity text"), []byte("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	sid, err := age.NewScryptIdentity("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(ct), sid)
	if err != nil {
		t.Fatalf("age.Decrypt of our passphrase file: %v", err)
	}
	if b, _ := io.ReadAll(r); string(b) != "identity text" {
		t.Fatalf("age read %q", b)
	}

	// Recipient files made by us, opened by age with the parsed key text,
	// for both key types.
	for _, classic := range []bool{false, true} {
		id, _ := GenerateIdentity(classic)
		ct, err := EncryptToRecipients([]byte("master key"), id.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		ids, err := age.ParseIdentities(strings.NewReader(id.String()))
		if err != nil {
			t.Fatal(err)
		}
		r, err := age.Decrypt(bytes.NewReader(ct), ids...)
		if err != nil {
			t.Fatalf("classic=%v: age.Decrypt: %v", classic, err)
		}
		if b, _ := io.ReadAll(r); string(b) != "master key" {
			t.Fatalf("age read %q", b)
		}
		// And the other way round: a file age made opens with our identity.
		var buf bytes.Buffer
		rcpt, err := age.ParseRecipients(strings.NewReader(id.RecipientString()))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := age.Encrypt(&buf, rcpt...)
		w.Write([]byte("from age"))
		w.Close()
		if b, err := DecryptWithIdentity(buf.Bytes(), id.AgeIdentity(), 100); err != nil || string(b) != "from age" {
			t.Fatalf("classic=%v: DecryptWithIdentity of an age file: %q, %v", classic, b, err)
		}
		// A file for another identity does not open.
		other, _ := GenerateIdentity(classic)
		if _, err := DecryptWithIdentity(ct, other.AgeIdentity(), 100); err == nil {
			t.Fatalf("classic=%v: opened with another identity", classic)
		}
	}

	// age's own test vector (filippo.io/age testdata, BSD-3-Clause).
	keys, err := os.ReadFile("testdata/age-example-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("testdata/age-example.age")
	if err != nil {
		t.Fatal(err)
	}
	id, err := ParseIdentity(keys)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := DecryptWithIdentity(file, id.AgeIdentity(), 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	if string(pt) != "Black lives matter." {
		t.Fatalf("age test vector decrypts to %q", pt)
	}
}

// A passphrase file demanding more scrypt work than casevault ever writes
// is refused before the work is done, and not as a wrong passphrase.
func TestDecryptWithPassphraseWorkFactorLimit(t *testing.T) {
	ct, err := EncryptWithPassphrase([]byte("x"), []byte("p"))
	if err != nil {
		t.Fatal(err)
	}
	n := scryptLogN(t, ct)
	for _, logN := range []int{maxScryptWorkFactor + 1, 30} {
		bad := bytes.Replace(ct, []byte(" "+strconv.Itoa(n)+"\n"), []byte(" "+strconv.Itoa(logN)+"\n"), 1)
		if bytes.Equal(bad, ct) {
			t.Fatal("could not rewrite the stanza")
		}
		_, err := DecryptWithPassphrase(bad, []byte("p"), 10)
		if err == nil || errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), "work factor") {
			t.Fatalf("log2 N = %d: %v; want a work factor error", logN, err)
		}
	}
	if maxScryptWorkFactor < 18 {
		t.Fatal("the limit is below the released work factor")
	}
}
