// Package textview is a scrollable block of rendered lines: a review, a list of findings, a
// progress log. Its owner renders the lines for the width (they change when the data or the
// width does, never per frame); the view scrolls them with the navigation keys.
package textview

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/common"
)

// View shows a window of lines.
type View struct {
	ctx           *common.Context
	lines         []string
	scroll        int
	landmark      int // a line the reader must not miss; -1: none
	landmarkText  string
	width, height int
}

// New makes an empty view.
func New(ctx *common.Context) *View { return &View{ctx: ctx, landmark: -1} }

// SetLandmark names a line the reader must not miss: while it is below the window, the
// "more" line says text instead of only counting lines. line -1 clears it.
func (v *View) SetLandmark(line int, text string) { v.landmark, v.landmarkText = line, text }

// SetLines replaces the lines, keeping the scroll position where it still fits.
func (v *View) SetLines(lines []string) {
	v.lines = lines
	v.scroll = min(v.scroll, v.maxScroll())
}

// Lines are the lines shown.
func (v *View) Lines() []string { return v.lines }

// SetSize sets the window.
func (v *View) SetSize(w, h int) {
	v.width, v.height = w, h
	v.scroll = min(v.scroll, v.maxScroll())
}

func (v *View) maxScroll() int { return max(len(v.lines)-v.height, 0) }

// Top scrolls back to the first line.
func (v *View) Top() { v.scroll = 0 }

// Show scrolls as little as needed to show lines from..to (inclusive).
func (v *View) Show(from, to int) {
	if to >= v.scroll+v.height {
		v.scroll = to - v.height + 1
	}
	if from < v.scroll {
		v.scroll = from
	}
	v.scroll = max(min(v.scroll, v.maxScroll()), 0)
}

// Update scrolls on the navigation keys and reports whether the key was one.
func (v *View) Update(msg tea.KeyMsg) bool {
	k := v.ctx.Keys
	page := max(v.height-1, 1)
	switch {
	case k.Is(msg, common.KeyDown):
		v.scroll = min(v.scroll+1, v.maxScroll())
	case k.Is(msg, common.KeyUp):
		v.scroll = max(v.scroll-1, 0)
	case k.Is(msg, common.KeyPageDown):
		v.scroll = min(v.scroll+page, v.maxScroll())
	case k.Is(msg, common.KeyPageUp):
		v.scroll = max(v.scroll-page, 0)
	case k.Is(msg, common.KeyTop):
		v.scroll = 0
	case k.Is(msg, common.KeyBottom):
		v.scroll = v.maxScroll()
	default:
		return false
	}
	return true
}

// View renders the window, each line cut to the width; when there is more below, the last
// line says how much.
func (v *View) View() string {
	if v.height <= 0 {
		return ""
	}
	end := min(v.scroll+v.height, len(v.lines))
	shown := v.lines[v.scroll:end]
	more := ""
	if end < len(v.lines) && v.height > 1 {
		shown = shown[:len(shown)-1]
		n := len(v.lines) - end + 1
		text := "… " + common.Plural(n, "more line") + " (↓ to scroll)"
		if v.landmark >= end-1 && v.landmarkText != "" {
			text = "… " + v.landmarkText + " · " + common.Plural(n, "more line")
		}
		more = v.ctx.Styles.Dim.Render(common.Truncate(text, v.width))
	}
	out := make([]string, 0, len(shown)+1)
	for _, l := range shown {
		out = append(out, common.Truncate(l, v.width))
	}
	if more != "" {
		out = append(out, more)
	}
	return strings.Join(out, "\n")
}
