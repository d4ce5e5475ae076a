package ui

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/pages/wizard"
)

// live runs the console as Bubble Tea runs it — commands in goroutines, their messages
// back through one Update loop, in order — with no terminal, and lets a test look at the
// model between two messages. It is for flows built on components that pace themselves
// with their own messages and timers (huh's forms move between fields with messages they
// send themselves, their cursors blink), which the synchronous drive cannot run.
type live struct {
	t    testing.TB
	p    *tea.Program
	e    *simEnv
	done chan struct{}
}

// probeMsg runs fn on the model inside Update, between two other messages.
type probeMsg struct {
	fn   func(*Root)
	done chan struct{}
}

// probed is the console with probes answered.
type probed struct{ r *Root }

func (m probed) Init() tea.Cmd { return m.r.Init() }
func (m probed) View() string  { return m.r.View() }
func (m probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if p, ok := msg.(probeMsg); ok {
		p.fn(m.r)
		close(p.done)
		return m, nil
	}
	_, cmd := m.r.Update(msg)
	return m, cmd
}

// liveWait bounds how long a live test waits for anything: generous, as CI machines are
// shared; a flow that works takes milliseconds.
const liveWait = 30 * time.Second

// startLive runs a console over e's backend at w×h, polling every 10 ms, with a fixed
// client token, and waits until the services are listed.
func startLive(t testing.TB, e *simEnv, w, h int, mut ...func(*Options)) *live {
	t.Helper()
	o := e.options()
	o.PollInterval = 10 * time.Millisecond
	o.NewClientToken = func() string { return "plconsole-test-token-1" }
	for _, f := range mut {
		f(&o)
	}
	l := &live{t: t, e: e, done: make(chan struct{})}
	l.p = tea.NewProgram(probed{New(e.backend, o)}, tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithoutRenderer(), tea.WithoutSignalHandler())
	go func() {
		defer close(l.done)
		_, _ = l.p.Run()
	}()
	t.Cleanup(l.stop)
	l.p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	l.until("the services are listed", func(r *Root) bool { return len(r.ctx.Store.Services()) > 0 })
	return l
}

func (l *live) stop() {
	l.p.Quit()
	select {
	case <-l.done:
	case <-time.After(liveWait):
		l.t.Error("the program did not stop")
	}
}

// do runs fn on the model between two messages and waits for it.
func (l *live) do(fn func(*Root)) {
	l.t.Helper()
	if !l.try(fn) {
		l.t.Fatal("the program ended")
	}
}

// try is do that reports, instead of failing, that the program has ended (it quit).
func (l *live) try(fn func(*Root)) bool {
	l.t.Helper()
	done := make(chan struct{})
	l.p.Send(probeMsg{fn: fn, done: done})
	select {
	case <-done:
		return true
	case <-l.done:
		return false
	case <-time.After(liveWait):
		l.t.Fatal("the program did not answer a probe")
	}
	return false
}

// until waits until cond holds, and fails with the screen when it never does.
func (l *live) until(what string, cond func(*Root) bool) {
	l.t.Helper()
	deadline := time.Now().Add(liveWait)
	for {
		ok := false
		l.do(func(r *Root) { ok = cond(r) })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("waited for %s; the screen shows:\n%s", what, l.view())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// untilView waits until the screen shows every one of texts.
func (l *live) untilView(texts ...string) {
	l.t.Helper()
	l.until("a screen with "+strings.Join(texts, ", "), func(r *Root) bool {
		v := plain(r.View())
		for _, s := range texts {
			if !strings.Contains(v, s) {
				return false
			}
		}
		return true
	})
}

var availableRe = regexp.MustCompile(`(?m)^\s+State\s+Available\s*$`)

// untilAvailable waits until the wizard shows the new service Available.
func (l *live) untilAvailable() {
	l.t.Helper()
	l.until("the service to be Available", func(r *Root) bool { return availableRe.MatchString(plain(r.View())) })
}

// view is the screen now, without colours.
func (l *live) view() string {
	var v string
	l.do(func(r *Root) { v = plain(r.View()) })
	return v
}

// press sends keys, each handled before the next.
func (l *live) press(keys ...string) {
	l.t.Helper()
	for _, k := range keys {
		l.p.Send(keyMsg(k))
	}
	l.do(func(*Root) {})
}

// pressLast sends a key that may end the program (ctrl+c outside a form quits).
func (l *live) pressLast(key string) (running bool) {
	l.t.Helper()
	l.p.Send(keyMsg(key))
	return l.try(func(*Root) {})
}

// typeText types s rune by rune.
func (l *live) typeText(s string) {
	l.t.Helper()
	for _, r := range s {
		k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		if r == ' ' {
			k = keyMsg("space")
		}
		l.p.Send(k)
	}
	l.do(func(*Root) {})
}

// wiz is the wizard page.
func wiz(r *Root) *wizard.Page { return r.pages[wizard.ID].(*wizard.Page) }

// step waits until the wizard shows a step.
func (l *live) step(name string) {
	l.t.Helper()
	l.until("the wizard's "+name+" step", func(r *Root) bool {
		return topID(r) == wizard.ID && wiz(r).Running() && wiz(r).Step() == name
	})
}

// field waits until a form field has focus.
func (l *live) field(key string) {
	l.t.Helper()
	l.until("the form field "+key, func(r *Root) bool { return wiz(r).Running() && wiz(r).Field() == key })
}

// fill types text into a field once it has focus (after clearing what is there) and
// presses enter.
func (l *live) fill(key, text string) {
	l.t.Helper()
	l.field(key)
	l.press("ctrl+u")
	l.typeText(text)
	l.press("enter")
}

// next presses enter on a field once it has focus (keeping its value).
func (l *live) next(key string) {
	l.t.Helper()
	l.field(key)
	l.press("enter")
}
