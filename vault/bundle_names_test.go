package vault

import (
	"io"
	"testing"

	"github.com/casevault/casevault/vault/internal/bundlefmt"
)

// The bundle tests here build archives by hand: these are the wire names
// they use, written out so that a change of the format fails them.
const (
	manifestName    = "manifest.json"
	manifestSigName = "manifest.sig"
)

// manifestSigned is what a manifest signature covers.
func manifestSigned(raw []byte) []byte {
	return bundlefmt.SignManifest(raw, func(msg []byte) []byte { return msg })
}

func readBundle(r io.Reader, lim BundleLimits, h bundleHandler) (*Manifest, []byte, error) {
	return bundlefmt.Read(r, lim, h)
}

func parseManifest(raw []byte, lim BundleLimits) (*Manifest, error) {
	return bundlefmt.ParseManifest(raw, lim)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// The vault's own JSON bounds for case entries are the codec's for the
// manifest.
func TestBundleJSONLimits(t *testing.T) {
	if jsonLimits != bundlefmt.JSONLimits {
		t.Fatalf("vault JSON limits %+v, bundle codec %+v", jsonLimits, bundlefmt.JSONLimits)
	}
	if string(manifestSigned([]byte("{}"))) != "casevault bundle manifest v1\x00{}" {
		t.Fatalf("manifest signature framing changed: %q", manifestSigned([]byte("{}")))
	}
}
