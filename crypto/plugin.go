package crypto

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

// Age plugin identities (a hardware token, a TPM, a secure enclave: an
// "AGE-PLUGIN-NAME-1…" line that the plugin binary age-plugin-name on the
// PATH turns into decryptions) are accepted for staff members only. Such
// an identity has no secret casevault could derive an Ed25519 key from:
// its signing key is a random seed kept encrypted to the plugin recipient
// (see SECURITY.md, "Staff", "Plugin identities"), given to the identity
// with SetSigningSeed once decrypted.

// ErrPluginRecipientMissing is a plugin identity file that does not say
// its recipient.
var ErrPluginRecipientMissing = errors.New("the plugin identity file does not name its recipient: add a comment line \"# recipient: age1…\" with the recipient the plugin printed")

// ParseMemberIdentity reads an identity file of a staff member: what
// ParseIdentity reads, or an age plugin identity with its recipient in a
// comment line ("# Recipient: age1name1…", as plugins write them). ui
// receives the plugin's prompts (a PIN, a touch); nil answers none.
func ParseMemberIdentity(text []byte, ui *plugin.ClientUI) (*Identity, error) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 8192), 64*1024)
	var comments []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			comments = append(comments, line)
			continue
		}
		if !strings.HasPrefix(line, "AGE-PLUGIN-") {
			return ParseIdentity(text)
		}
		if ui == nil {
			ui = &plugin.ClientUI{}
		}
		pid, err := plugin.NewIdentity(line, ui)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		for sc.Scan() { // comments after the identity count too
			if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "#") {
				comments = append(comments, l)
			}
		}
		r, err := pluginRecipientIn(comments, pid.Name(), ui)
		if err != nil {
			return nil, err
		}
		return &Identity{age: pid, rcpt: r, secret: line, plugin: true}, nil
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, ErrNoIdentity
}

// pluginRecipientIn finds the recipient of plugin name in comment lines.
func pluginRecipientIn(comments []string, name string, ui *plugin.ClientUI) (*plugin.Recipient, error) {
	var found *plugin.Recipient
	for _, c := range comments {
		for _, w := range strings.Fields(strings.TrimLeft(c, "#")) {
			if !strings.HasPrefix(w, "age1") {
				continue
			}
			n, _, err := plugin.ParseRecipient(w)
			if err != nil || n != name {
				continue
			}
			r, err := plugin.NewRecipient(w, ui)
			if err != nil {
				continue
			}
			if found != nil && found.String() != r.String() {
				return nil, errors.New("the plugin identity file names two different recipients")
			}
			found = r
		}
	}
	if found == nil {
		return nil, ErrPluginRecipientMissing
	}
	return found, nil
}

// ParsePluginRecipient parses an age plugin recipient (age1name1…), which
// encrypts by running age-plugin-name. It refuses native recipients.
func ParsePluginRecipient(s string) (*plugin.Recipient, error) {
	name, _, err := plugin.ParseRecipient(s)
	if err != nil {
		return nil, err
	}
	if name == "pq" || strings.TrimSpace(s) != s {
		return nil, errors.New("not a plugin recipient")
	}
	return plugin.NewRecipient(s, &plugin.ClientUI{})
}

// ParseMemberRecipient parses a staff member's recipient: native
// (ParseRecipient) or a plugin's.
func ParseMemberRecipient(s string) (age.Recipient, error) {
	if r, err := ParseRecipient(s); err == nil {
		return r, nil
	}
	return ParsePluginRecipient(s)
}

// Plugin reports whether the identity is an age plugin identity.
func (i *Identity) Plugin() bool { return i.plugin }

// HasSigningKey reports whether the identity can sign: always, except a
// plugin identity before SetSigningSeed.
func (i *Identity) HasSigningKey() bool { return i.signing != nil }

// SetSigningSeed gives a plugin identity its Ed25519 signing key.
func (i *Identity) SetSigningSeed(seed []byte) error {
	if !i.plugin {
		return errors.New("only a plugin identity takes a signing key")
	}
	if len(seed) != ed25519.SeedSize {
		return fmt.Errorf("signing key seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	i.signing = ed25519.NewKeyFromSeed(seed)
	return nil
}

// SigningSeed returns a copy of the Ed25519 seed of a plugin identity's
// signing key (nil before SetSigningSeed): for the unlock agent, which
// holds a plugin member's session so that later commands need no plugin.
func (i *Identity) SigningSeed() []byte {
	if !i.plugin || i.signing == nil {
		return nil
	}
	return append([]byte(nil), i.signing.Seed()...)
}
