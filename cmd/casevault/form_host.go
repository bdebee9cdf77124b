package main

import (
	"context"
	"io"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// A formHost shows every form of one walk through a case in a single
// bubbletea program, one after the other. Running a program per form
// would hand the terminal back and forth between them (raw mode off and
// on, input readers stopped and started), and a key pressed at the wrong
// moment was seen to be lost: the first Ctrl-C on the second form of a
// walk did nothing. The walk runs in its own goroutine and waits for each
// form here.
type formHost struct {
	p    *tea.Program
	done chan error    // the outcome of the form shown
	quit chan struct{} // closed when the program has ended
}

// Messages to the host's program.
type (
	showFormMsg struct{ form *huh.Form }
	endHostMsg  struct{}
)

func newFormHost(ctx context.Context, in io.Reader, out io.Writer) *formHost {
	h := &formHost{done: make(chan error, 1), quit: make(chan struct{})}
	h.p = tea.NewProgram(&hostModel{h: h}, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	return h
}

// show shows form and waits until the user completes it (nil) or leaves
// it (errFormAborted), or the program ends.
func (h *formHost) show(form *huh.Form) error {
	select {
	case <-h.quit:
		return errFormAborted
	default:
	}
	h.p.Send(showFormMsg{form})
	select {
	case err := <-h.done:
		return err
	case <-h.quit:
		return errFormAborted
	}
}

// hostModel is the program's model: the form shown, if any.
type hostModel struct {
	h   *formHost
	cur *huh.Form
}

func (m *hostModel) Init() tea.Cmd { return nil }

func (m *hostModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case showFormMsg:
		m.cur = msg.form
		return m, m.cur.Init()
	case endHostMsg:
		m.cur = nil
		return m, tea.Quit
	}
	if m.cur == nil {
		return m, nil
	}
	fm, cmd := m.cur.Update(msg)
	if f, ok := fm.(*huh.Form); ok {
		m.cur = f
	}
	switch m.cur.State {
	case huh.StateCompleted:
		m.cur = nil
		m.h.done <- nil
	case huh.StateAborted:
		m.cur = nil
		m.h.done <- errFormAborted
	}
	return m, cmd
}

// View draws the form on the terminal's alternate screen: each form
// replaces the last one whole (drawn inline, a shorter form left lines of
// the taller one before it on the screen), and nothing typed, confidential
// values included, stays in the terminal's scrollback afterwards.
func (m *hostModel) View() tea.View {
	v := tea.NewView("")
	if m.cur != nil {
		v = tea.NewView(m.cur.View())
	}
	v.AltScreen = true
	return v
}
