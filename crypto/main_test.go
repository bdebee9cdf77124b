package crypto

import (
	"os"
	"testing"

	"github.com/casevault/casevault/crypto/cryptotest"
)

// TestMain lowers the scrypt cost for this package's tests, as every test
// binary that creates passphrase files does (see crypto/cryptotest).
func TestMain(m *testing.M) {
	cryptotest.LowScryptCost()
	os.Exit(m.Run())
}
