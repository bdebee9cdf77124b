package vault

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/keys"
)

// FuzzAgentSecret: whatever an agent socket answers, checking it and
// unlocking with it neither panics nor unlocks, and a session is refused
// unless its wrap file is there with the recorded hash.
func FuzzAgentSecret(f *testing.F) {
	id, err := crypto.GenerateIdentity(true)
	if err != nil {
		f.Fatal(err)
	}
	rcpt := "age1cvtest1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
	s := agentSession{Identity: "AGE-PLUGIN-CVTEST-1QQQQQQQQQQ", Recipient: rcpt,
		WrapFile: keys.PluginWrapName(rcpt) + staffWrapExt, WrapSHA256: make([]byte, 32), Wrap: []byte(`{"format":"x"}`), Seed: make([]byte, 32)}
	b, _ := json.Marshal(s)
	f.Add([]byte(agentSessionTag + base64.StdEncoding.EncodeToString(b)))
	f.Add([]byte(id.String()))
	f.Add([]byte(agentSessionTag + "!!!"))
	f.Add([]byte("garbage"))
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, staffDir), 0o700); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, staffDir, s.WrapFile), []byte("not the wrap"), 0o600); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, secret []byte) {
		_ = CheckAgentSecret(secret)
		v := &Vault{dir: dir}
		u := Unlock{AgentSecret: secret}
		done, err := v.unlockAgentSecret(&u)
		if done && err == nil {
			t.Fatalf("a session unlocked with a wrap file of other content: %q", secret)
		}
		if !done && u.Identity == nil {
			t.Fatal("neither refused nor an identity")
		}
	})
}

// A session is refused as out of date when the wrap file is missing or
// has other content than the one it was made from.
func TestAgentSessionBoundToWrapFile(t *testing.T) {
	rcpt := "age1cvtest1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
	s := agentSession{Identity: "AGE-PLUGIN-CVTEST-1QQQQQQQQQQ", Recipient: rcpt,
		WrapFile: keys.PluginWrapName(rcpt) + staffWrapExt, WrapSHA256: make([]byte, 32), Wrap: []byte(`{}`), Seed: make([]byte, 32)}
	b, _ := json.Marshal(s)
	secret := []byte(agentSessionTag + base64.StdEncoding.EncodeToString(b))
	if err := CheckAgentSecret(secret); err != nil {
		t.Fatalf("well-formed session refused by CheckAgentSecret: %v", err)
	}
	dir := t.TempDir()
	v := &Vault{dir: dir}
	if _, err := v.unlockAgentSecret(&Unlock{AgentSecret: secret}); !errors.Is(err, ErrAgentSessionStale) {
		t.Fatalf("missing wrap file: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, staffDir), 0o700)
	os.WriteFile(filepath.Join(dir, staffDir, s.WrapFile), []byte("other"), 0o600)
	if _, err := v.unlockAgentSecret(&Unlock{AgentSecret: secret}); !errors.Is(err, ErrAgentSessionStale) {
		t.Fatalf("changed wrap file: %v", err)
	}
	// A session naming another member's wrap file is not a session.
	s.WrapFile = "../../etc/passwd"
	b, _ = json.Marshal(s)
	if err := CheckAgentSecret([]byte(agentSessionTag + base64.StdEncoding.EncodeToString(b))); err == nil {
		t.Fatal("session with a foreign wrap file name accepted")
	}
}
