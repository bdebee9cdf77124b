package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/casevault/casevault/crypto/cryptotest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	cryptotest.LowScryptCost() // also in the re-run binary the scripts call
	// The scripts run the real binary hundreds of times: on two cores the
	// package takes about ten minutes, go test's default timeout. A plain
	// `go test ./...` (the README's command) gets 30 minutes for it; an
	// explicit -timeout other than the default is kept.
	for i, a := range os.Args {
		if a == "-test.timeout=10m0s" {
			os.Args[i] = "-test.timeout=30m0s"
		}
	}
	testscript.Main(m, map[string]func(){
		"casevault": func() { privateUmask(); os.Exit(run(os.Args[1:], newSystemEnv())) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: the real casevault
// command, in a fresh directory each, with a passphrase file.
func TestScripts(t *testing.T) {
	// The test age plugin (cmdAgePlugin) is built once, into a directory
	// of its own, for all the scripts: removed once they are done.
	t.Cleanup(func() {
		if testPlugin.dir != "" {
			os.RemoveAll(testPlugin.dir)
		}
	})
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("CASEVAULT_DIR", e.WorkDir+"/vault")
			e.Setenv("CASEVAULT_PASSPHRASE_FILE", e.WorkDir+"/.pass")
			e.Setenv("CASEVAULT_AUTHOR", "tester")
			e.Setenv("NO_COLOR", "1")
			// English, not the Windows user's locale; i18n.txtar changes it.
			e.Setenv("CASEVAULT_LANG", "en")
			e.Setenv("REPO", repoRoot) // the repository's own samples: samples.txtar
			return os.WriteFile(e.WorkDir+"/.pass", []byte("correct horse battery staple\n"), 0o600)
		},
		Condition: scriptCondition,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":   cmdExitCode,
			"mkrand":     cmdMkRand,
			"tamperblob": cmdTamperBlob,
			"flipbyte":   cmdFlipByte,
			"envfield":   cmdEnvField,
			"mkwitness":  cmdMkWitness,
			"agekeygen":  cmdAgeKeygen,
			"holdvault":  cmdHoldVault,
			"envstdout":  cmdEnvStdout,
			"shortid":    cmdShortID,
			"cp1251":     cmdCP1251,
			"plantstore": cmdPlantStore,
			"planttable": cmdPlantTable,
			"fifo":       cmdFifo,
			"sleep":      cmdSleep,
			"idleconns":  cmdIdleConns,
			"ageplugin":  cmdAgePlugin,
			"weed":       cmdWeed,
		},
	})
}

// cmdExitCode runs a command and requires a particular exit status:
// exitcode N casevault ARGS...
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}
