package main

import "syscall"

// detachedProcAttr is never used to start an agent on Windows (there is
// none: agent.ErrUnavailable); it exists for the build.
func detachedProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{HideWindow: true} }
