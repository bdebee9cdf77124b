// Package cases holds the records a vault keeps for a case, as pure
// codecs: the revision (one immutable version of a case file, its
// canonical JSON, hash and compression, and the acceptance of revisions
// written before canonical JSON) and the case metadata (public
// identifiers, quarantine). It knows nothing of the store or of sealing:
// the vault opens and seals the records inside its transactions and hands
// this package their plaintext.
package cases
