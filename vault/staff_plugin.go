package vault

import (
	"errors"
	"fmt"

	"filippo.io/age/plugin"
	"github.com/casevault/casevault/vault/internal/errs"
)

// ErrPluginMissing is a staff member's age plugin identity whose plugin
// binary (age-plugin-NAME) is not on the PATH: not damage, nothing to
// restore; the member installs the plugin.
var ErrPluginMissing = errs.New(errs.ErrAuth, "the age plugin of this identity is not installed")

// pluginMissing returns ErrPluginMissing naming the binary when err is
// age's plugin-not-found error, and nil otherwise.
func pluginMissing(err error) error {
	var nf *plugin.NotFoundError
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: age-plugin-%s was not found on the PATH", ErrPluginMissing, nf.Name)
	}
	return nil
}
