package demo

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a progress bar for a slow step when the output is a
// terminal, and nothing otherwise (in a pipe, a file or a test).
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress starts a bar of total steps on w when show is true.
func newProgress(w io.Writer, show bool, what string, total int) *progress {
	if !show {
		return &progress{}
	}
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(what), progressbar.OptionShowCount(), progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(80*time.Millisecond))
	_ = bar.RenderBlank()
	return &progress{bar: bar}
}

// set moves the bar to n steps done.
func (p *progress) set(n int) {
	if p.bar != nil {
		_ = p.bar.Set(n)
	}
}

// add moves the bar one step.
func (p *progress) add() {
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
}

// done clears the bar.
func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
