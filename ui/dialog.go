package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// dialogKind says how a dialog is answered.
type dialogKind int

const (
	// dlgConfirm: Yes / No buttons, No highlighted; y confirms, n or esc cancels, enter takes
	// the highlighted button.
	dlgConfirm dialogKind = iota
	// dlgTyped: the user must type a word (a service id, "everyone") and press enter.
	dlgTyped
	// dlgForm: one or more fields, validated on enter.
	dlgForm
	// dlgInfo: a message to read (per-item results, a TXT record); enter or esc closes it.
	dlgInfo
)

// dialogField is one input of a form dialog.
type dialogField struct {
	label string
	in    lineInput
}

// Dialog is a modal box over the body. It never acts: it reports confirm or cancel with the
// field values, and the root runs onConfirm.
type Dialog struct {
	ctx      *Context
	kind     dialogKind
	title    string
	body     []string
	yesLabel string
	danger   bool
	yes      bool   // highlighted button; false = No (the default)
	word     string // dlgTyped: what must be typed
	fields   []dialogField
	focus    int
	validate func(vals []string) error
	err      string
	scroll   int
	// maxScroll is how far the last rendering could scroll (wrapping depends on the width).
	maxScroll int
	// onConfirm runs when the dialog is confirmed; it may open another dialog.
	onConfirm func(m *Root, vals []string) tea.Cmd
	// copyText, when set, lets `c` copy it from an info dialog.
	copyText, copyLabel string
}

type dialogOutcome int

const (
	dlgOpen dialogOutcome = iota
	dlgConfirmed
	dlgCancelled
	dlgCopy
)

func (d *Dialog) values() []string {
	out := make([]string, len(d.fields))
	for i := range d.fields {
		out[i] = d.fields[i].in.Value()
	}
	return out
}

// Update handles one key.
func (d *Dialog) Update(msg tea.KeyMsg) dialogOutcome {
	s := msg.String()
	if s == "esc" || s == "ctrl+c" {
		return dlgCancelled
	}
	switch d.kind {
	case dlgInfo:
		switch {
		case s == "enter" || s == "q":
			return dlgConfirmed
		case s == "c" && d.copyText != "":
			return dlgCopy
		case key.Matches(msg, d.ctx.Keys.Down):
			if d.scroll < d.maxScroll {
				d.scroll++
			}
		case key.Matches(msg, d.ctx.Keys.Up):
			if d.scroll > 0 {
				d.scroll--
			}
		}
		return dlgOpen
	case dlgConfirm:
		switch s {
		case "y", "Y":
			return dlgConfirmed
		case "n", "N":
			return dlgCancelled
		case "left", "right", "tab", "shift+tab", "h", "l":
			d.yes = !d.yes
		case "enter":
			if d.yes {
				return dlgConfirmed
			}
			return dlgCancelled
		}
		return dlgOpen
	}
	// typed and form dialogs
	switch s {
	case "tab", "down":
		d.focus = (d.focus + 1) % len(d.fields)
		return dlgOpen
	case "shift+tab", "up":
		d.focus = (d.focus + len(d.fields) - 1) % len(d.fields)
		return dlgOpen
	case "enter":
		vals := d.values()
		if d.kind == dlgTyped && strings.TrimSpace(vals[0]) != d.word {
			d.err = "type " + d.word + " exactly to confirm"
			return dlgOpen
		}
		if d.validate != nil {
			if err := d.validate(vals); err != nil {
				d.err = err.Error()
				return dlgOpen
			}
		}
		return dlgConfirmed
	}
	if d.fields[d.focus].in.Update(msg) {
		d.err = ""
	}
	return dlgOpen
}

// View renders the dialog box centred in w×h.
func (d *Dialog) View(w, h int) string {
	st := d.ctx.Styles
	if h < 8 || w < 30 {
		return d.compactView(w, h)
	}
	bw := min(76, w-2)
	if bw < 10 {
		bw = max(w, 1)
	}
	inner := max(bw-4, 1)
	var lines []string
	lines = append(lines, st.DialogTitle.Render(truncate(d.title, inner)))
	lines = append(lines, "")
	// wrap first, so scrolling and the height cap count the lines actually shown
	var body []string
	for _, l := range d.body {
		body = append(body, wrapLines(l, inner)...)
	}
	maxBody := max(h-8-2*len(d.fields), 1)
	if d.err != "" {
		maxBody = max(maxBody-1-len(wrapLines(d.err, inner)), 1)
	}
	d.maxScroll = max(len(body)-maxBody, 0) // remembered so ↓ stops at the end
	if scroll := min(d.scroll, d.maxScroll); scroll > 0 {
		body = body[scroll:]
	}
	if len(body) > maxBody {
		more := len(body) - maxBody + 1
		body = append(append([]string{}, body[:maxBody-1]...), st.Dim.Render("… "+itoa(more)+" more lines (↓ to scroll)"))
	}
	lines = append(lines, body...)
	cur := styleCodes(st.Selected)
	for i := range d.fields {
		f := &d.fields[i]
		lines = append(lines, "")
		lines = append(lines, st.Bold.Render(truncate(f.label, inner)))
		lines = append(lines, "> "+f.in.View(inner-2, i == d.focus, cur))
	}
	if d.err != "" {
		lines = append(lines, "")
		for _, l := range wrapLines(d.err, inner) {
			lines = append(lines, st.FlashError.Render(l))
		}
	}
	lines = append(lines, "")
	switch d.kind {
	case dlgConfirm:
		no, yes := st.Button, st.Button
		if d.yes {
			yes = st.ButtonActive
			if d.danger {
				yes = st.DangerButton
			}
		} else {
			no = st.ButtonActive
		}
		lbl := d.yesLabel
		if lbl == "" {
			lbl = "Yes"
		}
		lines = append(lines, no.Render("No")+"  "+yes.Render(lbl)+"  "+st.Dim.Render("y confirm · n/esc cancel"))
	case dlgInfo:
		hint := "enter/esc close"
		if d.copyText != "" {
			hint = "c copy · " + hint
		}
		lines = append(lines, st.Dim.Render(hint))
	default:
		hint := "enter confirm · esc cancel"
		if len(d.fields) > 1 {
			hint = "tab next field · " + hint
		}
		lines = append(lines, st.Dim.Render(hint))
	}
	for i, l := range lines {
		lines[i] = truncate(l, inner)
	}
	box := st.Dialog.Width(bw - 2).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// truncate cuts s (which may hold escape sequences) to width cells.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// wrapLines wraps s to width at spaces only, so ids like vpce-0a95… and ARNs stay whole
// and copyable; a word wider than the line is cut with an ellipsis. Leading indentation is
// kept on the first line and repeated on the ones after it.
func wrapLines(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	trimmed := strings.TrimLeft(s, " ")
	indent := s[:len(s)-len(trimmed)]
	if len(indent) > width/2 {
		indent = ""
	}
	var out []string
	line, lineW := indent, len(indent)
	empty := true
	gap := 0 // spaces before the next word; runs of spaces inside a line are kept
	for _, w := range strings.Split(trimmed, " ") {
		if w == "" {
			gap++
			continue
		}
		sep := gap + 1
		gap = 0
		ww := ansi.StringWidth(w)
		if !empty && lineW+sep+ww > width {
			out = append(out, line)
			line, lineW, empty = indent, len(indent), true
		}
		if !empty {
			line += strings.Repeat(" ", sep)
			lineW += sep
		}
		if lineW+ww > width {
			w = ansi.Truncate(w, width-lineW, "…")
			ww = ansi.StringWidth(w)
		}
		line += w
		lineW += ww
		empty = false
	}
	if !empty || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

// compactView is the dialog on a tiny terminal: the question and how to answer it.
func (d *Dialog) compactView(w, h int) string {
	st := d.ctx.Styles
	lines := []string{st.DialogTitle.Render(truncate(d.title, w))}
	switch d.kind {
	case dlgConfirm:
		lines = append(lines, truncate("y yes · n no", w))
	case dlgInfo:
		lines = append(lines, truncate("enter close", w))
	default:
		f := &d.fields[d.focus]
		lines = append(lines, f.in.View(w, true, styleCodes(st.Selected)))
	}
	if d.err != "" {
		lines = append(lines, st.FlashError.Render(truncate(d.err, w)))
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n")
}
