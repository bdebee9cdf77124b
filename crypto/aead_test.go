package crypto

import (
	"bytes"
	"errors"
	"testing"
)

// ad builds additional data the way the vault does: a domain label and the
// store key (prefix, case ID, revision).
func ad(parts ...string) []byte {
	b := []byte("casevault record v1\x00")
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := NewKey()
	for _, pt := range [][]byte{nil, {}, []byte("x"), []byte("Владимир Кара-Мурза, 207.3(2)"), bytes.Repeat([]byte{0xa5}, 1<<16)} {
		a := ad("r", "case-0000001", "\x00\x00\x00\x01")
		sealed := Seal(k, pt, a)
		if len(sealed) != len(pt)+SealOverhead {
			t.Fatalf("sealed %d bytes into %d, want %d", len(pt), len(sealed), len(pt)+SealOverhead)
		}
		if len(pt) > 8 && bytes.Contains(sealed, pt[:8]) {
			t.Fatalf("sealed record contains the plaintext")
		}
		got, err := Open(k, sealed, a)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, pt) {
			t.Fatalf("Open returned %q, want %q", got, pt)
		}
	}
}

func TestSealIsRandomized(t *testing.T) {
	k := NewKey()
	a, b := Seal(k, []byte("same"), ad("m")), Seal(k, []byte("same"), ad("m"))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are equal: nonce reused")
	}
}

func TestOpenTamperedEveryByte(t *testing.T) {
	k := NewKey()
	a := ad("r", "case-0000001", "\x00\x00\x00\x02")
	sealed := Seal(k, []byte("the lawyer's notes, revision 2"), a)
	for i := range sealed {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(sealed)
			bad[i] ^= mask
			pt, err := Open(k, bad, a)
			if !errors.Is(err, ErrTampered) {
				t.Fatalf("byte %d ^ %#x: Open = %q, %v; want ErrTampered", i, mask, pt, err)
			}
			if pt != nil {
				t.Fatalf("byte %d: Open returned plaintext with an error", i)
			}
		}
	}
}

func TestOpenWrongAD(t *testing.T) {
	k := NewKey()
	orig := ad("r", "case-0000001", "\x00\x00\x00\x02")
	sealed := Seal(k, []byte("secret"), orig)
	for name, other := range map[string][]byte{
		"another case":     ad("r", "case-0000002", "\x00\x00\x00\x02"),
		"another kind":     ad("s", "case-0000001", "\x00\x00\x00\x02"),
		"another revision": ad("r", "case-0000001", "\x00\x00\x00\x01"),
		"no domain label":  []byte("r" + "case-0000001" + "\x00\x00\x00\x02"),
		"empty":            nil,
		"longer":           append(bytes.Clone(orig), 0),
	} {
		if _, err := Open(k, sealed, other); !errors.Is(err, ErrTampered) {
			t.Errorf("%s: Open = %v, want ErrTampered", name, err)
		}
	}
}

func TestOpenTruncatedAndExtended(t *testing.T) {
	k := NewKey()
	a := ad("m")
	sealed := Seal(k, []byte("0123456789"), a)
	for n := 0; n < len(sealed); n++ {
		if _, err := Open(k, sealed[:n], a); !errors.Is(err, ErrTampered) {
			t.Fatalf("truncated to %d bytes: Open = %v, want ErrTampered", n, err)
		}
	}
	if _, err := Open(k, append(bytes.Clone(sealed), 0), a); !errors.Is(err, ErrTampered) {
		t.Fatalf("extended by a byte: Open = %v, want ErrTampered", err)
	}
	// Dropping bytes from the front must fail too (version/nonce shift).
	if _, err := Open(k, sealed[1:], a); !errors.Is(err, ErrTampered) {
		t.Fatalf("first byte dropped: Open = %v, want ErrTampered", err)
	}
}

func TestOpenWrongKey(t *testing.T) {
	a := ad("m")
	sealed := Seal(NewKey(), []byte("secret"), a)
	if _, err := Open(NewKey(), sealed, a); !errors.Is(err, ErrTampered) {
		t.Fatalf("Open under another key = %v, want ErrTampered", err)
	}
}

func TestWrapUnwrapKey(t *testing.T) {
	kek, k := NewKey(), NewKey()
	a := ad("k", "case-0000001")
	w := WrapKey(kek, k, a)
	if bytes.Contains(w, k[:8]) {
		t.Fatal("wrapped key contains the key")
	}
	got, err := UnwrapKey(kek, w, a)
	if err != nil || got != k {
		t.Fatalf("UnwrapKey = %x, %v; want %x", got, err, k)
	}
	if _, err := UnwrapKey(NewKey(), w, a); !errors.Is(err, ErrTampered) {
		t.Errorf("unwrap under another KEK = %v, want ErrTampered", err)
	}
	if _, err := UnwrapKey(kek, w, ad("k", "case-0000002")); !errors.Is(err, ErrTampered) {
		t.Errorf("wrapped key moved to another case = %v, want ErrTampered", err)
	}
	w[len(w)-1] ^= 1
	if _, err := UnwrapKey(kek, w, a); !errors.Is(err, ErrTampered) {
		t.Errorf("flipped tag = %v, want ErrTampered", err)
	}
	// A validly sealed value of the wrong length is not a key.
	short := Seal(kek, k[:16], a)
	if _, err := UnwrapKey(kek, short, a); !errors.Is(err, ErrTampered) {
		t.Errorf("16-byte payload = %v, want ErrTampered", err)
	}
}

func TestDeriveKey(t *testing.T) {
	mk := NewKey()
	labels := []string{"case key wrapping", "system records", "search index", "badger encryption at rest", "x", ""}
	seen := map[Key]string{}
	for _, l := range labels {
		k := DeriveKey(mk, l)
		if k == mk {
			t.Fatalf("label %q: derived key equals the master key", l)
		}
		if k != DeriveKey(mk, l) {
			t.Fatalf("label %q: derivation is not deterministic", l)
		}
		if prev, ok := seen[k]; ok {
			t.Fatalf("labels %q and %q derive the same key", prev, l)
		}
		seen[k] = l
	}
	if DeriveKey(mk, "search index") == DeriveKey(NewKey(), "search index") {
		t.Fatal("different master keys derive the same subkey")
	}
	// A record sealed under one subkey does not open under another.
	sealed := Seal(DeriveKey(mk, "system records"), []byte("meta"), ad("m"))
	if _, err := Open(DeriveKey(mk, "search index"), sealed, ad("m")); !errors.Is(err, ErrTampered) {
		t.Fatalf("record opened under a sibling subkey: %v", err)
	}
}

func TestMAC(t *testing.T) {
	k := NewKey()
	a, b := MAC(k, []byte("иван")), MAC(k, []byte("иван"))
	if !bytes.Equal(a, b) || len(a) != 32 {
		t.Fatalf("MAC not deterministic or wrong size: %x %x", a, b)
	}
	if bytes.Equal(a, MAC(k, []byte("ивана"))) || bytes.Equal(a, MAC(NewKey(), []byte("иван"))) {
		t.Fatal("MAC collides across messages or keys")
	}
}

func TestEqualAndWipe(t *testing.T) {
	if !Equal([]byte("abc"), []byte("abc")) || Equal([]byte("abc"), []byte("abd")) || Equal([]byte("abc"), []byte("ab")) {
		t.Fatal("Equal is wrong")
	}
	b := []byte("secret")
	Wipe(b)
	if !bytes.Equal(b, make([]byte, 6)) {
		t.Fatalf("Wipe left %q", b)
	}
}
