// Package cryptotest is for tests only: it lowers the cost of crypto's
// passphrase protection so that test suites which create many vaults run
// quickly.
//
// It replaces a check of testing.Testing() inside crypto, which linked the
// testing package into the released binary. A test binary calls
// [LowScryptCost] from its TestMain; nothing outside _test.go files may
// import this package, and cmd/casevault's TestReleaseBinaryHasNoTestHooks
// fails if the casevault command depends on it (or on testing).
package cryptotest

import "github.com/casevault/casevault/crypto/internal/scryptcost"

// LowScryptCost makes crypto.EncryptWithPassphrase write scrypt work factor
// 2^10 instead of 2^18 for the rest of the process. Call it before any test
// runs (in TestMain), not concurrently with encryption.
func LowScryptCost() {
	scryptcost.WorkFactor = scryptcost.Test
}
