package main

import (
	"errors"
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newRemoteAddCmd(g *globals) *cobra.Command {
	var endpoint, credFile string
	cmd := &cobra.Command{
		Use:   "add NAME s3://BUCKET/PREFIX --endpoint URL [--credentials FILE]",
		Short: "Add an S3-compatible object store to sync with",
		Long: `Add a remote. The credentials come from --credentials FILE (two lines, access
key then secret, or an AWS credentials file with aws_access_key_id and
aws_secret_access_key), else from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
They are stored sealed in the vault with the address.`,
		Example: `  casevault remote add office s3://casevault/memorial --endpoint http://127.0.0.1:8333 --credentials s3.txt
  AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... casevault remote add office s3://casevault/memorial --endpoint https://s3.example.org`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if endpoint == "" {
				return usagef("no --endpoint: give the object store's address, such as --endpoint https://s3.example.org")
			}
			var cred vault.Credentials
			if credFile != "" {
				b, err := readSmall(credFile, 64<<10)
				if err != nil {
					return fmt.Errorf("--credentials %s: %w", credFile, err)
				}
				g.warnIfReadableByOthers(credFile, "credentials file")
				if cred, err = vault.ParseCredentials(b); err != nil {
					return fmt.Errorf("--credentials %s: %w", credFile, err)
				}
			} else {
				cred = vault.Credentials{AccessKey: g.env.getenv("AWS_ACCESS_KEY_ID"), Secret: g.env.getenv("AWS_SECRET_ACCESS_KEY")}
			}
			if cred.AccessKey == "" || cred.Secret == "" {
				return withCode(errors.New("no credentials for the remote"), exitInvalid,
					"give --credentials FILE (access key and secret on two lines) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			r, err := v.AddRemote(args[0], args[1], endpoint, cred)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(remoteJSON(r))
			}
			fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("added remote %s: %s at %s", r.Name, plain(r.URL()), plain(r.Endpoint))))
			return nil
		},
	}
	cmd.Flags().StringVar(&endpoint, "endpoint", "", "the object store's address: http(s)://HOST[:PORT]")
	cmd.Flags().StringVar(&credFile, "credentials", "", "file with the access key and secret (else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	return cmd
}

func remoteJSON(r *vault.Remote) map[string]any {
	return map[string]any{"name": r.Name, "url": r.URL(), "endpoint": r.Endpoint, "access_key": r.AccessKey, "added": r.Added}
}
