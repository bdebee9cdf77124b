//go:build unix

package vault

import "syscall"

func mkfifoForTest(p string) error { return syscall.Mkfifo(p, 0o600) }
