// Package help is the `?` screen: every key binding by group, generated from the key map
// (so rebinding a key or adding an action shows here without anyone writing help text).
package help

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/ui/common"
)

// Help is the full key reference, scrollable when the terminal is short.
type Help struct {
	ctx           *common.Context
	width, height int
	lines         []string // rendered for the width, at SetSize
	scroll        int
	gen           uint64
	done          bool
}

// New opens the help screen.
func New(ctx *common.Context) *Help { return &Help{ctx: ctx} }

func (h *Help) Init() tea.Cmd               { return nil }
func (h *Help) Placement() common.Placement { return common.OverBody }
func (h *Help) Crumb() string               { return "Help" }
func (h *Help) Done() bool                  { return h.done }
func (h *Help) KeyBindings() []string       { return nil }
func (h *Help) Capturing() bool             { return false }
func (h *Help) ShortHelp() []string         { return []string{common.KeyBack, common.KeyQuit} }

func (h *Help) SetSize(w, hh int) {
	h.width, h.height = w, hh
	h.render()
	h.scroll = min(h.scroll, h.maxScroll())
}

func (h *Help) maxScroll() int { return max(len(h.lines)-h.height, 0) }

func (h *Help) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return h, nil
	}
	k := h.ctx.Keys
	switch {
	case k.Is(km, common.KeyHelp), k.Is(km, common.KeyBack):
		h.done = true
		return h, nil
	case k.Is(km, common.KeyQuit):
		return h, tea.Quit
	case k.Is(km, common.KeyDown):
		h.scroll = min(h.scroll+1, h.maxScroll())
	case k.Is(km, common.KeyUp):
		h.scroll = max(h.scroll-1, 0)
	case k.Is(km, common.KeyPageDown):
		h.scroll = min(h.scroll+max(h.height-1, 1), h.maxScroll())
	case k.Is(km, common.KeyPageUp):
		h.scroll = max(h.scroll-max(h.height-1, 1), 0)
	case k.Is(km, common.KeyTop):
		h.scroll = 0
	case k.Is(km, common.KeyBottom):
		h.scroll = h.maxScroll()
	}
	return h, nil
}

func (h *Help) View() string {
	if h.gen != h.ctx.Gen {
		h.render() // a theme or mode change since SetSize: a render cache, nothing else
	}
	lines := h.lines
	if h.scroll > 0 && h.scroll < len(lines) {
		lines = lines[h.scroll:]
	}
	if len(lines) > h.height {
		lines = lines[:h.height]
		if h.height >= 2 {
			lines[h.height-1] = h.ctx.Styles.Dim.Render(common.Truncate("… "+common.Plural(h.maxScroll()-h.scroll, "more line")+" (↓ to scroll)", h.width))
		}
	}
	return strings.Join(lines, "\n")
}

// render lays the groups out: as many side by side as fit the width.
func (h *Help) render() {
	h.gen = h.ctx.Gen
	st := h.ctx.Styles
	var cols []string
	for _, g := range h.ctx.Keys.Groups() {
		lines := []string{st.Title.Render(g.Title)}
		keyW := 0
		for _, b := range g.Bindings {
			keyW = max(keyW, ansi.StringWidth(keysText(b)))
		}
		for _, b := range g.Bindings {
			all, desc := keysText(b), b.Help().Desc
			line := st.HelpKey.Render(common.PadRight(all, keyW)) + " " + st.HelpDesc.Render(desc)
			if h.ctx.ReadOnly() && b.Write {
				line = st.HelpDisabled.Render(common.PadRight(all, keyW)+" "+desc) + st.Dim.Render(" (read-only)")
			}
			lines = append(lines, line)
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	// groups flow left to right and wrap to a new row when the next one would not fit
	row := func(cs []string) string { return lipgloss.JoinHorizontal(lipgloss.Top, withGap(cs)...) }
	var rows []string
	var cur []string
	for _, c := range cols {
		if len(cur) > 0 && lipgloss.Width(row(append(cur[:len(cur):len(cur)], c))) > h.width {
			rows = append(rows, row(cur))
			cur = nil
		}
		cur = append(cur, c)
	}
	if len(cur) > 0 {
		rows = append(rows, row(cur))
	}
	out := strings.Join(rows, "\n\n")
	out += "\n\n" + st.Dim.Render("In a confirmation: y confirms, n or esc cancels, enter takes the highlighted choice (No by default).")
	out += "\n" + st.Dim.Render("Filter: / then text; a leading ! shows the rows that do not match. esc clears.")
	h.lines = strings.Split(out, "\n")
}

func keysText(b *common.Binding) string {
	ks := b.Keys()
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = common.KeyLabel(k)
	}
	return strings.Join(out, "/")
}

func withGap(cols []string) []string {
	out := make([]string, 0, 2*len(cols))
	for i, c := range cols {
		if i > 0 {
			out = append(out, "    ")
		}
		out = append(out, c)
	}
	return out
}
