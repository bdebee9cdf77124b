package vault

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/casevault/casevault/crypto"
	"golang.org/x/sys/unix"
)

// The unlock agent keeps a vault's identity in memory so that commands run
// in a working session need no passphrase. It listens on a Unix socket in
// a private runtime directory, one socket per vault, and answers only
// processes of the same user (checked with SO_PEERCRED). See SECURITY.md,
// "Unlock agent".
//
// Protocol: one request line, one reply line.
//
//	IDENTITY -> OK <age secret key>      the vault's identity
//	STATUS   -> OK <expiry, Unix seconds>
//	LOCK     -> OK                        and the agent exits
//
// Anything else, or a peer of another user, gets "ERR <reason>".

// MaxAgentDuration bounds how long an agent may hold a key.
const MaxAgentDuration = 24 * time.Hour

// ErrNoAgent is returned when no unlock agent runs for a vault.
var ErrNoAgent = errors.New("no unlock agent is running for this vault")

// AgentRuntimeDir returns the private directory for agent sockets:
// $XDG_RUNTIME_DIR/casevault, or /tmp/casevault-<uid>. With create it is
// made 0700; an existing directory must be a real directory owned by this
// user and closed to everyone else.
func AgentRuntimeDir(xdgRuntimeDir string, create bool) (string, error) {
	dir := filepath.Join(os.TempDir(), "casevault-"+strconv.Itoa(os.Getuid()))
	if xdgRuntimeDir != "" && filepath.IsAbs(xdgRuntimeDir) {
		dir = filepath.Join(xdgRuntimeDir, "casevault")
	}
	if create {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("agent runtime directory: %w", err)
		}
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	switch {
	case !st.IsDir():
		return "", fmt.Errorf("agent runtime directory %s is not a directory", dir)
	case !ok || int(sys.Uid) != os.Getuid():
		return "", fmt.Errorf("agent runtime directory %s belongs to another user", dir)
	case st.Mode().Perm()&0o077 != 0:
		return "", fmt.Errorf("agent runtime directory %s is open to other users (mode %o)", dir, st.Mode().Perm())
	}
	return dir, nil
}

// AgentSocket returns the socket path of the agent for the vault in
// vaultDir: a hash of the vault's absolute path, so that the name reveals
// nothing about where the vault is.
func AgentSocket(runtimeDir, vaultDir string) (string, error) {
	abs, err := filepath.Abs(vaultDir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	h := sha256.Sum256([]byte("casevault agent v1\x00" + abs))
	p := filepath.Join(runtimeDir, hex.EncodeToString(h[:8])+".sock")
	if len(p) > 100 {
		return "", fmt.Errorf("agent socket path %s is too long for a Unix socket; set XDG_RUNTIME_DIR to a shorter directory", p)
	}
	return p, nil
}

// An Agent serves one vault's identity until it is locked or expires.
type Agent struct {
	ln     *net.UnixListener
	path   string
	secret []byte // the identity file text, best kept in a LockedBuffer
	until  time.Time
	done   chan struct{}
}

// ListenAgent starts listening on socket for requests for the identity
// whose text is secret (as age-keygen writes it), which it will serve for
// d. A stale socket file (no agent behind it) is replaced; a live agent is
// an error.
func ListenAgent(socket string, secret []byte, d time.Duration) (*Agent, error) {
	if d <= 0 || d > MaxAgentDuration {
		return nil, fmt.Errorf("agent duration %s is out of range (up to %s)", d, MaxAgentDuration)
	}
	if c, err := net.DialTimeout("unix", socket, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("an unlock agent is already running on %s", socket)
	}
	_ = os.Remove(socket)
	old := syscall.Umask(0o177)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("agent socket: %w", err)
	}
	ln.SetUnlinkOnClose(true)
	if err := os.Chmod(socket, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return &Agent{ln: ln, path: socket, secret: secret, until: time.Now().Add(d), done: make(chan struct{})}, nil
}

// HardenProcess keeps the current process from leaking its memory: no
// core dumps and no ptrace attach by other processes of the user
// (PR_SET_DUMPABLE 0), and a core size limit of zero. It returns the first
// error, for the caller to report; none is fatal.
func HardenProcess() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE): %w", err)
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("no core dumps: %w", err)
	}
	return nil
}

// LockedBuffer returns n bytes of memory outside the Go heap, locked
// against swapping (mlock) and left out of core dumps (MADV_DONTDUMP), for
// a secret. The error of mlock is returned with a usable buffer: the secret
// may then be swapped out. Free it with FreeLocked.
func LockedBuffer(n int) ([]byte, error) {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	_ = unix.Madvise(b, unix.MADV_DONTDUMP)
	if err := unix.Mlock(b); err != nil {
		return b, fmt.Errorf("mlock: %w (the key may be swapped out)", err)
	}
	return b, nil
}

// FreeLocked wipes and unmaps a buffer from LockedBuffer.
func FreeLocked(b []byte) {
	crypto.Wipe(b)
	_ = unix.Munlock(b)
	_ = unix.Munmap(b)
}

// Until returns when the agent expires.
func (a *Agent) Until() time.Time { return a.until }

// Serve answers requests until the agent is locked or expires, then removes
// the socket.
func (a *Agent) Serve() error {
	defer a.ln.Close()
	timer := time.AfterFunc(time.Until(a.until), func() { a.stop() })
	defer timer.Stop()
	for {
		c, err := a.ln.AcceptUnix()
		if err != nil {
			select {
			case <-a.done:
				return nil
			default:
			}
			return err
		}
		a.handle(c)
	}
}

func (a *Agent) stop() {
	select {
	case <-a.done:
	default:
		close(a.done)
		a.ln.Close()
	}
}

func (a *Agent) handle(c *net.UnixConn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	uid, err := peerUID(c)
	if err != nil || uid != os.Getuid() {
		fmt.Fprintf(c, "ERR this agent serves only user %d\n", os.Getuid())
		return
	}
	line, err := bufio.NewReaderSize(c, 256).ReadString('\n')
	if err != nil {
		return
	}
	switch strings.TrimSpace(line) {
	case "IDENTITY":
		if time.Now().After(a.until) {
			fmt.Fprintln(c, "ERR expired")
			a.stop()
			return
		}
		c.Write([]byte("OK "))
		c.Write(a.secret)
		c.Write([]byte("\n"))
	case "STATUS":
		fmt.Fprintf(c, "OK %d\n", a.until.Unix())
	case "LOCK":
		fmt.Fprintln(c, "OK")
		a.stop()
	default:
		fmt.Fprintln(c, "ERR unknown request")
	}
}

// peerUID returns the user ID of the process at the other end of c.
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Ucred
	var cerr error
	err = raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	})
	if err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, cerr
	}
	return int(cred.Uid), nil
}

// agentRequest sends one request to the agent on socket and returns the
// text after "OK ". It returns ErrNoAgent if nothing listens there.
func agentRequest(socket, req string) (string, error) {
	if _, err := os.Lstat(socket); err != nil {
		return "", ErrNoAgent
	}
	conn, err := net.DialTimeout("unix", socket, 2*time.Second)
	if err != nil {
		return "", ErrNoAgent
	}
	c := conn.(*net.UnixConn)
	defer c.Close()
	// The agent must run as this user too: a socket planted by someone
	// else is not asked for anything.
	if uid, err := peerUID(c); err != nil || uid != os.Getuid() {
		return "", fmt.Errorf("agent socket %s is served by another user", socket)
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprintln(c, req); err != nil {
		return "", err
	}
	line, err := bufio.NewReaderSize(c, 64<<10).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("agent: %w", err)
	}
	line = strings.TrimRight(line, "\n")
	if rest, ok := strings.CutPrefix(line, "OK"); ok {
		return strings.TrimPrefix(rest, " "), nil
	}
	return "", fmt.Errorf("agent: %s", strings.TrimPrefix(line, "ERR "))
}

// AgentIdentity asks the agent on socket for the identity it holds.
func AgentIdentity(socket string) (*crypto.Identity, error) {
	s, err := agentRequest(socket, "IDENTITY")
	if err != nil {
		return nil, err
	}
	b := []byte(s)
	id, err := crypto.ParseIdentity(b)
	crypto.Wipe(b)
	return id, err
}

// AgentStatus returns when the agent on socket expires.
func AgentStatus(socket string) (time.Time, error) {
	s, err := agentRequest(socket, "STATUS")
	if err != nil {
		return time.Time{}, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("agent: bad status %q", s)
	}
	return time.Unix(n, 0), nil
}

// LockAgent tells the agent on socket to forget the identity and exit.
func LockAgent(socket string) error {
	_, err := agentRequest(socket, "LOCK")
	return err
}
