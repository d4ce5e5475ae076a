package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/pages/detail"
	"github.com/plconsole/plconsole/ui/pages/inbox"
	"github.com/plconsole/plconsole/ui/pages/services"
)

// globalKeys are keys that quit, navigate or open something when nothing captures text.
const globalKeys = "q c r : / ? @"

// While a text input has focus, the global keys are typed, not run: in a dialog's field, in
// the filter and in the palette.
func TestTextInputsTakeTheGlobalKeys(t *testing.T) {
	b := newTestBackend(t)
	m := newTestRoot(t, b, 120, 40)
	press(t, m, "down", "enter", "3", "+")
	if d := dialogOf(m); d == nil || !d.Capturing() {
		t.Fatal("+ opens the add-principal form, which takes text")
	}
	if quit := typeKeys(t, m, globalKeys); quit {
		t.Fatal("q in a form field quit the console")
	}
	if d := dialogOf(m); d == nil || d.Values()[0] != globalKeys || topID(m) != detail.ID {
		t.Fatalf("the form's field holds %q (top page %s)", dialogValues(m), topID(m))
	}
	press(t, m, "esc", "esc")

	press(t, m, "c", "/")
	if quit := typeKeys(t, m, "qcr:/?@"); quit || !filterOpen(m) || inboxOf(m).Filter() != "qcr:/?@" {
		t.Fatalf("the filter holds %q (open %v)", inboxOf(m).Filter(), filterOpen(m))
	}
	press(t, m, "esc")

	press(t, m, ":")
	if quit := typeKeys(t, m, "qcr/?@"); quit || paletteOf(m) == nil || paletteOf(m).Value() != "qcr/?@" {
		t.Fatal("the palette takes the global keys as text")
	}
	press(t, m, "esc")
	if topID(m) != inbox.ID || len(m.layers) != 0 {
		t.Fatalf("after the inputs closed: top %s, %d layers", topID(m), len(m.layers))
	}
}

func dialogValues(m *Root) []string {
	if d := dialogOf(m); d != nil {
		return d.Values()
	}
	return nil
}

// typeKeys types s key by key (spaces as the space key) and reports whether anything quit.
func typeKeys(t *testing.T, m *Root, s string) (quit bool) {
	t.Helper()
	for _, r := range s {
		k := keyMsg(string(r))
		if r == ' ' {
			k = keyMsg("space")
		}
		_, cmd := m.Update(k)
		if drive(t, m, cmd) {
			quit = true
		}
	}
	return quit
}

// formPage is a page made of a huh form: the kind of component that needs its own messages
// back (huh moves between fields and groups with messages it sends itself).
type formPage struct {
	form      *huh.Form
	name, dc  string
	submitted bool
}

type formSubmittedMsg struct{}

func newFormPage() *formPage {
	p := &formPage{}
	p.form = huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Name").Value(&p.name),
		huh.NewInput().Title("Data center").Value(&p.dc),
	)).WithShowHelp(false)
	p.form.SubmitCmd = func() tea.Msg { return formSubmittedMsg{} }
	return p
}

func (p *formPage) ID() string            { return "form" }
func (p *formPage) Title() string         { return "Form" }
func (p *formPage) Status() string        { return "" }
func (p *formPage) Init() tea.Cmd         { return p.form.Init() }
func (p *formPage) KeyBindings() []string { return nil }
func (p *formPage) ShortHelp() []string   { return nil }
func (p *formPage) Capturing() bool       { return p.form.State == huh.StateNormal }
func (p *formPage) SetSize(w, h int)      { p.form.WithWidth(w).WithHeight(h) }
func (p *formPage) valuesText() string    { return fmt.Sprintf("%q %q", p.name, p.dc) }

func (p *formPage) View() string {
	if p.submitted {
		return "submitted " + p.valuesText()
	}
	return p.form.View()
}

func (p *formPage) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if _, ok := msg.(formSubmittedMsg); ok {
		p.submitted = true
		return p, nil
	}
	f, cmd := p.form.Update(msg)
	p.form = f.(*huh.Form)
	return p, cmd
}

// A huh form works inside the focus stack: the keys (global ones included) reach it while it
// captures text, and the messages it sends itself come back to it, so it moves to its next
// field and submits.
func TestAComponentWithItsOwnMessagesWorksInTheStack(t *testing.T) {
	m := New(newTestBackend(t), testOptions())
	page := newFormPage()
	m.pages[page.ID()] = page
	m.stack = append(m.stack, page)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	typeInto := func(s string) {
		for _, r := range s {
			k := keyMsg(string(r))
			if r == ' ' {
				k = keyMsg("space")
			}
			tm.Send(k)
		}
	}
	typeInto(globalKeys)
	tm.Send(keyMsg("enter")) // to the next field: a message huh sends itself
	// the second field has focus (huh draws its border) once huh's message came back
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "┃ Data center") },
		teatest.WithDuration(10*time.Second))
	typeInto("eu-1")
	tm.Send(keyMsg("enter")) // submits: another round trip
	want := fmt.Sprintf("submitted %q %q", globalKeys, "eu-1")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "submitted") },
		teatest.WithDuration(10*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Root)
	if !page.submitted || page.valuesText() != want[len("submitted "):] {
		t.Fatalf("form values %s, submitted %v", page.valuesText(), page.submitted)
	}
	if final.top() != common.Page(page) {
		t.Fatalf("a global key navigated away from the form: top is %s", final.top().ID())
	}
}

// Marks are the user's choice: a filter typed and cancelled, or one that hides marked rows,
// loses none of them, and an action on the marks says which ones the filter hides.
func TestMarksSurviveFilters(t *testing.T) {
	m := newTestRoot(t, newTestBackend(t), 120, 40)
	press(t, m, "c", "space", "space")
	marked := inboxOf(m).Table().MarkedIDs()
	if len(marked) != 2 {
		t.Fatalf("%d marked", len(marked))
	}
	press(t, m, "/")
	typeText(t, m, "no-such-row")
	if inboxOf(m).Table().Len() != 0 {
		t.Fatal("the filter hides every row while typed")
	}
	press(t, m, "esc")
	if got := inboxOf(m).Table().MarkedIDs(); fmt.Sprint(got) != fmt.Sprint(marked) {
		t.Fatalf("after a cancelled filter: marked %v, want %v", got, marked)
	}
	press(t, m, "/")
	typeText(t, m, "us-west-2")
	press(t, m, "enter")
	hidden := inboxOf(m).Table().HiddenMarked()
	if hidden == 0 || len(inboxOf(m).Table().MarkedIDs()) != 2 {
		t.Fatalf("a kept filter that hides marked rows: %d hidden of %v", hidden, inboxOf(m).Table().MarkedIDs())
	}
	mustContain(t, m.View(), "2 marked ("+common.Itoa(hidden)+" hidden by the filter)")
	press(t, m, "a")
	mustContain(t, m.View(), "Accept 2 connections?", "Includes "+common.Itoa(hidden)+" marked but hidden by the current filter.")
	press(t, m, "esc", "esc")
	if got := inboxOf(m).Table().MarkedIDs(); fmt.Sprint(got) != fmt.Sprint(marked) {
		t.Fatalf("after clearing the filter: marked %v, want %v", got, marked)
	}
}

// With every request 500 ms slow, r pressed ten times during a refresh costs at most one
// more refresh, counted by the simulated region.
func TestRefreshPressedTenTimesCostsAtMostOneMore(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	tm := teatest.NewTestModel(t, New(e.backend, e.options()), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "3/3 services")
	waitIdle(t, e.backend)

	e.region.ResetStats()
	tm.Send(keyMsg("r"))
	waitIdle(t, e.backend)
	one := e.region.Stats().Total
	if one == 0 {
		t.Fatal("a refresh made no request")
	}

	e.region.Faults().Set(sim.FaultConfig{LatencyMs: 500})
	e.region.ResetStats()
	for i := 0; i < 10; i++ {
		tm.Send(keyMsg("r"))
	}
	waitIdle(t, e.backend)
	e.region.Faults().Set(sim.FaultConfig{})
	if ten := e.region.Stats().Total; ten > 2*one {
		t.Fatalf("ten r presses during a slow refresh cost %d requests; one refresh costs %d", ten, one)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
}

// Two region switches that overlap end in the region asked for last, and what the header
// names is where the data was read.
func TestOverlappingRegionSwitchesEndInTheLastAskedFor(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo, simtest.AlsoServe("eu-west-1", "eu-west-2"))
	m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now })
	e.region.Faults().Set(sim.FaultConfig{LatencyMs: 150})

	// both switches are in flight at once, as two quick :region commands make them
	first := m.switchSession("region", "eu-west-1")
	second := m.switchSession("region", "eu-west-2")
	var wg sync.WaitGroup
	results := make([]tea.Msg, 2)
	for i, c := range []tea.Cmd{first, second} {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = c() }()
	}
	wg.Wait()
	e.region.Faults().Set(sim.FaultConfig{})
	// deliver them in the worse order: the later switch's answer first
	for _, msg := range []tea.Msg{results[1], results[0]} {
		_, cmd := m.Update(msg)
		drive(t, m, cmd)
	}
	id := m.Identity()
	if id.Region != "eu-west-2" || e.client.Identity().Region != "eu-west-2" {
		t.Fatalf("after overlapping switches the console shows %s and the client acts in %s, want eu-west-2",
			id.Region, e.client.Identity().Region)
	}
	mustContain(t, m.View(), "region eu-west-2")
	want := map[string]bool{}
	w := e.region.Regions["eu-west-2"].World()
	for _, s := range w.ServiceList {
		if s.OwnerID == w.Provider.ID {
			want[s.ID] = true
		}
	}
	got := m.ctx.Store.Services()
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("the console shows %d services, eu-west-2 has %d", len(got), len(want))
	}
	for _, s := range got {
		if !want[s.ID] || !strings.Contains(s.Name, ".eu-west-2.") {
			t.Fatalf("%s (%s) is not a service of eu-west-2", s.ID, s.Name)
		}
	}
	if n := servicesOf(m).Table().Len(); n != len(want) || topID(m) != services.ID {
		t.Fatalf("the services list shows %d rows on %s", n, topID(m))
	}
}

// A switch's answer that arrives after a later switch of the other kind installed its
// session is not shown: the header and the data stay with the backend's current session.
func TestASwitchAnswerForAnOlderSessionIsDropped(t *testing.T) {
	b := newTestBackend(t)
	release := make(chan struct{})
	b.switchDelay = func(ctx context.Context, what, value string) error {
		if what == "profile" {
			<-release // the profile switch answers last
		}
		return nil
	}
	m := newTestRoot(t, b, 120, 40)
	slow := m.switchSession("profile", "prod")
	fast := m.switchSession("region", "eu-west-2")
	slowDone := make(chan tea.Msg, 1)
	go func() { slowDone <- slow() }()
	fastMsg := fast()
	close(release)
	slowMsg := <-slowDone
	// the fake applies both; its session is now prod in eu-west-2. The region answer names
	// the session before the profile switch: it must not be shown.
	_, cmd := m.Update(fastMsg)
	drive(t, m, cmd)
	if m.Identity().Region == "eu-west-2" && m.Identity().Profile != "prod" {
		t.Fatalf("a stale session was installed: %+v", m.Identity())
	}
	_, cmd = m.Update(slowMsg)
	drive(t, m, cmd)
	if id := m.Identity(); id.Profile != "prod" || id.Region != "eu-west-2" || id != b.Identity() {
		t.Fatalf("console shows %+v, backend acts as %+v", id, b.Identity())
	}
	mustContain(t, m.View(), "profile prod", "region eu-west-2")
}

// Only the page on screen rebuilds when the store changes; a page below catches up when it
// comes back: the services list, under the inbox while two requests arrived, counts them
// when it is shown again.
func TestAPageBelowCatchesUpWhenShown(t *testing.T) {
	fb := newFakeBackend(model.ModeDemo)
	m := newTestRoot(t, fb, 160, 30)
	row := func() string {
		for _, line := range strings.Split(m.View(), "\n") {
			if strings.Contains(line, "payments-api") {
				return strings.Join(strings.Fields(line), " ")
			}
		}
		return ""
	}
	if r := row(); !strings.Contains(r, "manual pending 1 3 2 4") {
		t.Fatalf("payments-api before: %q", r)
	}
	press(t, m, "c")
	fb.mu.Lock()
	for i := range 2 {
		fb.conns = append(fb.conns, model.Connection{ServiceID: svcID(0xa1), EndpointID: vpceID(0xf00 + i), OwnerAccount: "444455556666",
			State: model.StatePendingAcceptance, Created: testNow, Region: "us-east-1", IPAddressType: "ipv4"})
	}
	fb.mu.Unlock()
	press(t, m, "r")
	if topID(m) != inbox.ID || !strings.Contains(m.View(), vpceID(0xf00)) {
		t.Fatal("the inbox shows the new requests")
	}
	press(t, m, "esc")
	if r := row(); topID(m) != services.ID || !strings.Contains(r, "manual pending 1 3 4 4") {
		t.Fatalf("payments-api after the requests arrived: %q", r)
	}
}
