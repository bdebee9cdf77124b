// Package vault is casevault's encrypted case store: it creates and unlocks
// vaults, keeps case files as immutable encrypted revisions in Badger, keeps
// the encrypted search index, and appends every change to the signed audit
// log in the same transaction as the change itself.
//
// The on-disk layout, the key hierarchy and the record formats are described
// in SECURITY.md; layout.go is the single place that builds store keys.
package vault
