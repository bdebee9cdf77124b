package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdPlantStore does the substituted-store attack of issue 11 with
// nothing but the attacker's own vault and the victim's public card:
// plantstore ATTACKER VICTIM CARD. The attacker's master key is
// re-encrypted to the card's recipient and written over the victim's
// master.age (the original is kept as master.age.real in the work
// directory), and the attacker's store is moved into the victim's vault.
func cmdPlantStore(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: plantstore ATTACKER VICTIM CARD")
	}
	attacker, victim := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	var card struct {
		Recipient string `json:"recipient"`
	}
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[2])), &card))
	pass, err := os.ReadFile(ts.Getenv("CASEVAULT_PASSPHRASE_FILE"))
	ts.Check(err)
	sealed, err := os.ReadFile(filepath.Join(attacker, "identity.age"))
	ts.Check(err)
	text, err := crypto.DecryptWithPassphrase(sealed, []byte(strings.TrimSuffix(string(pass), "\n")), 1<<16)
	ts.Check(err)
	id, err := crypto.ParseIdentity(text)
	ts.Check(err)
	ct, err := os.ReadFile(filepath.Join(attacker, "master.age"))
	ts.Check(err)
	payload, err := crypto.DecryptWithIdentity(ct, id.AgeIdentity(), 1<<16)
	ts.Check(err)
	var mp struct {
		DB string `json:"db"`
	}
	ts.Check(json.Unmarshal(payload, &mp))
	rcpt, err := crypto.ParseRecipient(card.Recipient)
	ts.Check(err)
	planted, err := crypto.EncryptToRecipients(payload, rcpt)
	ts.Check(err)
	real, err := os.ReadFile(filepath.Join(victim, "master.age"))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs("master.age.real"), real, 0o600))
	ts.Check(os.Rename(filepath.Join(attacker, mp.DB), filepath.Join(victim, mp.DB)))
	ts.Check(os.WriteFile(filepath.Join(victim, "master.age"), planted, 0o600))
}

// cmdFlipByte inverts the low bit of one byte of a file in place, so the
// file surely differs from before: flipbyte FILE OFFSET, a negative offset
// counting from the end (-1 is the last byte).
func cmdFlipByte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: flipbyte FILE OFFSET")
	}
	name := ts.MkAbs(args[0])
	off, err := strconv.Atoi(args[1])
	ts.Check(err)
	b, err := os.ReadFile(name)
	ts.Check(err)
	if off < 0 {
		off += len(b)
	}
	if off < 0 || off >= len(b) {
		ts.Fatalf("flipbyte: offset %s is outside %s (%d bytes)", args[1], args[0], len(b))
	}
	b[off] ^= 1
	ts.Check(os.WriteFile(name, b, 0o600))
}
