package vault

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/keys"
)

// The unlock agent holds an age identity's text, which later commands
// unlock with. A staff member whose identity is an age plugin's (a
// hardware key) has no such text: the secret stays in the plugin, and
// each unlock costs two plugin calls (the wrap, the signing key box). For
// them the agent holds a session instead: what those two calls gave, the
// wrap's content (the master key among it) and the signing key's seed,
// bound to the wrap file it came from by its SHA-256. A command that gets
// a session from the agent checks the wrap file is still the same file
// and then opens the vault as unlockStaff would, without the plugin; the
// store's binding and checkStaffSession then check the member as for any
// unlock. See SECURITY.md, "Unlock agent".

// agentSessionTag starts an agent secret that is a plugin member's session.
const agentSessionTag = "CASEVAULT-PLUGIN-SESSION-1 "

// MaxAgentSecret bounds what the unlock agent holds and a command accepts
// from it.
const MaxAgentSecret = 32 << 10

// agentSession is a plugin member's unlocked session.
type agentSession struct {
	Identity   string `json:"identity"`  // the plugin identity line: a handle, the secret stays in the plugin
	Recipient  string `json:"recipient"` // its recipient
	WrapFile   string `json:"wrap_file"`
	WrapSHA256 []byte `json:"wrap_sha256"`
	Wrap       []byte `json:"wrap"` // the wrap's content, master key included
	Seed       []byte `json:"seed"` // the signing key's seed
}

// ErrAgentSessionStale is an agent session whose wrap file changed since
// the vault was unlocked (a rekey, a staff change, a planted file).
var ErrAgentSessionStale = errs.New(errs.ErrAuth, "the unlock agent's session is out of date: the staff key file changed since the vault was unlocked; lock the vault and unlock it again with the identity")

// errBadAgentSecret is an agent secret that is neither an identity nor a
// session.
var errBadAgentSecret = errs.New(errs.ErrAuth, "the unlock agent holds no usable identity or session")

// AgentSecret unlocks the vault in dir with u, without opening the store,
// and returns what the unlock agent keeps: the identity's text, or for a
// staff member with an age plugin identity a session (two plugin calls
// now, none by the commands that use it). The caller wipes it.
func AgentSecret(dir string, u Unlock) ([]byte, error) {
	if err := CheckFormat(dir); err != nil {
		return nil, err
	}
	v := &Vault{dir: dir}
	if err := v.unlock(u); err != nil {
		return nil, err
	}
	defer crypto.Wipe(v.mk[:])
	if v.staff == nil {
		return []byte(v.id.String()), nil
	}
	id := v.staff.id
	if !id.Plugin() {
		return []byte(id.String()), nil
	}
	w := v.staff.wrap
	w.MasterKey = bytes.Clone(v.mk[:])
	wb, err := json.Marshal(w)
	crypto.Wipe(w.MasterKey)
	if err != nil {
		return nil, err
	}
	seed := id.SigningSeed()
	s := agentSession{Identity: id.String(), Recipient: id.RecipientString(), WrapFile: v.staff.wrapFile,
		WrapSHA256: v.staff.wrapSum[:], Wrap: wb, Seed: seed}
	b, err := json.Marshal(s)
	crypto.Wipe(wb)
	crypto.Wipe(seed)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(agentSessionTag)+base64.StdEncoding.EncodedLen(len(b)))
	copy(out, agentSessionTag)
	base64.StdEncoding.Encode(out[len(agentSessionTag):], b)
	crypto.Wipe(b)
	if len(out) > MaxAgentSecret {
		return nil, fmt.Errorf("the session is %d bytes, more than the unlock agent holds (%d)", len(out), MaxAgentSecret)
	}
	return out, nil
}

// CheckAgentSecret reports whether secret is something the unlock agent
// may hold: an identity's text or a session.
func CheckAgentSecret(secret []byte) error {
	if len(secret) > MaxAgentSecret {
		return errBadAgentSecret
	}
	if bytes.HasPrefix(secret, []byte(agentSessionTag)) {
		s, err := parseAgentSession(secret)
		if err != nil {
			return err
		}
		crypto.Wipe(s.Wrap)
		crypto.Wipe(s.Seed)
		return nil
	}
	_, err := crypto.ParseIdentity(secret)
	return err
}

func parseAgentSession(secret []byte) (*agentSession, error) {
	enc := bytes.TrimSpace(secret[len(agentSessionTag):])
	b := make([]byte, base64.StdEncoding.DecodedLen(len(enc)))
	n, err := base64.StdEncoding.Decode(b, enc)
	if err != nil {
		return nil, errBadAgentSecret
	}
	defer crypto.Wipe(b)
	var s agentSession
	if err := bounds.DecodeStrict(b[:n], bounds.Wire, &s); err != nil {
		return nil, errBadAgentSecret // the decoder's words may quote the session's bytes
	}
	if len(s.WrapSHA256) != sha256.Size || len(s.Seed) != ed25519.SeedSize || s.WrapFile != keys.PluginWrapName(s.Recipient)+staffWrapExt {
		return nil, errBadAgentSecret
	}
	return &s, nil
}

// unlockAgentSecret unlocks with u.AgentSecret: a session is used here
// (done), an identity's text becomes u.Identity for the usual unlock.
func (v *Vault) unlockAgentSecret(u *Unlock) (done bool, err error) {
	secret := u.AgentSecret
	if !bytes.HasPrefix(secret, []byte(agentSessionTag)) {
		id, err := crypto.ParseIdentity(secret)
		if err != nil {
			return true, errBadAgentSecret
		}
		*u = Unlock{Identity: id}
		return false, nil
	}
	if len(secret) > MaxAgentSecret {
		return true, errBadAgentSecret
	}
	s, err := parseAgentSession(secret)
	if err != nil {
		return true, err
	}
	defer crypto.Wipe(s.Seed)
	defer crypto.Wipe(s.Wrap)
	// The wrap file must be the one the session was made from.
	p := filepath.Join(v.dir, staffDir, s.WrapFile)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return true, ErrAgentSessionStale
	}
	if err != nil {
		return true, err
	}
	if !fi.Mode().IsRegular() {
		return true, ErrAgentSessionStale
	}
	ct, err := readSmallFile(p, maxWrapFile)
	if err != nil {
		return true, err
	}
	if sum := sha256.Sum256(ct); subtle.ConstantTimeCompare(sum[:], s.WrapSHA256) != 1 {
		return true, ErrAgentSessionStale
	}
	// A plugin identity made from its handle runs no plugin until it is
	// asked to decrypt, which nothing does in a session.
	id, err := crypto.ParseMemberIdentity([]byte(s.Identity+"\n# recipient: "+s.Recipient+"\n"), nil)
	if err != nil || !id.Plugin() || id.RecipientString() != s.Recipient {
		return true, errBadAgentSecret
	}
	if err := id.SetSigningSeed(s.Seed); err != nil {
		return true, errBadAgentSecret
	}
	w, err := keys.ParseWrap(s.Wrap)
	if err != nil {
		return true, errBadAgentSecret
	}
	sid := keys.StaffID(id.VerifyKey())
	if w.Staff != sid || len(w.MasterKey) != crypto.KeySize {
		return true, errBadAgentSecret
	}
	if _, err := crypto.ParseRecipient(w.OrgRecipient); err != nil {
		return true, errBadAgentSecret
	}
	copy(v.mk[:], w.MasterKey)
	crypto.Wipe(w.MasterKey)
	w.MasterKey = nil
	v.dbName = w.DB
	v.keys = deriveKeys(v.mk)
	v.id = nil
	v.staff = &staffSession{id: id, wrap: *w, orgVerifyKey: ed25519.PublicKey(w.OrgVerifyKey), wrapFile: s.WrapFile,
		member: StaffMember{ID: sid, Name: w.Name, Recipient: id.RecipientString(), VerifyKey: id.VerifyKey()}}
	copy(v.staff.wrapSum[:], s.WrapSHA256)
	return true, nil
}
