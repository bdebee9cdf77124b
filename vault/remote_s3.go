package vault

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// objStore is one remote opened: every object lives flat under its prefix
// with a random name.
type objStore struct {
	c      *minio.Client
	bucket string
	prefix string
	name   string // the remote's name, for messages
	clock  *serverClock
}

// RemoteError is a failure talking to the object store (unreachable,
// refused, missing bucket): nothing of the failed step was recorded.
type RemoteError struct {
	Remote string
	Op     string
	Err    error
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("remote %q: %s: %v", e.Remote, e.Op, e.Err)
}
func (e *RemoteError) Unwrap() error { return e.Err }

func openObjStore(r *Remote) (*objStore, error) {
	u, err := url.Parse(r.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("%w: endpoint %q", ErrBadRemote, r.Endpoint)
	}
	tr, err := minio.DefaultTransport(u.Scheme == "https")
	if err != nil {
		return nil, &RemoteError{Remote: r.Name, Op: "connect", Err: err}
	}
	clock := &serverClock{rt: tr}
	c, err := minio.New(u.Host, &minio.Options{
		Transport:    clock,
		Creds:        credentials.NewStaticV4(r.AccessKey, r.Secret, ""),
		Secure:       u.Scheme == "https",
		BucketLookup: minio.BucketLookupPath,
		Region:       "us-east-1",
	})
	if err != nil {
		return nil, &RemoteError{Remote: r.Name, Op: "connect", Err: err}
	}
	return &objStore{c: c, bucket: r.Bucket, prefix: r.Prefix, name: r.Name, clock: clock}, nil
}

func (s *objStore) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &RemoteError{Remote: s.name, Op: op, Err: err}
}

// ensureBucket makes the bucket when it does not exist.
func (s *objStore) ensureBucket(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail("bucket "+s.bucket, err)
	}
	if ok {
		return nil
	}
	err = s.c.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{})
	if err != nil {
		if r := minio.ToErrorResponse(err); r.Code == "BucketAlreadyOwnedByYou" || r.Code == "BucketAlreadyExists" {
			return nil
		}
	}
	return s.fail("make bucket "+s.bucket, err)
}

// put uploads a small object and verifies it: the store's ETag must be the
// MD5 of what was sent (the server checks Content-MD5 as well), and its
// size must match. Returns the SHA-256 of the object.
func (s *objStore) put(ctx context.Context, dir, name string, data []byte) ([]byte, error) {
	obj := s.prefix + dir + name
	info, err := s.c.PutObject(ctx, s.bucket, obj, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{SendContentMd5: true, DisableMultipart: true, ContentType: "application/octet-stream"})
	if err != nil {
		return nil, s.fail("upload "+name, err)
	}
	sum := md5.Sum(data)
	if err := s.verify(ctx, obj, info.ETag, hex.EncodeToString(sum[:]), int64(len(data)), func() []byte { return sha(data) }); err != nil {
		return nil, err
	}
	return sha(data), nil
}

func sha(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// verify compares what the store holds at obj with what was sent: the
// ETag with the MD5 (or multipart MD5) computed while sending, and the
// size. A store whose ETags are not MD5s is verified by reading the object
// back and comparing SHA-256 (readBack).
func (s *objStore) verify(ctx context.Context, obj, etag, want string, size int64, readBack func() []byte) error {
	etag = strings.Trim(etag, `"`)
	st, err := s.c.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{})
	if err != nil {
		return s.fail("check upload of "+obj, err)
	}
	if st.Size != size {
		return fmt.Errorf("remote %q: upload of %s: the store holds %d bytes, %d were sent: %w", s.name, obj, st.Size, size, syncfmt.ErrDamaged)
	}
	if etag == want || strings.Trim(st.ETag, `"`) == want {
		return nil
	}
	if readBack == nil {
		return fmt.Errorf("remote %q: upload of %s: the store's checksum %q is not that of what was sent (%s): %w", s.name, obj, etag, want, syncfmt.ErrDamaged)
	}
	o, err := s.c.GetObject(ctx, s.bucket, obj, minio.GetObjectOptions{})
	if err != nil {
		return s.fail("read back "+obj, err)
	}
	defer o.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(o, size+1)); err != nil {
		return s.fail("read back "+obj, err)
	}
	if !bytes.Equal(h.Sum(nil), readBack()) {
		return fmt.Errorf("remote %q: upload of %s: read back, it differs from what was sent: %w", s.name, obj, syncfmt.ErrDamaged)
	}
	return nil
}

// get reads a small object, refusing one larger than max before reading it.
func (s *objStore) get(ctx context.Context, dir, name string, max int64) ([]byte, error) {
	o, err := s.c.GetObject(ctx, s.bucket, s.prefix+dir+name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.fail("download "+name, err)
	}
	defer o.Close()
	st, err := o.Stat()
	if err != nil {
		return nil, s.fail("download "+name, err)
	}
	if st.Size > max {
		return nil, fmt.Errorf("object %s: %d bytes, more than %d: %w", name, st.Size, max, syncfmt.ErrDamaged)
	}
	b, err := io.ReadAll(io.LimitReader(o, max+1))
	if err != nil {
		return nil, s.fail("download "+name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("object %s: more than %d bytes: %w", name, max, syncfmt.ErrDamaged)
	}
	return b, nil
}

// getStream opens an object for reading.
func (s *objStore) getStream(ctx context.Context, dir, name string) (io.ReadCloser, int64, error) {
	o, err := s.c.GetObject(ctx, s.bucket, s.prefix+dir+name, minio.GetObjectOptions{})
	if err != nil {
		return nil, 0, s.fail("download "+name, err)
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		return nil, 0, s.fail("download "+name, err)
	}
	return o, st.Size, nil
}

// list calls fn for every object directly under dir: its name (after the
// prefix and dir) and size. Names that are not object names are passed on
// as they are: the caller decides (a planted object is refused there).
func (s *objStore) list(ctx context.Context, dir string, fn func(name string, size int64) error) error {
	return s.listAfter(ctx, dir, "", fn)
}

// listAfter is list of the names that sort after after ("" for all).
func (s *objStore) listAfter(ctx context.Context, dir, after string, fn func(name string, size int64) error) error {
	opts := minio.ListObjectsOptions{Prefix: s.prefix + dir, Recursive: false}
	if after != "" {
		opts.StartAfter = s.prefix + dir + after
	}
	for o := range s.c.ListObjects(ctx, s.bucket, opts) {
		if o.Err != nil {
			return s.fail("list", o.Err)
		}
		n := strings.TrimPrefix(o.Key, s.prefix+dir)
		if n == "" || strings.HasSuffix(n, "/") {
			continue
		}
		if err := fn(n, o.Size); err != nil {
			return err
		}
	}
	return nil
}

func (s *objStore) remove(ctx context.Context, dir, name string) error {
	return s.fail("remove "+name, s.c.RemoveObject(ctx, s.bucket, s.prefix+dir+name, minio.RemoveObjectOptions{}))
}

// getRange opens the first n bytes of an object.
func (s *objStore) getRange(ctx context.Context, dir, name string, n int64) (io.ReadCloser, int64, error) {
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(0, n-1); err != nil {
		return nil, 0, err
	}
	o, err := s.c.GetObject(ctx, s.bucket, s.prefix+dir+name, opts)
	if err != nil {
		return nil, 0, s.fail("download "+name, err)
	}
	return o, n, nil
}
