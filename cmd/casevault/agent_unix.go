//go:build unix

package main

import "syscall"

// detachedProcAttr starts the agent in a session of its own, so that
// closing the terminal (SIGHUP to its session) does not end it.
func detachedProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
