// Package crypto holds casevault's cryptographic primitives: the record AEAD,
// key derivation and wrapping, the organisation identity (age and Ed25519),
// passphrase protection, and the chunked stream used for evidence files.
//
// It knows nothing of vaults, cases or schemas. Every function here is small
// and exact; the layouts that use them are described in SECURITY.md.
package crypto
