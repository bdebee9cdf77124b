package main

import "github.com/casevault/casevault/crypto"

// agentIdentity asks a running unlock agent for the identity of the vault
// in dir. It returns nil when there is none.
func (g *globals) agentIdentity(dir string) *crypto.Identity { return nil }
