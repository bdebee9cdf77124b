package crypto

import (
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

// TestParseMemberIdentity: a plugin identity file is read with the
// recipient its comment names; without it, or with another plugin's, it
// is refused; a native file reads as ParseIdentity reads it; ParseIdentity
// (the organisation's identity) still refuses plugins.
func TestParseMemberIdentity(t *testing.T) {
	x, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	line := plugin.EncodeIdentity("cvtest", []byte(x.String()))
	rcpt := plugin.EncodeRecipient("cvtest", []byte(x.Recipient().String()))
	otherRcpt := plugin.EncodeRecipient("yubikey", []byte("something"))

	id, err := ParseMemberIdentity([]byte("# made by a plugin\n#    Recipient: "+rcpt+"\n"+line+"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !id.Plugin() || id.RecipientString() != rcpt || id.HasSigningKey() || id.VerifyKey() != nil {
		t.Fatalf("plugin identity read wrongly: plugin %v recipient %q", id.Plugin(), id.RecipientString())
	}
	seed := make([]byte, 32)
	seed[0] = 7
	if err := id.SetSigningSeed(seed); err != nil || !id.HasSigningKey() || len(id.VerifyKey()) != 32 {
		t.Fatalf("SetSigningSeed: %v", err)
	}
	// recipient after the identity line counts too
	if _, err := ParseMemberIdentity([]byte(line+"\n# public key: "+rcpt+"\n"), nil); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"no recipient":            line + "\n",
		"another plugin's":        "# recipient: " + otherRcpt + "\n" + line + "\n",
		"recipient not a comment": rcpt + "\n" + line + "\n",
	} {
		if _, err := ParseMemberIdentity([]byte(text), nil); err == nil {
			t.Errorf("%s: accepted", name)
		} else if name != "recipient not a comment" && !errors.Is(err, ErrPluginRecipientMissing) {
			t.Errorf("%s: %v", name, err)
		}
	}
	native, err := ParseMemberIdentity([]byte(x.String()+"\n"), nil)
	if err != nil || native.Plugin() || native.RecipientString() != x.Recipient().String() {
		t.Fatalf("native identity: %v", err)
	}
	if err := native.SetSigningSeed(seed); err == nil {
		t.Error("a native identity took a signing seed")
	}
	if _, err := ParseIdentity([]byte("# recipient: " + rcpt + "\n" + line + "\n")); err == nil || !strings.Contains(err.Error(), "plugin") {
		t.Errorf("ParseIdentity accepted a plugin identity: %v", err)
	}
	if _, err := ParsePluginRecipient(x.Recipient().String()); err == nil {
		t.Error("ParsePluginRecipient accepted a native recipient")
	}
}
