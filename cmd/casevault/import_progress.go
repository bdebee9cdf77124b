package main

import (
	"github.com/schollz/progressbar/v3"
)

// importProgress draws the progress of an import on a terminal; it does
// nothing when stderr is not one (scripts, tests, --json).
type importProgress struct {
	g     *globals
	bar   *progressbar.ProgressBar
	phase string
}

func (g *globals) newImportProgress() *importProgress {
	return &importProgress{g: g}
}

// update is a vault.ImportOptions.Progress callback.
func (p *importProgress) update(phase string, done, total int) {
	if p.g.json || !p.g.env.stderrIsTerminal() {
		return
	}
	if phase != p.phase {
		p.finish()
		p.phase = phase
		desc := "checking"
		max := -1
		if phase == "import" {
			desc = "importing"
			max = total
		}
		p.bar = progressbar.NewOptions(max,
			progressbar.OptionSetWriter(p.g.env.stderr),
			progressbar.OptionSetDescription("casevault: "+desc),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("cases"),
			progressbar.OptionThrottle(100_000_000),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done)
}

func (p *importProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
