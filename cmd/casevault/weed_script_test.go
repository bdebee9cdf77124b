package main

import (
	"fmt"
	"os"

	"github.com/casevault/casevault/vault/weedtest"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdWeed starts a real SeaweedFS S3 server for the script (stopped when
// the script ends) and sets WEED_ENDPOINT and WEED_CREDS (a credentials
// file): weed start. A script using it begins with
// "[!weed] skip": the condition holds when the server binary is found (on
// PATH, as .ci/setup installs it, or CASEVAULT_TEST_WEED) and always under
// CI, where a missing server fails the script instead of skipping it.
func cmdWeed(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || args[0] != "start" {
		ts.Fatalf("usage: weed start")
	}
	bin, err := weedtest.Find()
	if err != nil {
		ts.Fatalf("the S3 server is missing: %v", err)
	}
	dir := ts.MkAbs("weed-data")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		ts.Fatalf("weed: %v", err)
	}
	s, err := weedtest.Start(bin, dir)
	if err != nil {
		ts.Fatalf("weed: %v", err)
	}
	ts.Defer(s.Stop)
	creds := ts.MkAbs("s3creds.txt")
	if err := os.WriteFile(creds, []byte(weedtest.AccessKey+"\n"+weedtest.SecretKey+"\n"), 0o600); err != nil {
		ts.Fatalf("weed: %v", err)
	}
	ts.Setenv("WEED_ENDPOINT", s.Endpoint)
	ts.Setenv("WEED_CREDS", creds)
}

// scriptCondition answers the scripts' own conditions: [weed].
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "weed":
		if os.Getenv("CI") != "" {
			return true, nil
		}
		_, err := weedtest.Find()
		return err == nil, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}
