package vault

import "github.com/casevault/casevault/vault/internal/backupfmt"

// The backup wire format lives in vault/internal/backupfmt; these names
// are the API and what the backup and restore code calls it.

// BackupVersion is the backup format version this casevault writes.
const BackupVersion = backupfmt.Version

// A BackupManifest describes the vault a backup was made of.
type BackupManifest = backupfmt.Manifest

// BackupError reports a backup file that cannot be read: truncated,
// damaged, not a backup, or made for another organisation.
type BackupError = backupfmt.Error

func backupErrorf(format string, a ...any) error { return backupfmt.Errorf(format, a...) }
