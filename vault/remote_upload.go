package vault

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/minio/minio-go/v7"
)

// Multipart uploads: S3 takes at most maxParts parts, each of at least
// minPartSize bytes but the last.
const (
	minPartSize = 5 << 20
	maxParts    = 10_000
)

// partSize is the part size of an upload of size bytes: the smallest whole
// number of MiB, at least minPartSize, that needs no more than maxParts
// parts (5 MiB up to 48.8 GiB, 105 MiB for 1 TiB). An upload holds one part
// in memory, so this bounds its memory.
func partSize(size int64) int64 {
	p := (size + maxParts - 1) / maxParts
	p = (p + 1<<20 - 1) &^ (1<<20 - 1)
	return max(p, minPartSize)
}

// upload is an object being written to the store as a stream of announced
// size. What is written collects in one buffer of partSize bytes (of size
// bytes when smaller), reused for every part: a full buffer is sent as the
// next part of a multipart upload, and an object that fits in one buffer is
// sent by a single PUT at Close. Each request carries the MD5 of its body
// (the server checks it) and its SHA-256, signed with the request; the part
// MD5s give the ETag Close verifies. The SHA-256 is computed here rather
// than by minio-go's streaming signature, which buffered the whole part a
// second time and allocated for every 64 KiB it signed: the garbage that
// let an offload's memory grow with the file.
type upload struct {
	s     *objStore
	ctx   context.Context
	obj   string
	name  string
	size  int64
	n     int64 // bytes written so far
	buf   []byte
	id    string // multipart upload ID, once the first part is sent
	parts []minio.CompletePart
	sums  []byte // MD5 of every part sent
	md5   hash.Hash
	sha   hash.Hash
	err   error
}

// newUpload starts the upload of size bytes as object name under dir. The
// caller writes exactly size bytes, then calls Close (or abort on failure).
func (s *objStore) newUpload(ctx context.Context, dir, name string, size int64) *upload {
	return &upload{s: s, ctx: ctx, obj: s.prefix + dir + name, name: name, size: size,
		buf: make([]byte, 0, min(size, partSize(size))), md5: md5.New(), sha: sha256.New()}
}

func (u *upload) Write(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	if int64(len(p)) > u.size-u.n {
		u.err = fmt.Errorf("remote %q: upload of %s: more than the %d bytes announced", u.s.name, u.name, u.size)
		return 0, u.err
	}
	done := 0
	for len(p) > 0 {
		k := copy(u.buf[len(u.buf):cap(u.buf)], p)
		u.buf = u.buf[:len(u.buf)+k]
		p = p[k:]
		u.n += int64(k)
		done += k
		// A full buffer is sent unless it is the object's end, which
		// Close sends (as a single PUT when it is the only part).
		if len(u.buf) == cap(u.buf) && u.n < u.size {
			if u.err = u.sendPart(); u.err != nil {
				return done, u.err
			}
		}
	}
	return done, nil
}

// sum returns the MD5 (raw) and SHA-256 (hex) of the buffer.
func (u *upload) sum() (md []byte, sha string) {
	u.md5.Reset()
	u.md5.Write(u.buf)
	u.sha.Reset()
	u.sha.Write(u.buf)
	return u.md5.Sum(nil), hex.EncodeToString(u.sha.Sum(nil))
}

func (u *upload) sendPart() error {
	core := minio.Core{Client: u.s.c}
	if u.id == "" {
		id, err := core.NewMultipartUpload(u.ctx, u.s.bucket, u.obj, minio.PutObjectOptions{ContentType: "application/octet-stream"})
		if err != nil {
			return u.s.fail("upload "+u.name, err)
		}
		u.id = id
	}
	md, sha := u.sum()
	p, err := core.PutObjectPart(u.ctx, u.s.bucket, u.obj, u.id, len(u.parts)+1, bytes.NewReader(u.buf), int64(len(u.buf)),
		minio.PutObjectPartOptions{Md5Base64: base64.StdEncoding.EncodeToString(md), Sha256Hex: sha, DisableContentSha256: true})
	if err != nil {
		return u.s.fail("upload "+u.name, err)
	}
	u.parts = append(u.parts, minio.CompletePart{PartNumber: p.PartNumber, ETag: p.ETag})
	u.sums = append(u.sums, md...)
	u.buf = u.buf[:0]
	if afterPart != nil {
		afterPart()
	}
	return nil
}

// afterPart, when set (by tests), is called after each part is sent.
var afterPart func()

// Close sends what is buffered, completes the upload and verifies what the
// store holds: its size, and its ETag against the MD5s of what was sent. On
// failure the multipart upload is aborted.
func (u *upload) Close() error {
	err := u.finish()
	if err != nil {
		u.abort()
	}
	u.buf = nil
	return err
}

func (u *upload) finish() error {
	if u.err != nil {
		return u.err
	}
	if u.n != u.size {
		return fmt.Errorf("remote %q: upload of %s: %d bytes read, %d expected", u.s.name, u.name, u.n, u.size)
	}
	var etag, want string
	if u.id == "" {
		md, sha := u.sum()
		info, err := minio.Core{Client: u.s.c}.PutObject(u.ctx, u.s.bucket, u.obj, bytes.NewReader(u.buf), int64(len(u.buf)),
			base64.StdEncoding.EncodeToString(md), sha, minio.PutObjectOptions{ContentType: "application/octet-stream", DisableContentSha256: true})
		if err != nil {
			return u.s.fail("upload "+u.name, err)
		}
		etag, want = info.ETag, hex.EncodeToString(md)
	} else {
		if err := u.sendPart(); err != nil {
			return err
		}
		info, err := minio.Core{Client: u.s.c}.CompleteMultipartUpload(u.ctx, u.s.bucket, u.obj, u.id, u.parts, minio.PutObjectOptions{})
		if err != nil {
			return u.s.fail("upload "+u.name, err)
		}
		all := md5.Sum(u.sums)
		etag, want = info.ETag, fmt.Sprintf("%s-%d", hex.EncodeToString(all[:]), len(u.parts))
	}
	return u.s.verify(u.ctx, u.obj, etag, want, u.size, nil)
}

// abort drops the parts of a multipart upload that did not complete, also
// when the upload was canceled (a killed process leaves them to the store:
// not an object, invisible to a listing of objects).
func (u *upload) abort() {
	if u.id != "" {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(u.ctx), abortTimeout)
		_ = minio.Core{Client: u.s.c}.AbortMultipartUpload(ctx, u.s.bucket, u.obj, u.id)
		cancel()
		u.id = ""
	}
	u.buf = nil
}

// abortTimeout bounds the abort of a failed upload (the store may be the
// reason it failed).
const abortTimeout = 15 * time.Second

// putStream uploads size bytes from r as object name under dir, verified
// as Close does.
func (s *objStore) putStream(ctx context.Context, dir, name string, r io.Reader, size int64) error {
	u := s.newUpload(ctx, dir, name, size)
	if _, err := io.Copy(u, io.LimitReader(r, size)); err != nil {
		u.abort()
		return err
	}
	return u.Close()
}
