//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/weedtest"
	"github.com/minio/minio-go/v7"
)

// TestBundleReceiveKilledThenCompletes drives 'bundle receive' through the
// real binary against a real SeaweedFS: a partner leaves bundles in our
// inbox beside two planted objects; receives are SIGKILLed part-way at
// several moments, each leaving a vault that opens and checks clean; the
// next receive completes with exit 6 (the plants named), every case is
// there exactly once, the imported bundles are gone from the inbox and
// the plants stay.
func TestBundleReceiveKilledThenCompletes(t *testing.T) {
	s := syncWeed(t)
	bin := buildCasevault(t)
	a := newCrashVault(t, bin)
	tmp := t.TempDir()
	p, err := vault.Init(filepath.Join(tmp, "partner"), vault.InitOptions{Org: "Partner Rights", Classic: true, Passphrase: []byte("partner pass"), Options: vault.Options{Author: "partner"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	va := a.open(t)
	for _, pair := range [][2]*vault.Vault{{va, p}, {p, va}} {
		data, err := pair[1].Card()
		if err != nil {
			t.Fatal(err)
		}
		card, err := vault.ParseCard(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pair[0].AddOrg(card); err != nil {
			t.Fatal(err)
		}
	}
	to := va.Meta().Org
	va.Close()
	creds := vault.Credentials{AccessKey: weedtest.AccessKey, Secret: weedtest.SecretKey}
	if _, err := p.AddRemote("coalition", "s3://coalition/shared", s.Endpoint, creds); err != nil {
		t.Fatal(err)
	}
	const bundles, per = 6, 150
	for b := range bundles {
		var ids []vault.CaseID
		for i := range per {
			c, err := schema.Parse(crashCaseFile(20000 + b*per + i))
			if err != nil {
				t.Fatal(err)
			}
			id, err := p.AddCase(c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.ShareCase(id, to, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if _, err := p.SendBundle(context.Background(), "coalition", vault.ExportBundleOptions{To: to, Cases: ids}); err != nil {
			t.Fatal(err)
		}
	}
	// Two plants in our inbox: a foreign name and garbage.
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	var inbox string
	for o := range c.ListObjects(context.Background(), "coalition", minio.ListObjectsOptions{Prefix: "shared/inbox/", Recursive: true}) {
		inbox = o.Key[:strings.LastIndex(o.Key, "/")+1]
	}
	for _, name := range []string{"readme.txt", "0123456789abcdef0123456789abcdef"} {
		junk := []byte("age-encryption.org/v1\n-> X25519 planted\n")
		if _, err := c.PutObject(context.Background(), "coalition", inbox+name, bytes.NewReader(junk), int64(len(junk)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	credFile := filepath.Join(tmp, "s3.txt")
	if err := os.WriteFile(credFile, []byte(weedtest.AccessKey+"\n"+weedtest.SecretKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := a.runEnv(t, nil, "remote", "add", "coalition", "s3://coalition/shared", "--endpoint", s.Endpoint, "--credentials", credFile); code != 0 {
		t.Fatalf("remote add: exit %d: %s", code, errs)
	}
	killed := 0
	for _, d := range []time.Duration{300 * time.Millisecond, 900 * time.Millisecond, 1800 * time.Millisecond} {
		r := a.runKill(t, d, nil, "bundle", "receive", "--remote", "coalition")
		if r.killed {
			killed++
		}
		a.verify(t)
	}
	t.Logf("%d of 3 receives killed part-way", killed)
	code, out, errs := a.runEnv(t, nil, "bundle", "receive", "--remote", "coalition", "--json")
	if code != 6 {
		t.Fatalf("receive to the end: exit %d (want 6: the plants)\n%s", code, errs)
	}
	var res vault.ReceiveResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(res.Refused) != 2 || res.Refused["readme.txt"] == "" || len(res.NotRemoved) != 0 {
		t.Fatalf("refused: %+v", res)
	}
	v := a.open(t)
	ids, err := v.CasesFrom("Partner Rights")
	v.Close()
	if err != nil || len(ids) != bundles*per {
		t.Fatalf("cases from the partner: %d, want %d (%v)", len(ids), bundles*per, err)
	}
	var left []string
	for o := range c.ListObjects(context.Background(), "coalition", minio.ListObjectsOptions{Prefix: inbox}) {
		left = append(left, strings.TrimPrefix(o.Key, inbox))
	}
	if len(left) != 2 {
		t.Fatalf("inbox after receive: %v (want only the two plants)", left)
	}
	ents, _ := os.ReadDir(a.dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-recv-") {
			t.Errorf("download file left: %s", e.Name())
		}
	}
	// Again: nothing new, the plants named again, the same cases.
	code, _, errs = a.runEnv(t, nil, "bundle", "receive", "--remote", "coalition")
	if code != 6 || !strings.Contains(errs, "refused: readme.txt") || strings.Contains(errs, "imported bundle") {
		t.Fatalf("second receive: exit %d\n%s", code, errs)
	}
	if code, _, errs := a.runEnv(t, nil, "audit", "verify"); code != 0 {
		t.Fatal(fmt.Sprintf("audit verify: exit %d: %s", code, errs))
	}
	a.verify(t)
}
