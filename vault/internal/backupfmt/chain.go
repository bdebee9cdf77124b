package backupfmt

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
)

// Backup chains (format version 2; see SECURITY.md, "Incremental backups").
// Every file of a chain is a link: link 1 holds the whole vault, each later
// link what changed since the link before it. The manifest's chain object
// names the chain, the link's number and the SHA-256 of the whole file of
// the link before it; the store part is the whole store ("full": link 1,
// and the first link after the master key changed, by rekey or purge) or
// the records written since the link before ("delta"). After the store
// come two 'L' parts: "keys", every key the store held when the link was
// made (one length byte, then the key), and "blobs", every evidence file
// (names separated by "\n"). The trailer is signed with the organisation's
// ed25519 key over SignedMessage(parts), which covers the manifest and so
// the chain fields: a link cannot be renumbered, moved to another chain or
// forged without the identity.

// Store kinds of a link.
const (
	StoreFull  = "full"
	StoreDelta = "delta"
)

// Limits of the 'L' parts.
const (
	maxLiveKeys  = 8 << 20 // keys listed in one link
	maxLiveBlobs = 1 << 20 // evidence files listed in one link
	maxStoreKey  = 64      // bytes, as store.CheckedStream allows
)

// A Chain places a link in its backup chain.
type Chain struct {
	ID    string `json:"id"`             // 32 hex digits, random, the same in every link
	Link  int    `json:"link"`           // 1, 2, …
	Prev  string `json:"prev,omitempty"` // SHA-256 (hex) of the whole file of link Link-1
	Store string `json:"store"`          // StoreFull or StoreDelta
}

var (
	chainID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{32}$`) })
	sha256s = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{64}$`) })
)

// check requires a well-formed chain object: link 1 is full and has no
// predecessor; a later link names one.
func (c *Chain) check() error {
	switch {
	case c == nil:
		return Errorf("damaged manifest (no chain in a version 2 backup)")
	case !chainID().MatchString(c.ID):
		return Errorf("damaged manifest (chain id)")
	case c.Link < 1 || c.Link > 1<<30:
		return Errorf("damaged manifest (link number %d)", c.Link)
	case c.Store != StoreFull && c.Store != StoreDelta:
		return Errorf("damaged manifest (store kind %q)", c.Store)
	case c.Link == 1 && (c.Prev != "" || c.Store != StoreFull):
		return Errorf("damaged manifest (link 1 must be a full backup without a predecessor)")
	case c.Link > 1 && !sha256s().MatchString(c.Prev):
		return Errorf("damaged manifest (hash of the previous link)")
	}
	return nil
}

// SignedMessage is what the trailer's signature of a version 2 backup
// covers: a domain line and the JSON of every part's kind, name, size and
// SHA-256 (the manifest's among them).
func SignedMessage(parts []partSum) []byte {
	pj, _ := json.Marshal(parts)
	return append([]byte("casevault backup link v2\n"), pj...)
}

// readLive reads the two 'L' parts after the store.
func readLive(p *partReader) (*Live, error) {
	if err := p.expect(partLive, "keys"); err != nil {
		return nil, err
	}
	live := &Live{}
	br := bufio.NewReaderSize(p, 64<<10)
	for {
		n, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if n == 0 || n > maxStoreKey {
			return nil, Errorf("damaged key list (a key of %d bytes)", n)
		}
		if len(live.Keys) >= maxLiveKeys {
			return nil, Errorf("more than %d keys in the key list", maxLiveKeys)
		}
		k := make([]byte, n)
		if _, err := io.ReadFull(br, k); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, p.wrap(err)
		}
		live.Keys = append(live.Keys, k)
	}
	if err := p.expect(partLive, "blobs"); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(p)
	sc.Buffer(make([]byte, 0, 4096), maxPartName+1)
	for sc.Scan() {
		rel := sc.Text()
		if !ValidBlobPath(rel) {
			return nil, Errorf("unexpected evidence path %q in the evidence list", rel)
		}
		if len(live.Blobs) >= maxLiveBlobs {
			return nil, Errorf("more than %d evidence files in the evidence list", maxLiveBlobs)
		}
		live.Blobs = append(live.Blobs, rel)
	}
	if err := sc.Err(); err != nil {
		var be *Error
		if errors.As(err, &be) {
			return nil, err
		}
		return nil, Errorf("damaged evidence list")
	}
	return live, nil
}

// Live writes the two 'L' parts: every store key and evidence file the
// vault holds (after the store part, before the evidence files).
func (pw *Writer) Live(keys [][]byte, blobs []string) error {
	if err := pw.Begin(partLive, "keys"); err != nil {
		return err
	}
	for _, k := range keys {
		if len(k) == 0 || len(k) > maxStoreKey {
			return Errorf("store key of %d bytes", len(k))
		}
		if _, err := pw.Write(append([]byte{byte(len(k))}, k...)); err != nil {
			return err
		}
	}
	if err := pw.End(); err != nil {
		return err
	}
	var b bytes.Buffer
	for _, rel := range blobs {
		if !ValidBlobPath(rel) || strings.Contains(rel, "\n") {
			return Errorf("evidence path %q", rel)
		}
		b.WriteString(rel)
		b.WriteByte('\n')
	}
	return pw.part(partLive, "blobs", &b)
}

// CloseSigned writes the trailer of a version 2 backup, signed with sign
// (the organisation identity's ed25519 key) over SignedMessage.
func (pw *Writer) CloseSigned(sign func(msg []byte) []byte) error {
	tj, _ := json.Marshal(backupTrailer{Parts: pw.sums, Sig: sign(SignedMessage(pw.sums))})
	return pw.part(partTrailer, "trailer", bytes.NewReader(tj))
}
