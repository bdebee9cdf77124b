package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// errUnknownWitness is a witness file signed by a key of no known partner,
// refused unless --accept-unknown-witness.
var errUnknownWitness = errors.New("the witness file is signed by a key of no organisation this vault knows")

// auditVerifyJSON is the --json result of audit verify.
type auditVerifyJSON struct {
	OK      bool             `json:"ok"`
	Entries int              `json:"entries"`
	Head    *vault.AuditHead `json:"head,omitempty"`
	Break   *auditBreakJSON  `json:"break,omitempty"`
	Witness *witnessJSON     `json:"witness,omitempty"`
}

type auditBreakJSON struct {
	Seq    uint64 `json:"seq"`
	Reason string `json:"reason"`
}

type witnessJSON struct {
	Holder          string `json:"holder"`
	HolderVerifyKey string `json:"holder_verify_key"`
	Heads           int    `json:"heads"`
	Newest          uint64 `json:"newest"`
	SubjectKey      bool   `json:"subject_key_checked"`
	// KnownOrg and Fingerprint name the partner whose key signed the file.
	KnownOrg string `json:"known_org,omitempty"`
	// RemovedOrg names the removed organisation whose key signed the file.
	RemovedOrg  string `json:"removed_org,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

func newAuditVerifyCmd(g *globals) *cobra.Command {
	var witnessFile string
	var headArgs []string
	var acceptUnknown bool
	cmd := &cobra.Command{
		Use:   "verify [--witness FILE]",
		Short: "Check every hash, link and signature of the audit log",
		Long: `Walk the audit chain and check each entry's sequence number, its link to the
entry before, its signature and the head. The first broken link is reported
and the command exits with status 8 if any entry was removed, reordered,
altered or inserted.

With --witness FILE (made by a partner with 'casevault audit witness --org
OURNAME'), also check that at every sequence number the partner saw, our log
still holds exactly the entry it saw: this catches a history rewritten or
rolled back even by someone holding our keys.

With --head SEQ:HASH (repeatable), check the same against heads recorded by
hand: 'casevault audit head' printed into a letter, a notary's record or a
public post.

A witness file must be signed by the key of a known partner (see 'casevault
org list'): one whose holder name is, or looks like, a partner's while its
key is not that partner's is refused with exit 8; one signed by an unknown
key is refused (exit 6) unless --accept-unknown-witness is given.`,
		Example: `  casevault audit verify
  casevault audit verify --witness memorial-witness.json
  casevault audit verify --head 42:9f3c6a…(64 hex digits)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var wf *vault.WitnessFile
			if witnessFile != "" {
				b, err := readWitnessFile(witnessFile)
				if err != nil {
					return err
				}
				if wf, err = vault.ParseWitnessFile(b); err != nil {
					return fmt.Errorf("%s: %w", witnessFile, err)
				}
			}
			heads, err := parseHeadArgs(headArgs)
			if err != nil {
				return err
			}
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			var res auditVerifyJSON
			var head vault.AuditHead
			if wf != nil {
				var wc *vault.WitnessCheck
				wc, err = v.VerifyWitness(wf)
				if wc != nil {
					res.Entries, head = wc.Entries, wc.Head
					if err == nil {
						res.Witness = &witnessJSON{Holder: wc.Holder, HolderVerifyKey: wc.HolderVerifyKey, Heads: wc.Heads, Newest: wc.Newest,
							SubjectKey: wc.SubjectKeyChecked, KnownOrg: wc.HolderOrg, Fingerprint: wc.HolderFingerprint, RemovedOrg: wc.HolderRemoved}
					}
				}
				var we *vault.WitnessFileError
				if errors.As(err, &we) {
					return fmt.Errorf("%s: %w", witnessFile, err)
				}
			} else if len(heads) > 0 {
				var wc *vault.WitnessCheck
				wc, err = v.VerifyHeads(heads)
				res.Entries, head = wc.Entries, wc.Head
				if err == nil {
					res.Witness = &witnessJSON{Holder: "recorded heads", Heads: wc.Heads, Newest: wc.Newest}
				}
			} else {
				res.Entries, err = v.VerifyAudit(cmd.Context())
				if err == nil {
					head, err = v.AuditHead()
				}
			}
			var brk *vault.AuditBreak
			if errors.As(err, &brk) {
				res.Break = &auditBreakJSON{Seq: brk.Seq, Reason: brk.Reason}
				if g.json {
					if perr := g.printJSON(res); perr != nil {
						return perr
					}
				}
				return err
			}
			if err != nil {
				return err
			}
			if w := res.Witness; w != nil && len(heads) == 0 && w.KnownOrg == "" && w.RemovedOrg != "" && !acceptUnknown {
				return fmt.Errorf("%s: %w: the key is that of %q, removed from this vault; a removed partner (perhaps its key was seized) vouches for nothing", witnessFile, errUnknownWitness, plain(w.RemovedOrg))
			}
			if w := res.Witness; w != nil && len(heads) == 0 && w.KnownOrg == "" && !acceptUnknown {
				return fmt.Errorf("%s: %w (key %s): the log matches it, but nothing says whose it is", witnessFile, errUnknownWitness, w.HolderVerifyKey)
			}
			res.OK, res.Head = true, &head
			if g.json {
				return g.printJSON(res)
			}
			out := g.env.stdout
			fmt.Fprintf(out, "audit log intact: %d entries verified, head %d %s\n", res.Entries, head.Seq, head.Hash)
			if w := res.Witness; w != nil && len(heads) > 0 {
				fmt.Fprintf(out, "recorded heads: %d up to entry %d found unchanged\n", w.Heads, w.Newest)
			} else if w != nil {
				fmt.Fprintf(out, "witness of %s (key %s): %d heads up to entry %d found unchanged\n", plain(w.Holder), w.HolderVerifyKey, w.Heads, w.Newest)
				if w.KnownOrg != "" {
					fmt.Fprintf(out, "signed by our partner \"%s\", fingerprint %s\n", plain(w.KnownOrg), w.Fingerprint)
				} else {
					if w.RemovedOrg != "" {
						g.warnf("accepted on request (--accept-unknown-witness): the witness file is signed by the key of %q, which was removed from this vault", plain(w.RemovedOrg))
					} else {
						g.warnf("accepted on request (--accept-unknown-witness): the witness file is signed by a key of no organisation this vault knows")
					}
				}
				if !w.SubjectKey {
					g.warnf("the witness file does not name our verify key: make sure it is about this organisation's log")
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&witnessFile, "witness", "", "witness file exported by a partner ('casevault audit witness')")
	cmd.Flags().StringArrayVar(&headArgs, "head", nil, "a head recorded earlier, as SEQ:HASH (repeatable)")
	cmd.Flags().BoolVar(&acceptUnknown, "accept-unknown-witness", false, "accept a witness file signed by a key of no known partner (check its key over another channel first)")
	cmd.MarkFlagsMutuallyExclusive("witness", "head")
	return cmd
}

// parseHeadArgs parses --head values: SEQ:HASH, or "SEQ HASH" as printed by
// 'audit head'.
func parseHeadArgs(args []string) ([]vault.AuditHead, error) {
	var out []vault.AuditHead
	for _, a := range args {
		f := strings.FieldsFunc(a, func(r rune) bool { return r == ':' || r == ' ' || r == '\t' })
		if len(f) != 2 {
			return nil, usagef("--head %q: want SEQ:HASH, as printed by 'casevault audit head'", a)
		}
		seq, err := strconv.ParseUint(f[0], 10, 64)
		h := strings.ToLower(f[1])
		if _, herr := hex.DecodeString(h); err != nil || seq == 0 || herr != nil || len(h) != 64 {
			return nil, usagef("--head %q: want SEQ:HASH with SEQ a positive number and HASH 64 hex digits", a)
		}
		out = append(out, vault.AuditHead{Seq: seq, Hash: h})
	}
	return out, nil
}

func readWitnessFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("witness file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > vault.MaxWitnessFileSize {
		return nil, &vault.WitnessFileError{Reason: fmt.Sprintf("%s: %d bytes is larger than the %d-byte limit", path, st.Size(), vault.MaxWitnessFileSize)}
	}
	b := make([]byte, st.Size())
	if _, err := f.ReadAt(b, 0); err != nil && st.Size() > 0 {
		return nil, err
	}
	return b, nil
}
