package vault

import (
	"os"
	"testing"

	"github.com/casevault/casevault/crypto/cryptotest"
)

// TestMain lowers the scrypt cost of identity.age for this package's tests,
// which init and open hundreds of vaults (see crypto/cryptotest).
func TestMain(m *testing.M) {
	cryptotest.LowScryptCost()
	// The package opens hundreds of vaults and runs a real S3 server: on
	// two cores it can take longer than go test's default ten minutes. A
	// plain `go test ./...` (the README's command) gets 30 minutes for it;
	// an explicit -timeout other than the default is kept.
	for i, a := range os.Args {
		if a == "-test.timeout=10m0s" {
			os.Args[i] = "-test.timeout=30m0s"
		}
	}
	os.Exit(m.Run())
}
