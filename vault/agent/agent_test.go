package agent

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
)

func startAgent(t *testing.T, d time.Duration) (string, *crypto.Identity, chan error) {
	t.Helper()
	sock, id, a := newTestAgent(t, d)
	done := make(chan error, 1)
	go func() { done <- a.Serve() }()
	return sock, id, done
}

// newTestAgent listens on a real socket in a private runtime directory;
// the caller may change the agent's clock or timeouts before Serve.
func newTestAgent(t *testing.T, d time.Duration) (string, *crypto.Identity, *Agent) {
	t.Helper()
	rt, err := RuntimeDir(t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	sock, err := Socket(rt, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	id, err := crypto.GenerateIdentity(true)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Listen(sock, []byte(id.String()), d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.stop("test over") })
	return sock, id, a
}

func TestAgentServesAndLocks(t *testing.T) {
	sock, id, done := startAgent(t, time.Minute)
	if st, err := os.Stat(sock); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v %v", st, err)
	}
	got, err := Identity(sock)
	if err != nil || got.String() != id.String() {
		t.Fatalf("identity: %v", err)
	}
	until, err := Status(sock)
	if err != nil || time.Until(until) < 50*time.Second {
		t.Fatalf("status %v %v", until, err)
	}
	if _, err := Listen(sock, []byte(id.String()), time.Minute); err == nil {
		t.Fatal("a second agent started on a live socket")
	}
	if err := Lock(sock); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("agent did not stop")
	}
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket left behind: %v", err)
	}
	if _, err := Identity(sock); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("after lock: %v", err)
	}
}

func TestAgentExpires(t *testing.T) {
	sock, _, done := startAgent(t, 300*time.Millisecond)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("agent did not expire")
	}
	if _, err := Identity(sock); !errors.Is(err, ErrNoAgent) {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestAgentRuntimeDirChecks(t *testing.T) {
	base := t.TempDir()
	open := filepath.Join(base, "casevault")
	os.Mkdir(open, 0o755)
	if _, err := RuntimeDir(base, true); err == nil || !strings.Contains(err.Error(), "open to other users") {
		t.Errorf("open directory accepted: %v", err)
	}
	base2 := t.TempDir()
	os.Symlink(base, filepath.Join(base2, "casevault"))
	if _, err := RuntimeDir(base2, true); err == nil {
		t.Error("symlinked runtime directory accepted")
	}
	if _, err := RuntimeDir(t.TempDir(), false); err == nil {
		t.Error("missing directory accepted without create")
	}
	if _, err := Socket("/"+strings.Repeat("x", 120), "/v"); err == nil {
		t.Error("overlong socket path accepted")
	}
	a, _ := Socket("/run", "/a/vault")
	b, _ := Socket("/run", "/b/vault")
	if a == b || strings.Contains(a, "vault") {
		t.Errorf("socket names %s %s", a, b)
	}
}

func TestLockedBuffer(t *testing.T) {
	b, err := LockedBuffer(4096)
	if b == nil {
		t.Fatal(err)
	}
	copy(b, "secret")
	FreeLocked(b)
}
