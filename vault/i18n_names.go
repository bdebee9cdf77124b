package vault

import "github.com/casevault/casevault/vault/internal/errs"

// LocalizeError renders err in lang (en, ru, uk): the parts of it that
// are catalogued messages (errors carrying a message ID, such as schema
// validation errors) are translated, the rest stays in English.
func LocalizeError(err error, lang string) string { return errs.Localize(err, lang) }
