package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/internal/testenv"
	"github.com/plconsole/plconsole/ui/components/dialog"
	"github.com/plconsole/plconsole/ui/components/filterbar"
	"github.com/plconsole/plconsole/ui/components/help"
	"github.com/plconsole/plconsole/ui/components/palette"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/pages/services"
)

// TestMain makes the tests hermetic: no AWS settings, profile, endpoint or NO_COLOR from
// the machine reach the console or the SDK clients of the simulated-region tests.
func TestMain(m *testing.M) { testenv.Main(m, "plconsole-ui-", "NO_COLOR") }

// Accessors for the registered pages and the open layers.
func servicesOf(m *Root) *services.Page { return m.pages[services.ID].(*services.Page) }
func inboxOf(m *Root) *inbox.View       { return m.pages[inbox.ID].(*inbox.View) }
func detailOf(m *Root) *detail.Page     { return m.pages[detail.ID].(*detail.Page) }
func topID(m *Root) string              { return m.top().ID() }

// dialogOf is the open dialog (nil when none).
func dialogOf(m *Root) *dialog.Dialog {
	d, _ := m.topLayer().(*dialog.Dialog)
	return d
}

func paletteOf(m *Root) *palette.Palette {
	p, _ := m.topLayer().(*palette.Palette)
	return p
}

func helpOpen(m *Root) bool {
	_, ok := m.topLayer().(*help.Help)
	return ok
}

func filterOpen(m *Root) bool {
	_, ok := m.topLayer().(*filterbar.Bar)
	return ok
}

func testOptions() Options {
	return Options{
		Now:             func() time.Time { return testNow },
		RefreshInterval: 30 * time.Second,
		DisableTicks:    true,
		Clipboard:       &bytes.Buffer{},
		Renderer:        lipgloss.NewRenderer(io.Discard),
		Profiles:        []string{"demo", "prod", "staging"},
		StartPage:       StartServices, // the fleet overview's own tests opt in
	}
}

// newTestRoot builds a console over b, loads its data synchronously and sizes it.
func newTestRoot(t testing.TB, b Backend, w, h int, mut ...func(*Options)) *Root {
	t.Helper()
	o := testOptions()
	for _, f := range mut {
		f(&o)
	}
	m := New(b, o)
	drive(t, m, m.Init())
	drive(t, m, func() tea.Msg { return tea.WindowSizeMsg{Width: w, Height: h} })
	return m
}

// drive runs a command and feeds every message it produces back into Update, as the
// Bubble Tea runtime would, synchronously. It reports whether the program asked to quit.
func drive(t testing.TB, m *Root, cmd tea.Cmd) (quit bool) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("command loop does not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			quit = true
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
	return quit
}

// keyMsg turns a key name into the message Bubble Tea would send.
func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"ctrl+a": tea.KeyCtrlA, "ctrl+c": tea.KeyCtrlC, "ctrl+s": tea.KeyCtrlS, "space": tea.KeySpace,
		"backspace": tea.KeyBackspace, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "home": tea.KeyHome,
		"end": tea.KeyEnd, "delete": tea.KeyDelete, "ctrl+u": tea.KeyCtrlU,
	}
	if k == "space" {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}} // as a terminal sends it
	}
	if t, ok := named[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one by one, running what each returns.
func press(t testing.TB, m *Root, keys ...string) (quit bool) {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		if drive(t, m, cmd) {
			quit = true
		}
	}
	return quit
}

// typeText sends each rune of s as a key.
func typeText(t testing.TB, m *Root, s string) {
	t.Helper()
	for _, r := range s {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		drive(t, m, cmd)
	}
}

func plain(s string) string { return ansi.Strip(s) }

func mustContain(t testing.TB, view string, wants ...string) {
	t.Helper()
	v := plain(view)
	for _, w := range wants {
		if !strings.Contains(v, w) {
			t.Fatalf("view does not contain %q:\n%s", w, v)
		}
	}
}

func mustNotContain(t testing.TB, view string, wants ...string) {
	t.Helper()
	v := plain(view)
	for _, w := range wants {
		if strings.Contains(v, w) {
			t.Fatalf("view contains %q:\n%s", w, v)
		}
	}
}
