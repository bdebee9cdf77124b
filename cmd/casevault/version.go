package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// buildVersion returns the version set at release time (-ldflags
// "-X main.version=v1.2.3", see .ci/release), else the module version of a
// 'go install …@vX' build, else the default in root.go.
func buildVersion() (string, *debug.BuildInfo) {
	bi, _ := debug.ReadBuildInfo()
	if version == defaultVersion && bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version, bi
	}
	return version, bi
}

const defaultVersion = "0.1.0-dev"

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version [--json]",
		Short: "Print the version, the Go version and the modules built in",
		Example: `  casevault version
  casevault version --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, bi := buildVersion()
			type mod struct {
				Path    string `json:"path"`
				Version string `json:"version"`
				Sum     string `json:"sum,omitempty"`
			}
			var mods []mod
			settings := map[string]string{}
			if bi != nil {
				for _, d := range bi.Deps {
					if d.Replace != nil {
						d = d.Replace
					}
					mods = append(mods, mod{d.Path, d.Version, d.Sum})
				}
				for _, s := range bi.Settings {
					switch s.Key {
					case "vcs.revision", "vcs.time", "vcs.modified", "GOOS", "GOARCH", "-trimpath":
						settings[s.Key] = s.Value
					}
				}
			}
			if g.json {
				return g.printJSON(map[string]any{"version": v, "go": runtime.Version(),
					"os": runtime.GOOS, "arch": runtime.GOARCH, "build": settings, "modules": mods})
			}
			w := g.env.stdout
			fmt.Fprintf(w, "casevault %s\n%s %s/%s\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			if r := settings["vcs.revision"]; r != "" {
				fmt.Fprintf(w, "commit %s\n", r)
			}
			for _, m := range mods {
				fmt.Fprintf(w, "%s %s\n", m.Path, m.Version)
			}
			return nil
		},
	}
}
