//go:build !unix

package main

// privateUmask does nothing where files have no Unix permissions.
func privateUmask() {}
