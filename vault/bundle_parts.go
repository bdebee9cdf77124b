package vault

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"

	"filippo.io/age"
	"github.com/casevault/casevault/vault/atomicfile"
	"github.com/casevault/casevault/vault/internal/bundlefmt"
)

// DefaultMaxBundleSize is the size above which a bundle is written as
// numbered parts (ExportBundleOptions.MaxSize 0).
const DefaultMaxBundleSize = 1 << 30

// MinBundlePartSize is the smallest part size allowed.
const MinBundlePartSize = bundlefmt.MinPartSize

// BundlePartName is the file name of part n of parts of a bundle written
// to out (NAME.part2of3.age for NAME.age).
func BundlePartName(out string, n, parts int) string { return bundlefmt.PartName(out, n, parts) }

// bundleOutput is what an export wrote and has not yet put in place: one
// bundle file or its parts.
type bundleOutput struct {
	files []*atomicfile.File
	names []string
	size  int64
	sum   []byte // of the file, or of the parts' SHA-256s in order
}

func (o *bundleOutput) abort() {
	for _, f := range o.files {
		f.Abort()
	}
}

// commit puts every file in place, never over an existing one.
func (o *bundleOutput) commit() error {
	for _, f := range o.files {
		if err := f.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// writeBundleOutput writes the bundle as one file, or, when it would be
// larger than maxSize, as numbered parts beside out.
func writeBundleOutput(ctx context.Context, out string, maxSize int64, hdr bundlefmt.PartHeader, sign func([]byte) []byte, rcpt age.Recipient, manifest, sig []byte, items []bundleItem) (*bundleOutput, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxBundleSize
	}
	sizes := make([]int64, len(items))
	for i, it := range items {
		sizes[i] = it.entry.Size
	}
	stream := bundlefmt.StreamSize(len(manifest), len(sig), sizes)
	if stream+stream/4096+4096 <= maxSize {
		f, size, sum, err := writeBundleFile(ctx, out, rcpt, manifest, sig, items)
		if err != nil {
			return nil, err
		}
		return &bundleOutput{files: []*atomicfile.File{f}, names: []string{out}, size: size, sum: sum}, nil
	}
	per := bundlefmt.PayloadPerPart(maxSize)
	if per <= 0 {
		return nil, fmt.Errorf("%w: a part size of %d bytes is too small: a bundle part needs at least %d bytes", ErrInvalid, maxSize, MinBundlePartSize)
	}
	o := &bundleOutput{}
	ok := false
	defer func() {
		if !ok {
			o.abort()
		}
	}()
	all := sha256.New()
	var partSums [][]byte
	var cur *countWriter
	var curHash interface{ Sum([]byte) []byte }
	closeCur := func() {
		if cur != nil {
			partSums = append(partSums, curHash.Sum(nil))
			o.size += cur.n
		}
	}
	var parts int
	pw, parts, err := bundlefmt.NewPartWriter(hdr, stream, per, rcpt, sign, func(n int) (io.Writer, error) {
		name := bundlefmt.PartName(out, n, parts)
		if n == 1 {
			for i := 1; i <= parts; i++ {
				if _, err := os.Lstat(bundlefmt.PartName(out, i, parts)); err == nil {
					return nil, fmt.Errorf("%s already exists: choose a new file name", bundlefmt.PartName(out, i, parts))
				}
			}
		}
		closeCur()
		f, err := atomicfile.Create(name, atomicfile.Options{NoClobber: true, Sync: true, TempPrefix: ".casevault-bundle-"})
		if err != nil {
			return nil, err
		}
		o.files = append(o.files, f)
		o.names = append(o.names, name)
		h := sha256.New()
		curHash = h
		cur = &countWriter{w: ctxWriter{ctx, io.MultiWriter(f, h)}}
		return cur, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	bi := make([]bundlefmt.Item, len(items))
	for i, it := range items {
		bi[i] = bundlefmt.Item{Entry: it.entry, Data: it.data, Write: it.write}
	}
	if err := bundlefmt.WriteStream(pw, manifest, sig, bi); err != nil {
		return nil, err
	}
	if err := pw.Close(); err != nil {
		return nil, err
	}
	closeCur()
	for _, s := range partSums {
		all.Write(s)
	}
	o.sum = all.Sum(nil)
	ok = true
	return o, nil
}
