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
			d.scroll++
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
	body := d.body
	maxBody := max(h-8-2*len(d.fields), 1)
	if d.scroll > 0 && d.scroll < len(body) {
		body = body[d.scroll:]
	}
	if len(body) > maxBody {
		more := len(body) - maxBody + 1
		body = append(append([]string{}, body[:maxBody-1]...), st.Dim.Render("… "+itoa(more)+" more (↓ to scroll)"))
	}
	for _, l := range body {
		lines = append(lines, wrapLines(l, inner)...)
	}
	cur := styleCodes(st.Selected)
	for i := range d.fields {
		f := &d.fields[i]
		lines = append(lines, "")
		lines = append(lines, st.Bold.Render(truncate(f.label, inner)))
		lines = append(lines, "> "+f.in.View(inner-2, i == d.focus, cur))
	}
	if d.err != "" {
		lines = append(lines, "")
		lines = append(lines, wrapLines(st.FlashError.Render(d.err), inner)...)
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

// wrapLines wraps s to width, keeping escape sequences intact.
func wrapLines(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, width, " ,/:"), "\n")
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
