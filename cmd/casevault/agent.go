package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/agent"
	"github.com/spf13/cobra"
)

// maxAgentSecret bounds the identity text or session the agent holds.
const maxAgentSecret = vault.MaxAgentSecret + 1

// newAgentCmd is the hidden command that 'casevault unlock' starts in the
// background: it reads the identity from fd 3, reports on fd 4 and serves
// the identity on the socket until it is locked or expires.
func newAgentCmd(g *globals) *cobra.Command {
	var socket string
	var d time.Duration
	cmd := &cobra.Command{
		Use:    "agent --socket PATH --for DURATION",
		Short:  "Unlock agent (started by 'casevault unlock')",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ready := os.NewFile(4, "ready")
			idPipe := os.NewFile(3, "identity")
			if ready == nil || idPipe == nil {
				return errors.New("the agent is started by 'casevault unlock'")
			}
			report := func(s string) {
				fmt.Fprintln(ready, s)
				ready.Close()
			}
			var warnings []string
			if err := agent.HardenProcess(); err != nil {
				warnings = append(warnings, err.Error())
			}
			// The identity text lives in locked memory outside the Go heap;
			// it is parsed once to check it and then only copied out.
			buf, err := agent.LockedBuffer(maxAgentSecret)
			if buf == nil {
				report("error: " + err.Error())
				return err
			}
			defer agent.FreeLocked(buf)
			if err != nil {
				warnings = append(warnings, err.Error())
			}
			n, err := io.ReadFull(idPipe, buf)
			idPipe.Close()
			if err != io.ErrUnexpectedEOF {
				report("error: the identity is missing or too long")
				return errors.New("bad identity from unlock")
			}
			secret := bytes.TrimSpace(buf[:n])
			if err := vault.CheckAgentSecret(secret); err != nil {
				report("error: " + err.Error())
				return err
			}
			a, err := agent.Listen(socket, secret, d)
			if err != nil {
				report("error: " + err.Error())
				return err
			}
			warning := strings.Join(warnings, "; ")
			report("ready " + warning)
			return a.Serve()
		},
	}
	cmd.Flags().StringVar(&socket, "socket", "", "socket path")
	cmd.Flags().DurationVar(&d, "for", 15*time.Minute, "lifetime")
	return cmd
}
