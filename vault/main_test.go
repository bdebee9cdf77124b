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
	os.Exit(m.Run())
}
