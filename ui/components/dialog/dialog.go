// Package dialog is the console's modal box: a confirmation (Yes / No, No highlighted), a
// typed confirmation (type the service id), a form (fields validated on enter) or an info
// box (per-item results, a TXT record). A dialog never acts: it reports a ResultMsg with its
// id and the field values, and whoever opened it decides what follows.
package dialog

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textinput"
)

// Kind says how a dialog is answered.
type Kind int

const (
	// Confirm: Yes / No buttons, No highlighted; y confirms, n or esc cancels, enter takes
	// the highlighted button.
	Confirm Kind = iota
	// Typed: the user must type a word (a service id, "everyone") and press enter.
	Typed
	// Form: one or more fields, validated on enter.
	Form
	// Info: a message to read; enter or esc closes it.
	Info
	// Choose: a list of values to copy; enter (or the choice's digit) copies the highlighted
	// one and closes, esc closes.
	Choose
)

// Field is one input of a form.
type Field struct{ Label, Value string }

// Spec is what a dialog shows and asks.
type Spec struct {
	Kind     Kind
	Title    string
	Body     []string
	YesLabel string // Confirm: the Yes button's text ("Accept")
	Danger   bool   // Confirm: the Yes button is red
	// Word is what a Typed dialog needs typed; its one field is labelled WordLabel.
	Word, WordLabel string
	Fields          []Field
	// Validate checks a form's values on enter (model validators); its error is shown under
	// the fields and the text stays for the user to fix.
	Validate func(values []string) error
	// CopyText, when set, lets c (or y) copy it from an Info dialog.
	CopyText, CopyLabel string
	// Choices are a Choose dialog's values.
	Choices []common.Copyable
}

// ResultMsg is a dialog's answer.
type ResultMsg struct {
	ID        int
	Kind      Kind
	Confirmed bool // false: cancelled (esc, n, No)
	Values    []string
}

// Dialog is a modal box over the body.
type Dialog struct {
	ctx    *common.Context
	id     int
	spec   Spec
	fields []textinput.Line
	focus  int
	yes    bool // highlighted button; false = No (the default)
	chosen int  // Choose: the highlighted choice
	err    string
	scroll int
	done   bool // answered: its result is on the way, further keys are ignored

	width, height int
	// layout, computed when the size, the body or the error changes (never in View)
	inner     int
	body      []string // wrapped to inner
	maxBody   int
	maxScroll int
}

// New makes a dialog; id comes back in its ResultMsg.
func New(ctx *common.Context, id int, spec Spec) *Dialog {
	d := &Dialog{ctx: ctx, id: id, spec: spec}
	if spec.Kind == Typed {
		d.spec.Fields = []Field{{Label: spec.WordLabel}}
	}
	d.fields = make([]textinput.Line, len(d.spec.Fields))
	for i, f := range d.spec.Fields {
		d.fields[i].SetValue(f.Value)
	}
	return d
}

// ID is the dialog's id.
func (d *Dialog) ID() int { return d.id }

// Kind says how the dialog is answered.
func (d *Dialog) Kind() Kind { return d.spec.Kind }

// Title is the dialog's question.
func (d *Dialog) Title() string { return d.spec.Title }

// Body is the dialog's text, as given (not wrapped).
func (d *Dialog) Body() []string { return d.spec.Body }

// Err is the validation error shown, if any.
func (d *Dialog) Err() string { return d.err }

// Values are the fields' current text.
func (d *Dialog) Values() []string {
	out := make([]string, len(d.fields))
	for i := range d.fields {
		out[i] = d.fields[i].Value()
	}
	return out
}

func (d *Dialog) Init() tea.Cmd                     { return nil }
func (d *Dialog) Placement() common.Placement       { return common.OverBody }
func (d *Dialog) Done() bool                        { return d.done }
func (d *Dialog) Crumb() string                     { return "" }
func (d *Dialog) KeyBindings() []string             { return nil }
func (d *Dialog) ShortHelp() []string               { return nil }
func (d *Dialog) Capturing() bool                   { return d.spec.Kind == Typed || d.spec.Kind == Form }
func (d *Dialog) SetSize(w, h int)                  { d.width, d.height = w, h; d.layout() }
func (d *Dialog) answer(ok bool) (*Dialog, tea.Cmd) { return d.finish(ok, d.Values()) }

func (d *Dialog) finish(ok bool, vals []string) (*Dialog, tea.Cmd) {
	d.done = true
	msg := ResultMsg{ID: d.id, Kind: d.spec.Kind, Confirmed: ok, Values: vals}
	return d, func() tea.Msg { return msg }
}

// Update handles keys; other messages are ignored.
func (d *Dialog) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || d.done {
		return d, nil
	}
	dd, cmd := d.key(km)
	return dd, cmd
}

func (d *Dialog) key(msg tea.KeyMsg) (*Dialog, tea.Cmd) {
	s := msg.String()
	if s == "esc" || s == "ctrl+c" {
		return d.answer(false)
	}
	k := d.ctx.Keys
	switch d.spec.Kind {
	case Choose:
		n := len(d.spec.Choices)
		switch {
		case s == "enter":
			return d.choose(d.chosen)
		case len(s) == 1 && s[0] >= '1' && s[0] <= '9' && int(s[0]-'1') < n:
			return d.choose(int(s[0] - '1'))
		case k.Is(msg, common.KeyDown) || s == "tab":
			d.chosen = (d.chosen + 1) % n
			d.layout()
		case k.Is(msg, common.KeyUp) || s == "shift+tab":
			d.chosen = (d.chosen + n - 1) % n
			d.layout()
		}
		return d, nil
	case Info:
		switch {
		case s == "enter" || s == "q":
			return d.answer(true)
		case (s == "c" || s == "y") && d.spec.CopyText != "":
			label, text := d.spec.CopyLabel, d.spec.CopyText
			return d, func() tea.Msg { return common.CopyMsg{Label: label, Text: text} }
		case k.Is(msg, common.KeyDown):
			d.scroll = min(d.scroll+1, d.maxScroll)
		case k.Is(msg, common.KeyUp):
			d.scroll = max(d.scroll-1, 0)
		case k.Is(msg, common.KeyPageDown):
			d.scroll = min(d.scroll+max(d.maxBody-1, 1), d.maxScroll)
		case k.Is(msg, common.KeyPageUp):
			d.scroll = max(d.scroll-max(d.maxBody-1, 1), 0)
		}
		return d, nil
	case Confirm:
		switch s {
		case "y", "Y":
			return d.answer(true)
		case "n", "N":
			return d.answer(false)
		case "left", "right", "tab", "shift+tab", "h", "l":
			d.yes = !d.yes
		case "enter":
			return d.answer(d.yes)
		}
		return d, nil
	}
	// typed and form dialogs
	switch s {
	case "tab", "down":
		d.focus = (d.focus + 1) % len(d.fields)
		return d, nil
	case "shift+tab", "up":
		d.focus = (d.focus + len(d.fields) - 1) % len(d.fields)
		return d, nil
	case "enter":
		vals := d.Values()
		if d.spec.Kind == Typed && strings.TrimSpace(vals[0]) != d.spec.Word {
			d.setErr("type " + d.spec.Word + " exactly to confirm")
			return d, nil
		}
		if d.spec.Validate != nil {
			if err := d.spec.Validate(vals); err != nil {
				d.setErr(err.Error())
				return d, nil
			}
		}
		return d.answer(true)
	}
	if d.fields[d.focus].Update(msg) && d.err != "" {
		d.setErr("")
	}
	return d, nil
}

// choose copies choice i and closes.
func (d *Dialog) choose(i int) (*Dialog, tea.Cmd) {
	c := d.spec.Choices[i]
	d.done = true
	id := d.id
	return d, tea.Batch(
		func() tea.Msg {
			return common.CopyMsg{Label: c.Phrase(), Text: c.Value}
		},
		func() tea.Msg { return ResultMsg{ID: id, Kind: Choose, Confirmed: true, Values: []string{c.Value}} })
}

func (d *Dialog) setErr(e string) {
	d.err = e
	d.layout()
}

// boxWidth is the dialog box's outer width for the body width w.
func boxWidth(w int) int {
	bw := min(76, w-2)
	if bw < 10 {
		bw = max(w, 1)
	}
	return bw
}

// layout wraps the body to the box and works out how far it scrolls.
func (d *Dialog) layout() {
	d.inner = max(boxWidth(d.width)-4, 1)
	d.body = d.body[:0]
	for _, l := range d.spec.Body {
		d.body = append(d.body, common.WrapLines(l, d.inner)...)
	}
	chosenFrom, chosenTo := 0, 0
	for i, c := range d.spec.Choices {
		// each value whole, wrapped under its label: this is where a cut ARN is read
		head := d.ctx.Styles.Mark(common.Itoa(i+1)+" "+c.Label, i == d.chosen)
		if i == d.chosen && !d.ctx.Styles.Markers {
			head = d.ctx.Styles.Selected.Render(head)
		}
		if i == d.chosen {
			chosenFrom = len(d.body)
		}
		d.body = append(d.body, head)
		for _, l := range strings.Split(ansi.Hardwrap(c.Value, max(d.inner-4, 8), true), "\n") {
			d.body = append(d.body, "    "+l)
		}
		if i == d.chosen {
			chosenTo = len(d.body)
		}
	}
	d.maxBody = max(d.height-8-2*len(d.fields), 1)
	if d.err != "" {
		d.maxBody = max(d.maxBody-1-len(common.WrapLines(d.err, d.inner)), 1)
	}
	d.maxScroll = max(len(d.body)-d.maxBody, 0)
	if len(d.spec.Choices) > 0 {
		// the highlighted choice stays in sight (the last visible line may be "… more")
		if chosenFrom < d.scroll {
			d.scroll = chosenFrom
		}
		if room := max(d.maxBody-1, 1); chosenTo > d.scroll+room {
			d.scroll = chosenTo - room
		}
	}
	d.scroll = min(d.scroll, d.maxScroll)
}

// View renders the dialog box centred in the body.
func (d *Dialog) View() string {
	w, h := d.width, d.height
	st := d.ctx.Styles
	if h < 8 || w < 30 {
		return d.compactView(w, h)
	}
	inner := d.inner
	lines := []string{st.DialogTitle.Render(common.Truncate(d.spec.Title, inner)), ""}
	body := d.body
	if d.scroll > 0 {
		body = body[d.scroll:]
	}
	if len(body) > d.maxBody {
		more := len(body) - d.maxBody + 1
		body = append(append([]string{}, body[:d.maxBody-1]...), st.Dim.Render("… "+common.Itoa(more)+" more lines (↓ to scroll)"))
	}
	lines = append(lines, body...)
	cur := common.StyleCodes(st.Selected)
	for i := range d.fields {
		f := &d.fields[i]
		lines = append(lines, "", st.Bold.Render(common.Truncate(d.spec.Fields[i].Label, inner)),
			"> "+f.View(inner-2, i == d.focus, cur))
	}
	if d.err != "" {
		lines = append(lines, "")
		for _, l := range common.WrapLines(d.err, inner) {
			lines = append(lines, st.FlashError.Render(l))
		}
	}
	lines = append(lines, "")
	switch d.spec.Kind {
	case Confirm:
		no, yes := st.Button, st.Button
		if d.yes {
			yes = st.ButtonActive
			if d.spec.Danger {
				yes = st.DangerButton
			}
		} else {
			no = st.ButtonActive
		}
		lbl := d.spec.YesLabel
		if lbl == "" {
			lbl = "Yes"
		}
		lines = append(lines, no.Render(st.Mark("No", !d.yes))+"  "+yes.Render(st.Mark(lbl, d.yes))+"  "+st.Dim.Render("y confirm · n/esc cancel"))
	case Choose:
		lines = append(lines, st.Dim.Render("↑/↓ choose · enter or 1–9 copy · esc close"))
	case Info:
		hint := "enter/esc close"
		if d.spec.CopyText != "" {
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
		lines[i] = common.Truncate(l, inner)
	}
	box := st.Dialog.Width(boxWidth(w) - 2).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// compactView is the dialog on a tiny terminal: the question and how to answer it.
func (d *Dialog) compactView(w, h int) string {
	st := d.ctx.Styles
	lines := []string{st.DialogTitle.Render(common.Truncate(d.spec.Title, w))}
	switch d.spec.Kind {
	case Confirm:
		lines = append(lines, common.Truncate("y yes · n no", w))
	case Info:
		lines = append(lines, common.Truncate("enter close", w))
	case Choose:
		c := d.spec.Choices[d.chosen]
		lines = append(lines, common.Truncate(common.Itoa(d.chosen+1)+" "+c.Label+": "+c.Value, w),
			common.Truncate("↑/↓ · enter copy", w))
	default:
		f := &d.fields[d.focus]
		lines = append(lines, f.View(w, true, common.StyleCodes(st.Selected)))
	}
	if d.err != "" {
		lines = append(lines, st.FlashError.Render(common.Truncate(d.err, w)))
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n")
}
