package vault

import (
	"context"
	"io"
)

// A long operation takes a context as its first parameter and stops when
// it is done (Ctrl-C in the command): streams through ctxWriter and
// ctxReader at the next chunk, loops at the next case or record. A
// cancelled operation writes nothing partial: files are written through
// vault/atomicfile, which removes the temporary file, and a store
// transaction that returned an error is not committed.

// ctxWriter fails every write once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// ctxReader fails every read once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
