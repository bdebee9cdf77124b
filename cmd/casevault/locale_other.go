//go:build !windows

package main

// systemLocale is the locale of the system when no environment variable
// names one: none on Unix, where the environment is the locale.
func systemLocale() string { return "" }
