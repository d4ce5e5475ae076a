// Package filterbar is the `/` filter being typed, on the status line. Each edit filters the
// page at once; enter keeps the query, esc restores the one the page had before.
package filterbar

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textinput"
)

// Bar is the filter line.
type Bar struct {
	ctx   *common.Context
	page  common.Filterable
	in    textinput.Line
	was   string
	width int
	done  bool
}

// New starts editing a page's filter.
func New(ctx *common.Context, page common.Filterable) *Bar {
	current := page.Filter()
	b := &Bar{ctx: ctx, page: page, was: current}
	b.in.Prompt = "/"
	b.in.SetValue(current)
	return b
}

func (b *Bar) Init() tea.Cmd               { return nil }
func (b *Bar) Placement() common.Placement { return common.StatusLine }
func (b *Bar) Done() bool                  { return b.done }
func (b *Bar) Crumb() string               { return "" }
func (b *Bar) KeyBindings() []string       { return nil }
func (b *Bar) ShortHelp() []string         { return nil }
func (b *Bar) Capturing() bool             { return true }
func (b *Bar) SetSize(w, _ int)            { b.width = w }

// Value is the query typed so far.
func (b *Bar) Value() string { return b.in.Value() }

func (b *Bar) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || b.done {
		return b, nil
	}
	switch km.String() {
	case "enter":
		b.done = true
	case "esc", "ctrl+c":
		b.done = true
		b.page.SetFilter(b.was)
	default:
		if b.in.Update(km) {
			b.page.SetFilter(b.in.Value())
		}
	}
	return b, nil
}

func (b *Bar) View() string {
	st := b.ctx.Styles
	hint := st.Dim.Render("  enter keep · esc cancel · ! inverts")
	line := b.in.View(max(b.width-ansi.StringWidth(hint), 4), true, common.StyleCodes(st.Selected))
	return common.Truncate(line+hint, b.width)
}
