// Command age-plugin-cvtest is an age plugin for casevault's tests (built
// by the script command ageplugin, never shipped): its identities and
// recipients carry a native X25519 identity and recipient in their data,
// as a hardware token's plugin carries a slot's public key, and it wraps
// and unwraps with them through age's plugin protocol. It logs every
// invocation to $CVTEST_PLUGIN_LOG when set, so a test can tell that the
// plugin ran.
package main

import (
	"fmt"
	"os"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

func main() {
	if f := os.Getenv("CVTEST_PLUGIN_LOG"); f != "" {
		if l, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			fmt.Fprintln(l, os.Args[1:])
			l.Close()
		}
	}
	if len(os.Args) == 3 && os.Args[1] == "--generate" {
		// age-plugin-cvtest --generate FILE: a new identity file.
		id, err := age.GenerateX25519Identity()
		if err != nil {
			fatal(err)
		}
		r := plugin.EncodeRecipient("cvtest", []byte(id.Recipient().String()))
		i := plugin.EncodeIdentity("cvtest", []byte(id.String()))
		body := fmt.Sprintf("# made by age-plugin-cvtest\n#    Recipient: %s\n%s\n", r, i)
		if err := os.WriteFile(os.Args[2], []byte(body), 0o600); err != nil {
			fatal(err)
		}
		return
	}
	p, err := plugin.New("cvtest")
	if err != nil {
		fatal(err)
	}
	p.HandleRecipient(func(data []byte) (age.Recipient, error) {
		return age.ParseX25519Recipient(string(data))
	})
	p.HandleIdentity(func(data []byte) (age.Identity, error) {
		return age.ParseX25519Identity(string(data))
	})
	os.Exit(p.Main())
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "age-plugin-cvtest:", err)
	os.Exit(1)
}
