package main

import "github.com/spf13/cobra"

func newRemoteCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remote",
		Short: "S3-compatible object stores this vault syncs with",
		Long: `A remote is a bucket (and prefix) in an S3-compatible object store (SeaweedFS,
MinIO, Ceph, AWS S3, ...). Everything casevault puts there is sealed on this
machine first under keys derived from the vault's master key; object names are
random. The store's operator sees the number and sizes of objects and when
they change, nothing else (SECURITY.md, "Sync through object storage").

The remote's address and credentials are kept sealed in the vault.
Credentials are read from --credentials FILE or the environment variables
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never from the command line.`,
		Example: `  AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... casevault remote add office s3://casevault/memorial --endpoint https://s3.example.org
  casevault remote add office s3://casevault/memorial --endpoint http://127.0.0.1:8333 --credentials ~/.config/casevault/s3.txt
  casevault remote list --json
  casevault sync office`,
	}
	for _, add := range []func(*globals) *cobra.Command{newRemoteAddCmd, newRemoteListCmd, newRemoteRmCmd} {
		cmd.AddCommand(add(g))
	}
	return cmd
}
