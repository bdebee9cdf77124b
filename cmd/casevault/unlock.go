package main

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/casevault/casevault/crypto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/agent"
	"github.com/spf13/cobra"
)

func newUnlockCmd(g *globals) *cobra.Command {
	var d time.Duration
	cmd := &cobra.Command{
		Use:   "unlock [--for 15m]",
		Short: "Keep the vault unlocked for a working session",
		Long: `Ask for the passphrase once and keep the unlocked identity in a small
background agent, so that the commands that follow need no passphrase. The
agent answers only processes of the same user, over a Unix socket in a
private runtime directory, and forgets the key when the time is up or at
'casevault lock'. While it runs, any program running as this user can use the
vault: lock it when you step away.

A staff member unlocks with their own identity (--identity FILE). With an age
plugin identity (a hardware key) the plugin is asked once, at unlock; the
agent then holds the session it opened, and the commands that follow do not
call the plugin. If the owner changes the member's key file meanwhile, unlock
again.`,
		Example: `  casevault unlock --for 30m
  casevault case list
  casevault lock
  casevault --identity hw.key unlock --for 1h   # a staff member's plugin identity`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runUnlock(g, d) },
	}
	cmd.Flags().DurationVar(&d, "for", 15*time.Minute, "how long the vault stays unlocked (at most 24h)")
	return cmd
}

func runUnlock(g *globals, d time.Duration) error {
	if d <= 0 || d > agent.MaxDuration {
		return usagef("--for %s: give a duration between 1s and 24h", d)
	}
	dir, err := g.resolveVaultDir()
	if err != nil {
		return err
	}
	if err := vault.CheckFormat(dir); err != nil {
		return err
	}
	sock, err := g.agentSocket(dir, true)
	if err != nil {
		return err
	}
	// The agent is never asked: unlocking proves the passphrase (or
	// identity file) anew.
	u := vault.Unlock{Passphrase: func() ([]byte, error) { return g.passphrase("passphrase for the vault: ", false) }}
	if f := g.identityFile(); f != "" {
		u = vault.Unlock{IdentityFile: f, PluginUI: g.pluginUI()}
	}
	// An identity's text, or for a staff member with an age plugin
	// identity the session its two plugin calls opened.
	secret, err := vault.AgentSecret(dir, u)
	if err != nil {
		return err
	}
	defer crypto.Wipe(secret)
	if err := agent.Lock(sock); err != nil && !errors.Is(err, agent.ErrNoAgent) {
		return err
	}
	exe, err := selfExecutable()
	if err != nil {
		return err
	}
	// The identity goes to the agent through a pipe (fd 3), never argv or
	// the environment; the agent says "ready" on another pipe (fd 4).
	idR, idW, err := os.Pipe()
	if err != nil {
		return err
	}
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return err
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	abs, _ := filepath.Abs(dir)
	c := exec.Command(exe, "agent", "--socket", sock, "--for", d.String())
	c.Stdin, c.Stdout, c.Stderr = null, null, null
	c.ExtraFiles = []*os.File{idR, readyW}
	c.Dir = "/"
	c.Env = agentEnv()
	c.SysProcAttr = detachedProcAttr()
	if err := c.Start(); err != nil {
		idR.Close()
		idW.Close()
		readyR.Close()
		readyW.Close()
		return fmt.Errorf("starting the unlock agent: %w", err)
	}
	idR.Close()
	readyW.Close()
	_, werr := idW.Write(append(secret, '\n'))
	idW.Close()
	_ = c.Process.Release()
	if werr != nil {
		readyR.Close()
		return fmt.Errorf("unlock agent: %w", werr)
	}
	msg := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(readyR).ReadString('\n')
		msg <- strings.TrimSpace(line)
	}()
	var status string
	select {
	case status = <-msg:
	case <-time.After(10 * time.Second):
		status = "no answer within 10 seconds"
	}
	readyR.Close()
	if !strings.HasPrefix(status, "ready") {
		if status == "" {
			status = "it exited"
		}
		return fmt.Errorf("unlock agent did not start: %s", status)
	}
	if w := strings.TrimSpace(strings.TrimPrefix(status, "ready")); w != "" {
		g.warnf("unlock agent: %s", w)
	}
	until := time.Now().Add(d).Round(time.Second)
	if g.json {
		return g.printJSON(map[string]any{"vault": abs, "until": until.UTC()})
	}
	g.infof("vault unlocked until %s; 'casevault lock' locks it now", until.Format("15:04:05"))
	return nil
}

// identityFile is the identity file named by --identity or
// $CASEVAULT_IDENTITY.
func (g *globals) identityFile() string {
	if g.identity != "" {
		return g.identity
	}
	return g.env.getenv("CASEVAULT_IDENTITY")
}

// selfExecutable returns the path of the running casevault for re-running
// it as the agent: the command as invoked (found in PATH if it has no
// slash), else os.Executable.
func selfExecutable() (string, error) {
	if a := os.Args[0]; a != "" {
		if strings.Contains(a, "/") {
			return filepath.Abs(a)
		}
		if p, err := exec.LookPath(a); err == nil {
			return filepath.Abs(p)
		}
	}
	return os.Executable()
}

// agentEnv is the environment of the agent: only what locating the
// runtime directory and running needs; no passphrase file, no identity.
func agentEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "XDG_RUNTIME_DIR", "TMPDIR", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func newLockCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "lock",
		Short:   "End the unlock agent: the vault needs the passphrase again",
		Example: `  casevault lock`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.resolveVaultDir()
			if err != nil {
				return err
			}
			sock, err := g.agentSocket(dir, false)
			if err == nil {
				err = agent.Lock(sock)
			}
			if err != nil && !errors.Is(err, agent.ErrNoAgent) && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if err != nil {
				g.infof("the vault was not unlocked (no agent running)")
				return nil
			}
			g.infof("vault locked")
			return nil
		},
	}
}
