package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View renders the whole screen: exactly Height lines of at most Width cells. It only
// renders; everything it shows was derived in Update.
func (m *Root) View() (out string) {
	defer func() {
		if r := recover(); r != nil {
			if m.crash == nil {
				m.crash = newCrashReport("View", r, nil)
			}
			out = m.crash.String()
		}
	}()
	if m.crash != nil {
		return m.crash.String()
	}
	w, h := m.ctx.Width, m.ctx.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	bh := m.bodyHeight()
	var body string
	switch {
	case m.dialog != nil:
		body = m.dialog.View(w, bh)
	case m.showHelp:
		body = m.fullHelpView(w, bh)
	default:
		body = m.current().View()
	}
	lines := make([]string, 0, h)
	lines = append(lines, m.headerView(w))
	if !m.compact() {
		lines = append(lines, m.crumbsView(w))
	}
	if bh > 0 {
		bl := strings.Split(body, "\n")
		if len(bl) > bh {
			bl = bl[:bh]
		}
		for _, l := range bl {
			lines = append(lines, fitLine(l, w))
		}
		for len(lines) < h-2 {
			lines = append(lines, "")
		}
	}
	lines = append(lines, m.statusView(w), m.footerView(w))
	if len(lines) > h {
		// too short for everything: keep the header, the body's start and the status
		lines = append(lines[:max(h-1, 1)], lines[len(lines)-2])
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// fitLine cuts a body line to the width; table rows already fit and pass through untouched.
func fitLine(l string, w int) string {
	if len(l) <= w {
		return l
	}
	if ansi.StringWidth(l) <= w {
		return l
	}
	return ansi.Truncate(l, w, "")
}

// statusView is the line above the footer: the palette or filter being typed, a flash, or
// the current view's counts.
func (m *Root) statusView(w int) string {
	st := m.ctx.Styles
	switch {
	case m.palette != nil:
		return m.palette.View(m, w)
	case m.filtering:
		hint := st.Dim.Render("  enter keep · esc cancel · ! inverts")
		line := m.filter.View(max(w-ansi.StringWidth(hint), 4), true, styleCodes(st.Selected))
		return truncate(line+hint, w)
	case m.flash.text != "":
		return m.flashView(w)
	}
	s := m.current().Status()
	if m.showHelp || m.dialog != nil {
		s = ""
	}
	return st.Dim.Render(truncate(s, w))
}
