package syncfmt

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/casevault/casevault/crypto"
	"pgregory.net/rapid"
)

func TestSealBindsNameAndVault(t *testing.T) {
	k := DeriveKeys(crypto.NewKey())
	other := DeriveKeys(crypto.NewKey())
	n1, n2 := NewName(), NewName()
	sealed := k.Seal(n1, KindPack, []byte("records"))
	if pt, err := k.Open(n1, KindPack, sealed); err != nil || string(pt) != "records" {
		t.Fatalf("open: %q %v", pt, err)
	}
	for name, try := range map[string]func() error{
		"another name":  func() error { _, err := k.Open(n2, KindPack, sealed); return err },
		"another vault": func() error { _, err := other.Open(n1, KindPack, sealed); return err },
		"another kind":  func() error { _, err := k.Open(n1, KindInbox, sealed); return err },
		"a flipped bit": func() error {
			b := bytes.Clone(sealed)
			b[len(b)-3] ^= 1
			_, err := k.Open(n1, KindPack, b)
			return err
		},
		"truncated": func() error { _, err := k.Open(n1, KindPack, sealed[:len(sealed)-1]); return err },
	} {
		if err := try(); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !bytes.Equal(DeriveKeys(crypto.Key{1}).ID, DeriveKeys(crypto.Key{1}).ID) {
		t.Fatal("one master key, two sync IDs")
	}
}

func TestBlobRoundTripAndBinding(t *testing.T) {
	k := DeriveKeys(crypto.NewKey())
	name := NewName()
	data := bytes.Repeat([]byte("evidence "), 30000)
	var obj bytes.Buffer
	w, err := k.BlobWriter(&obj, name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if int64(obj.Len()) != BlobSize(int64(len(data))) {
		t.Fatalf("size %d, BlobSize says %d", obj.Len(), BlobSize(int64(len(data))))
	}
	if bytes.HasPrefix(obj.Bytes(), []byte(crypto.StreamMagic)) || !bytes.HasPrefix(obj.Bytes(), k.BlobHeader(name)) {
		t.Fatal("blob object starts with the magic, or not with its header")
	}
	r, err := k.BlobReader(bytes.NewReader(obj.Bytes()), name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %v", err)
	}
	if _, err := k.BlobReader(bytes.NewReader(obj.Bytes()), NewName()); !errors.Is(err, ErrDamaged) {
		t.Fatalf("blob under another name: %v", err)
	}
	b := obj.Bytes()
	b[len(b)/2] ^= 1
	r, _ = k.BlobReader(bytes.NewReader(b), name)
	if _, err := io.ReadAll(r); !errors.Is(err, ErrDamaged) || !errors.Is(err, crypto.ErrTampered) {
		t.Fatalf("flipped blob: %v", err)
	}
}

func TestPackRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "n")
		var es []Entry
		for i := 0; i < n; i++ {
			e := Entry{Key: rapid.SliceOfN(rapid.Byte(), 1, MaxKey).Draw(t, "key"),
				Value:  rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "value"),
				Parent: rapid.SliceOfN(rapid.Byte(), 0, 32).Draw(t, "parent")}
			if rapid.Bool().Draw(t, "blob") {
				e.Blob, e.Size = NewName(), rapid.Int64Range(0, 1<<40).Draw(t, "size")
			}
			es = append(es, e)
		}
		got, err := DecodePack(EncodePack(es))
		if err != nil || len(got) != len(es) {
			t.Fatalf("decode: %d entries, %v", len(got), err)
		}
		for i := range es {
			if !bytes.Equal(got[i].Key, es[i].Key) || !bytes.Equal(got[i].Value, es[i].Value) ||
				!bytes.Equal(got[i].Parent, es[i].Parent) || got[i].Blob != es[i].Blob || got[i].Size != es[i].Size {
				t.Fatalf("entry %d differs", i)
			}
		}
	})
}

func FuzzDecodePack(f *testing.F) {
	f.Add(EncodePack([]Entry{{Key: []byte("r0123456789abcd"), Value: []byte("v"), Parent: make([]byte, 32), Blob: NewName(), Size: 5}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := DecodePack(b)
		if err != nil {
			return
		}
		if again := EncodePack(es); !bytes.Equal(again, b) {
			// Uvarints have one canonical form only when minimal; a
			// non-minimal one decodes too. Decoding it again must agree.
			es2, err := DecodePack(again)
			if err != nil || len(es2) != len(es) {
				t.Fatalf("re-encoded pack does not decode alike: %v", err)
			}
		}
	})
}
