package wizard

import (
	"sync/atomic"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/plconsole/plconsole/ui/common"
)

// huhTheme dresses huh's forms in the console's styles, so they follow the theme (dark,
// light, the terminal's 16 colours) and NO_COLOR like every other screen.
func huhTheme(st *common.Styles) *huh.Theme {
	t := huh.ThemeBase()
	bar := st.Dim.PaddingLeft(1).BorderStyle(lipgloss.ThickBorder()).BorderLeft(true).
		BorderForeground(st.Accent.GetForeground())
	f := &t.Focused
	f.Base = bar
	f.Card = bar
	f.Title = st.Title
	f.NoteTitle = st.Title
	f.Description = st.Dim
	f.ErrorIndicator = st.FlashError.SetString(" *")
	f.ErrorMessage = st.FlashError
	f.SelectSelector = st.Accent.SetString("> ")
	f.Option = st.Input
	f.NextIndicator = st.Accent.MarginLeft(1).SetString("→")
	f.PrevIndicator = st.Accent.MarginRight(1).SetString("←")
	f.MultiSelectSelector = st.Accent.SetString("> ")
	f.SelectedOption = st.OK
	f.SelectedPrefix = st.OK.SetString("[x] ")
	f.UnselectedOption = st.Input
	f.UnselectedPrefix = st.Dim.SetString("[ ] ")
	f.FocusedButton = st.ButtonActive.MarginRight(1)
	f.BlurredButton = st.Button.MarginRight(1)
	f.Next = st.ButtonActive
	f.TextInput.Cursor = st.Accent
	f.TextInput.CursorText = st.Selected
	f.TextInput.Placeholder = st.Dim
	f.TextInput.Prompt = st.Accent
	f.TextInput.Text = st.Input
	t.Blurred = t.Focused
	t.Blurred.Base = st.Dim.PaddingLeft(1).BorderStyle(lipgloss.HiddenBorder()).BorderLeft(true)
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = st.Bold
	t.Blurred.MultiSelectSelector = st.Dim.SetString("  ")
	t.Blurred.SelectSelector = st.Dim.SetString("  ")
	t.Blurred.NextIndicator = st.Dim
	t.Blurred.PrevIndicator = st.Dim
	t.Group.Title = st.Title
	t.Group.Description = st.Dim
	t.Help.ShortKey = st.HelpKey
	t.Help.ShortDesc = st.HelpDesc
	t.Help.ShortSeparator = st.HelpDesc
	return t
}

// formDoneMsg is a form's end: submitted (every field valid) or not.
type formDoneMsg struct {
	id        int
	submitted bool
}

// form is a huh form embedded in a step: it takes every key while it is open, never quits
// the program (huh's own quit key is switched off: ctrl+c and esc are the wizard's), leaves
// the key hints to the console's status and footer lines, and
// reports its end with a formDoneMsg carrying its id, so a late message of a form the user
// already left is ignored.
type form struct {
	id   int
	form *huh.Form
	h    int
}

// formSeq numbers forms across every console in the process (tests run several at once).
var formSeq atomic.Int64

func newForm(st *common.Styles, groups ...*huh.Group) *form {
	f := &form{id: int(formSeq.Add(1))}
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithDisabled())
	hf := huh.NewForm(groups...).WithTheme(huhTheme(st)).WithKeyMap(km).WithShowHelp(false).WithShowErrors(true)
	id := f.id
	hf.SubmitCmd = func() tea.Msg { return formDoneMsg{id: id, submitted: true} }
	hf.CancelCmd = func() tea.Msg { return formDoneMsg{id: id} }
	f.form = hf
	return f
}

func (f *form) init() tea.Cmd { return f.form.Init() }

func (f *form) setSize(w, h int) {
	f.h = h
	f.form = f.form.WithWidth(w)
	f.fit()
}

// fit sizes the form's groups again: huh works out a group's scrolling area from the
// height of its footer when the height is set, and the footer grows when an error shows
// (and a group draws a blank line above it that huh does not count), so without this the
// error — the one line that must be seen — would fall off the bottom.
func (f *form) fit() {
	if f.h <= 0 {
		return
	}
	f.form = f.form.WithHeight(max(f.h-1, 1))
	// a group places its scrolling area when it updates: make it do so for the height it
	// has now, not on whatever message comes next (a blinking cursor's, whenever it ticks)
	if m, _ := f.form.Update(refitMsg{}); m != nil {
		f.form = m.(*huh.Form)
	}
}

// refitMsg is a message no field handles: it makes a form lay itself out again.
type refitMsg struct{}

func (f *form) update(msg tea.Msg) tea.Cmd {
	m, cmd := f.form.Update(msg)
	if hf, ok := m.(*huh.Form); ok {
		f.form = hf
	}
	f.fit()
	return cmd
}

func (f *form) view() string { return f.form.View() }

// open says the form still takes input.
func (f *form) open() bool { return f.form.State == huh.StateNormal }
