// Package scryptcost holds the scrypt work factor that crypto writes into
// passphrase-protected files. It is internal so that only crypto (which
// reads it) and crypto/cryptotest (which lowers it in test binaries) can
// reach it; the casevault binary never imports cryptotest, which
// cmd/casevault's TestReleaseBinaryHasNoTestHooks checks.
package scryptcost

// Release is the work factor (log2 N) of every released binary: about a
// second and 256 MiB per unlock (see SECURITY.md).
const Release = 18

// Test is the work factor that cryptotest sets: cheap enough for suites
// that init and open hundreds of vaults.
const Test = 10

// WorkFactor is the work factor written now. Only cryptotest changes it.
var WorkFactor = Release
