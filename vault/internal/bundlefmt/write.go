package bundlefmt

import (
	"archive/tar"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
)

// An Item is one entry to write: its manifest line and its bytes, given
// either as Data or as a Write function that writes exactly Entry.Size
// bytes.
type Item struct {
	Entry ManifestEntry
	Data  []byte
	Write func(w io.Writer) error
}

// Write writes a bundle to w: an age stream encrypted to rcpt holding the
// tar stream of the manifest bytes, its signature sig and the items, in
// order (the order the manifest lists them). The caller writes w to a file.
func Write(w io.Writer, rcpt age.Recipient, manifest, sig []byte, items []Item) error {
	aw, err := age.Encrypt(w, rcpt)
	if err != nil {
		return err
	}
	if err := WriteStream(aw, manifest, sig, items); err != nil {
		return err
	}
	return aw.Close()
}

// WriteStream writes the plaintext tar stream of a bundle (what Write
// encrypts) to w; bundle parts cut it into pieces.
func WriteStream(aw io.Writer, manifest, sig []byte, items []Item) error {
	tw := tar.NewWriter(aw)
	put := func(name string, size int64, write func(io.Writer) error) error {
		hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o600, Size: size, Format: tar.FormatUSTAR,
			ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		return write(tw)
	}
	bytesOf := func(b []byte) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(b); return err }
	}
	if err := put(manifestName, int64(len(manifest)), bytesOf(manifest)); err != nil {
		return err
	}
	if err := put(manifestSigName, int64(len(sig)), bytesOf(sig)); err != nil {
		return err
	}
	for _, it := range items {
		w := it.Write
		if w == nil {
			w = bytesOf(it.Data)
		}
		if err := put(it.Entry.Name, it.Entry.Size, w); err != nil {
			return fmt.Errorf("writing %s: %w", it.Entry.Name, err)
		}
	}
	return tw.Close()
}
