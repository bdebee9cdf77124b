// Package agent is the unlock agent: it keeps a vault's identity in memory
// for a working session and serves it over a private Unix socket to
// processes of the same user. It knows nothing of the vault's store.
package agent

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casevault/casevault/crypto"
)

// The unlock agent keeps a vault's identity in memory so that commands run
// in a working session need no passphrase. It listens on a Unix socket in
// a private runtime directory, one socket per vault, and answers only
// processes of the same user (SO_PEERCRED on Linux, LOCAL_PEERCRED on
// macOS; see agent_linux.go, agent_darwin.go). On Windows there is no
// agent (agent_other.go). See SECURITY.md, "Unlock agent".
//
// Protocol: one request line, one reply line.
//
//	IDENTITY -> OK <age secret key>      the vault's identity, or a plugin
//	                                      member's session (vault.AgentSecret)
//	STATUS   -> OK <expiry, Unix seconds>
//	LOCK     -> OK                        and the agent exits
//
// Anything else, or a peer of another user, gets "ERR <reason>". A request
// line is at most maxAgentRequest bytes and must arrive within
// agentReadTimeout; connections are served concurrently.

// MaxDuration bounds how long an agent may hold a key.
const MaxDuration = 24 * time.Hour

// ErrNoAgent is returned when no unlock agent runs for a vault.
var ErrNoAgent = errors.New("no unlock agent is running for this vault")

// ErrUnavailable is returned where the platform has no unlock agent.
var ErrUnavailable = errors.New("the unlock agent is not available on " + agentPlatform)

// RuntimeDir returns the private directory for agent sockets:
// $XDG_RUNTIME_DIR/casevault, or /tmp/casevault-<uid>. With create it is
// made 0700; an existing directory must be a real directory owned by this
// user and closed to everyone else. Where the agent is not available
// (Windows) it returns [ErrUnavailable].
func RuntimeDir(xdgRuntimeDir string, create bool) (string, error) {
	if !agentAvailable {
		return "", ErrUnavailable
	}
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
	switch {
	case !st.IsDir():
		return "", fmt.Errorf("agent runtime directory %s is not a directory", dir)
	case !ownedByMe(st):
		return "", fmt.Errorf("agent runtime directory %s belongs to another user", dir)
	case st.Mode().Perm()&0o077 != 0:
		return "", fmt.Errorf("agent runtime directory %s is open to other users (mode %o)", dir, st.Mode().Perm())
	}
	return dir, nil
}

// Socket returns the socket path of the agent for the vault in
// vaultDir: a hash of the vault's absolute path, so that the name reveals
// nothing about where the vault is.
func Socket(runtimeDir, vaultDir string) (string, error) {
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

// maxAgentRequest bounds a request line: the longest request is 9 bytes.
const maxAgentRequest = 64

// maxAgentConns bounds the connections the agent serves at once; more wait
// in the listen queue.
const maxAgentConns = 16

// agentReadTimeout is how long the agent waits for a request line, and
// agentClientTimeout how long a client waits for the agent's answer before
// it asks for the passphrase instead.
const (
	agentReadTimeout   = 2 * time.Second
	agentClientTimeout = 3 * time.Second
)

// An Agent serves one vault's identity until it is locked or expires.
type Agent struct {
	ln     net.Listener
	secret []byte // the identity file text, best kept in a LockedBuffer
	d      time.Duration
	done   chan struct{}

	mu    sync.Mutex // guards life and why
	life  *agentLifetime
	why   string // why the agent stopped, once it has
	clock func() clockReading

	readTimeout time.Duration
	tick        time.Duration
}

// Listen starts listening on socket for requests for the identity
// whose text is secret (as age-keygen writes it), which it will serve for
// d. A stale socket file (no agent behind it) is replaced; a live agent is
// an error.
func Listen(socket string, secret []byte, d time.Duration) (*Agent, error) {
	if d <= 0 || d > MaxDuration {
		return nil, fmt.Errorf("agent duration %s is out of range (up to %s)", d, MaxDuration)
	}
	if !agentAvailable {
		return nil, ErrUnavailable
	}
	if c, err := net.DialTimeout("unix", socket, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("an unlock agent is already running on %s", socket)
	}
	_ = os.Remove(socket)
	ln, err := listenPrivate(socket)
	if err != nil {
		return nil, fmt.Errorf("agent socket: %w", err)
	}
	return &Agent{ln: ln, secret: secret, d: d, done: make(chan struct{}), clock: readClocks,
		readTimeout: agentReadTimeout, tick: agentTick}, nil
}

// Until returns when the agent expires by the wall clock, unless a
// suspend ends it earlier.
func (a *Agent) Until() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.life == nil {
		return a.clock().wall.Add(a.d)
	}
	return a.life.until()
}

// Serve answers requests, each connection on its own goroutine, until the
// agent is locked, expires or sees the machine was suspended; then it
// removes the socket.
func (a *Agent) Serve() error {
	a.mu.Lock()
	if a.life == nil {
		a.life = newAgentLifetime(a.d, a.clock())
	}
	a.mu.Unlock()
	defer a.ln.Close()
	go a.watch()
	slots := make(chan struct{}, maxAgentConns)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := a.ln.Accept()
		if err != nil {
			select {
			case <-a.done:
				return nil
			default:
			}
			return err
		}
		select {
		case slots <- struct{}{}:
		case <-a.done:
			c.Close()
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			a.handle(c)
		}()
	}
}

// watch looks at the clocks every tick and stops the agent when its time
// is up or the machine was asleep.
func (a *Agent) watch() {
	t := time.NewTicker(a.tick)
	defer t.Stop()
	for {
		select {
		case <-a.done:
			return
		case <-t.C:
			if a.expired() != "" {
				return
			}
		}
	}
}

// expired checks the clocks and stops the agent if its time is up; it
// returns why, or "".
func (a *Agent) expired() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.why != "" {
		return a.why
	}
	if why := a.life.check(a.clock()); why != "" {
		a.why = why
		a.stopLocked()
	}
	return a.why
}

func (a *Agent) stop(why string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.why == "" {
		a.why = why
	}
	a.stopLocked()
}

func (a *Agent) stopLocked() {
	select {
	case <-a.done:
	default:
		close(a.done)
		a.ln.Close()
	}
}

// readRequest reads one request line of at most maxAgentRequest bytes.
func readRequest(c net.Conn) (string, error) {
	buf := make([]byte, maxAgentRequest)
	n := 0
	for n < len(buf) {
		m, err := c.Read(buf[n:])
		n += m
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return strings.TrimSpace(string(buf[:i])), nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", errRequestTooLong
}

var errRequestTooLong = errors.New("request too long")

func (a *Agent) handle(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(a.readTimeout))
	uid, err := peerUID(c)
	if err != nil || uid != os.Getuid() {
		fmt.Fprintf(c, "ERR this agent serves only user %d\n", os.Getuid())
		return
	}
	req, err := readRequest(c)
	if errors.Is(err, errRequestTooLong) {
		fmt.Fprintf(c, "ERR request longer than %d bytes\n", maxAgentRequest)
		return
	}
	if err != nil {
		return
	}
	// Writing the answer gets its own deadline: a slow reader cannot hold
	// a slot for long either.
	_ = c.SetDeadline(time.Now().Add(a.readTimeout))
	switch req {
	case "IDENTITY":
		if why := a.expired(); why != "" {
			fmt.Fprintln(c, "ERR "+why)
			return
		}
		c.Write([]byte("OK "))
		c.Write(a.secret)
		c.Write([]byte("\n"))
	case "STATUS":
		if why := a.expired(); why != "" {
			fmt.Fprintln(c, "ERR "+why)
			return
		}
		fmt.Fprintf(c, "OK %d\n", a.Until().Unix())
	case "LOCK":
		fmt.Fprintln(c, "OK")
		a.stop("locked")
	default:
		fmt.Fprintln(c, "ERR unknown request")
	}
}

// agentRequest sends one request to the agent on socket and returns the
// text after "OK ". It returns ErrNoAgent if nothing listens there, and an
// error when the agent does not answer within agentClientTimeout.
func agentRequest(socket, req string) (string, error) {
	if !agentAvailable {
		return "", ErrNoAgent
	}
	if _, err := os.Lstat(socket); err != nil {
		return "", ErrNoAgent
	}
	c, err := net.DialTimeout("unix", socket, agentClientTimeout)
	if err != nil {
		return "", ErrNoAgent
	}
	defer c.Close()
	// The agent must run as this user too: a socket planted by someone
	// else is not asked for anything.
	if uid, err := peerUID(c); err != nil || uid != os.Getuid() {
		return "", fmt.Errorf("agent socket %s is served by another user", socket)
	}
	_ = c.SetDeadline(time.Now().Add(agentClientTimeout))
	if _, err := fmt.Fprintln(c, req); err != nil {
		return "", err
	}
	line, err := bufio.NewReaderSize(io.LimitReader(c, 64<<10), 64<<10).ReadString('\n')
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "", fmt.Errorf("the agent did not answer within %s", agentClientTimeout)
		}
		return "", fmt.Errorf("agent: %w", err)
	}
	line = strings.TrimRight(line, "\n")
	if rest, ok := strings.CutPrefix(line, "OK"); ok {
		return strings.TrimPrefix(rest, " "), nil
	}
	return "", fmt.Errorf("agent: %s", strings.TrimPrefix(line, "ERR "))
}

// Identity asks the agent on socket for the identity it holds.
func Identity(socket string) (*crypto.Identity, error) {
	s, err := agentRequest(socket, "IDENTITY")
	if err != nil {
		return nil, err
	}
	b := []byte(s)
	id, err := crypto.ParseIdentity(b)
	crypto.Wipe(b)
	return id, err
}

// Secret asks the agent on socket for what it holds, as it holds it: an
// identity's text or a plugin member's session (vault.AgentSecret). The
// caller wipes it.
func Secret(socket string) ([]byte, error) {
	s, err := agentRequest(socket, "IDENTITY")
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// Status returns when the agent on socket expires.
func Status(socket string) (time.Time, error) {
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

// Lock tells the agent on socket to forget the identity and exit.
func Lock(socket string) error {
	_, err := agentRequest(socket, "LOCK")
	return err
}
