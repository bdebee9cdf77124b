// Package index is the search index of a vault: how case text becomes
// search tokens, the keys of the postings that record which cases hold a
// token (MAC'd under the vault's index key, so that the store does not
// show the words), the list summary record and its encoding, and how a
// query is parsed and matched. It knows nothing of Badger or of sealing:
// the vault reads and writes the records inside its transactions and
// hands this package their bytes, or a function that looks postings up.
package index
