package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// The test age plugin (testdata/ageplugin) is built once per test process.
var testPlugin struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// cmdAgePlugin builds the test age plugin age-plugin-cvtest (a real plugin
// binary speaking age's plugin protocol through filippo.io/age/plugin) and
// puts it on the script's PATH, so that casevault and the script find it:
// ageplugin
func cmdAgePlugin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: ageplugin")
	}
	testPlugin.once.Do(func() {
		testPlugin.dir, testPlugin.err = os.MkdirTemp("", "casevault-ageplugin-")
		if testPlugin.err != nil {
			return
		}
		exe := "age-plugin-cvtest"
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		testPlugin.out, testPlugin.err = exec.Command("go", "build", "-o", filepath.Join(testPlugin.dir, exe), "./testdata/ageplugin").CombinedOutput()
	})
	if testPlugin.err != nil {
		ts.Fatalf("building the test age plugin: %v\n%s", testPlugin.err, testPlugin.out)
	}
	ts.Setenv("PATH", testPlugin.dir+string(os.PathListSeparator)+ts.Getenv("PATH"))
	if !strings.Contains(ts.Getenv("PATH"), testPlugin.dir) {
		ts.Fatalf("PATH not set")
	}
}
