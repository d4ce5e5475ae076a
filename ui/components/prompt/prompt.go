// Package prompt is a yes/no question asked inside a page (each write of the wizard's test
// consumer, each step of the safe delete). Unlike a dialog it leaves the page's progress on
// screen above it, so the answer is given with what led to the question in view. As in a
// dialog, y confirms and n or esc declines; nothing is sent until y.
package prompt

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/common"
)

// Key binding names; RegisterKeys declares them.
const (
	KeyYes = "confirm"
	KeyNo  = "decline"
)

// Group is the help group of the prompt's keys.
const Group = "Confirmations"

// RegisterKeys declares y and n. y is a write: read-only mode shows it struck through. The
// full help leaves them out: its note on confirmations says what y and n do.
func RegisterKeys(k *common.KeyMap) {
	k.Add(KeyYes, Group, "yes", true, "y").Hidden = true
	k.Add(KeyNo, Group, "no", false, "n").Hidden = true
}

// Prompt is one open question, or none.
type Prompt struct {
	question string
	open     bool
}

// Ask opens a question.
func (p *Prompt) Ask(question string) { p.question, p.open = question, true }

// Close drops the question.
func (p *Prompt) Close() { p.open = false }

// Open says a question waits for its answer.
func (p *Prompt) Open() bool { return p.open }

// Key takes an answer: answered is true for y, n and esc (the question closes), yes for y.
func (p *Prompt) Key(k *common.KeyMap, msg tea.KeyMsg) (answered, yes bool) {
	if !p.open {
		return false, false
	}
	switch {
	case k.Is(msg, KeyYes):
		p.open = false
		return true, true
	case k.Is(msg, KeyNo) || msg.String() == "esc":
		p.open = false
		return true, false
	}
	return false, false
}

// Lines renders the question for the width, with how to answer it.
func (p *Prompt) Lines(st *common.Styles, width int) []string {
	if !p.open {
		return nil
	}
	out := []string{""}
	for _, l := range common.WrapLines(p.question, max(width, 1)) {
		out = append(out, st.Warn.Render(l))
	}
	return append(out, st.HelpKey.Render("y")+st.Dim.Render(" yes · ")+st.HelpKey.Render("n")+st.Dim.Render("/esc no"))
}

// Keys are the bindings a page claims while a question is open.
func Keys() []string { return []string{KeyYes, KeyNo} }
