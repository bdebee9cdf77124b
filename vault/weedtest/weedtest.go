// Package weedtest starts a real SeaweedFS server ("weed server" with its
// S3 gateway) on 127.0.0.1 for the sync tests: free ports, a temporary
// data directory, one access key. It does not import testing: the tests
// decide whether a missing binary skips or fails (it fails when CI is set).
package weedtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Test credentials of the server's one identity.
const (
	AccessKey = "casevault-test"
	SecretKey = "casevault-test-secret-0123456789"
)

// Find returns the weed binary: $CASEVAULT_TEST_WEED, else weed on PATH.
func Find() (string, error) {
	if p := os.Getenv("CASEVAULT_TEST_WEED"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CASEVAULT_TEST_WEED=%s: %w", p, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("weed")
	if err != nil {
		return "", errors.New("no SeaweedFS 'weed' binary on PATH and CASEVAULT_TEST_WEED unset (.ci/setup builds it; see README, 'Sync through object storage')")
	}
	return p, nil
}

// A Server is one running weed server.
type Server struct {
	Bin      string
	Dir      string
	Endpoint string // http://127.0.0.1:PORT of the S3 gateway
	args     []string
	ports    []int // s3, master, volume, filer
	cmd      *exec.Cmd
	log      *os.File
}

// freePorts returns n ports free on 127.0.0.1 whose +10000 (weed's gRPC
// ports) are free too.
func freePorts(n int) ([]int, error) {
	var out []int
	var hold []net.Listener
	defer func() {
		for _, l := range hold {
			l.Close()
		}
	}()
	for tries := 0; len(out) < n && tries < 500; tries++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		if p+10000 > 65535 {
			l.Close()
			continue
		}
		g, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		if err != nil {
			l.Close()
			continue
		}
		hold = append(hold, l, g)
		out = append(out, p)
	}
	if len(out) < n {
		return nil, errors.New("no free ports on 127.0.0.1")
	}
	return out, nil
}

// Start starts a weed server with its data in dir and waits until its S3
// gateway answers.
func Start(bin, dir string) (*Server, error) {
	ports, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "s3.json")
	conf := fmt.Sprintf(`{"identities":[{"name":"test","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, AccessKey, SecretKey)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	s := &Server{Bin: bin, Dir: dir, Endpoint: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), ports: ports}
	s.args = []string{"server", "-dir=" + data, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-s3", "-s3.port=" + strconv.Itoa(ports[0]), "-s3.config=" + cfg,
		"-master.port=" + strconv.Itoa(ports[1]), "-volume.port=" + strconv.Itoa(ports[2]),
		"-filer.port=" + strconv.Itoa(ports[3]),
		"-master.volumeSizeLimitMB=256", "-volume.max=64",
		// weed's default marks every volume read-only when the disk has
		// less than 1 % free, and its S3 gateway then answers each write
		// with "internal error" (a CI run lost its sync tests to minutes
		// of retries that way on a 98 % full disk): the tests write a few
		// MB, so an absolute floor is enough.
		"-volume.minFreeSpace=256MiB"}
	return s, s.start()
}

func (s *Server) start() error {
	log, err := os.OpenFile(filepath.Join(s.Dir, "weed.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	s.log = log
	s.cmd = exec.Command(s.Bin, s.args...)
	s.cmd.Stdout, s.cmd.Stderr = log, log
	s.cmd.SysProcAttr = procAttr()
	if err := s.cmd.Start(); err != nil {
		log.Close()
		return err
	}
	return s.wait(3 * time.Minute)
}

// wait polls until a bucket can be listed and made and an object written
// to it (a server whose volumes are read-only, as on a full disk, fails
// here with its log instead of in a test after minutes of retries).
func (s *Server) wait(limit time.Duration) error {
	c, err := minio.New(s.Endpoint[len("http://"):], &minio.Options{Creds: credentials.NewStaticV4(AccessKey, SecretKey, ""),
		BucketLookup: minio.BucketLookupPath, Region: "us-east-1", MaxRetries: 1})
	if err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = c.ListBuckets(ctx)
		if err == nil {
			err = c.MakeBucket(ctx, "readiness-probe", minio.MakeBucketOptions{})
			if err != nil && minio.ToErrorResponse(err).Code == "BucketAlreadyOwnedByYou" {
				err = nil
			}
			if err == nil {
				probe := []byte("ready")
				_, err = c.PutObject(ctx, "readiness-probe", "probe", bytes.NewReader(probe), int64(len(probe)), minio.PutObjectOptions{})
			}
		}
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			s.Kill()
			b, _ := os.ReadFile(filepath.Join(s.Dir, "weed.log"))
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			return fmt.Errorf("weed server did not answer on %s within %v: %v\n%s", s.Endpoint, limit, err, b)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// Client returns an S3 client of the server.
func (s *Server) Client() (*minio.Client, error) {
	return minio.New(s.Endpoint[len("http://"):], &minio.Options{Creds: credentials.NewStaticV4(AccessKey, SecretKey, ""), BucketLookup: minio.BucketLookupPath, Region: "us-east-1"})
}

// Kill stops the server at once (SIGKILL of its process group).
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	killGroup(s.cmd.Process.Pid)
	s.cmd.Wait()
	s.cmd = nil
	s.log.Close()
}

// Restart kills the server and starts it again on the same ports and data.
func (s *Server) Restart() error {
	s.Kill()
	return s.start()
}

// removeSockets removes the unix sockets weed makes in /tmp for its gRPC
// ports (it replaces stale ones itself when it starts again).
func (s *Server) removeSockets() {
	for i, name := range []string{"s3", "master", "volume", "filer"} {
		os.Remove(fmt.Sprintf("/tmp/seaweedfs-%s-grpc-%d.sock", name, s.ports[i]+10000))
	}
}

// Stop ends the server.
func (s *Server) Stop() {
	defer s.removeSockets()
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		killGroup(s.cmd.Process.Pid)
		<-done
	}
	s.cmd = nil
	s.log.Close()
}
