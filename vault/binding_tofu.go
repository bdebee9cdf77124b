package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/casevault/casevault/vault/internal/store"
)

// Trust on first use (a store without a binding file) is only for vaults
// made before bindings existed, and an attacker must not be able to make a
// vault look like one by deleting its store-*.sig (SECURITY.md, "Substituted
// store"). Two pieces of signed evidence, which only the identity can make,
// mark a vault as one of the binding era:
//
//   - Init since bindings hashes initBindingMarker into the content of the
//     first audit entry (vault.init): a pre-binding vault.init holds the
//     SHA-256 of the bare recipient.
//   - The first writer that binds a pre-binding store appends a signed
//     store.bind entry.
//
// A store without a binding is accepted only if its whole audit chain, from
// entry 1, links and verifies under the identity (and its previous keys),
// its vault.init is a pre-binding one and no entry is a store.bind. A
// substituted store therefore needs the victim's complete pre-binding audit
// chain, entry for entry.

// initBindingMarker follows the recipient in the content of a binding-era
// vault.init entry.
const initBindingMarker = "\nstore bindings v1\n"

// opStoreBind is the audit op of the first binding of a pre-binding store.
const opStoreBind = OpStoreBind

// initAuditContent is what Init hashes into the vault.init entry.
func initAuditContent(recipient string) []byte {
	return []byte(recipient + initBindingMarker)
}

// checkPreBindingChain requires the open store's audit chain to be a whole,
// verified pre-binding chain (see above). v.meta must be read.
func (v *Vault) checkPreBindingChain() error {
	return v.view(func(txn *store.Txn) error {
		if _, _, err := v.verifyAuditTxn(txn); err != nil {
			return errStoreBinding("the store has no signed binding and its audit log does not verify from its first entry under this vault's identity (" + err.Error() + ")")
		}
		first, err := v.auditEntryAt(txn, 1)
		if err != nil {
			return err
		}
		legacy := false
		for _, r := range v.ownRecipients() {
			h := sha256.Sum256([]byte(r))
			if first.Op == OpVaultInit && first.ContentSHA256 == hex.EncodeToString(h[:]) {
				legacy = true
			}
		}
		if !legacy {
			return errStoreBinding("the store's signed binding file " + bindingFile(v.dbName) + " is missing, and its audit log shows a vault made with bindings (removed binding)")
		}
		errBound := errors.New("bound")
		err = v.auditWalk(txn, func(e AuditEntry) error {
			if e.Op == opStoreBind {
				return errBound
			}
			return nil
		})
		if errors.Is(err, errBound) {
			return errStoreBinding("the store's signed binding file " + bindingFile(v.dbName) + " is missing, and its audit log records that the store was bound (removed binding)")
		}
		return err
	})
}

// ownRecipients are the vault's recipients, current and previous.
func (v *Vault) ownRecipients() []string {
	out := []string{v.id.RecipientString()}
	for _, p := range v.meta.PreviousKeys {
		out = append(out, p.Recipient)
	}
	return out
}
