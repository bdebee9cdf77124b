// Package keys holds the formats of the keys a vault hands to people: the
// staff card a colleague makes from their own identity, the wrapped master
// key a staff member unlocks the vault with, and the recovery share a
// trustee keeps. It knows nothing of the store: callers sign and verify
// with functions and keys they pass in. See SECURITY.md, "Staff" and
// "Recovery".
package keys
