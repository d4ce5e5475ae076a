// Package wizard is the guided setup of an endpoint service and its settings editor: one
// page whose steps are components — the load balancers to put it on, a preflight of them,
// the settings and access forms (huh), a review with the exact API calls, the AWS CLI and
// Terraform, the create (or the change) call by call, and after a create the private DNS
// verification and a test consumer connection. Each step can go back without losing an
// answer; nothing is sent before the review's create, and leaving earlier sends nothing.
package wizard

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/store"
	"github.com/plconsole/plconsole/ui/tasks"
)

// ID is the page's registration id.
const ID = "wizard"

// Mode is what the wizard does: create a service, or change one.
type Mode int

const (
	Create Mode = iota
	Edit
)

// Start says how the wizard opens.
type Start struct {
	Mode Mode
	// Service is the service to change (Edit).
	Service *model.EndpointService
	// Spec, when set, fills a new service's answers (a spec file).
	Spec *model.ServiceSpec
	// Consumers are the profiles offered for the test consumer (in the simulated region,
	// its consumer accounts); OpenConsumer opens one. Without it there is no test consumer.
	Consumers    []string
	OpenConsumer store.ConsumerOpener
	// PollInterval is how often the wizard re-reads what it waits for (a new service
	// becoming Available, DNS verification, the test endpoint's state). Zero: 3 s.
	PollInterval time.Duration
	// Dir is where files are saved when the path typed is relative ("" is the working
	// directory).
	Dir string
	// Token makes the run's client token (nil: a random one).
	Token func() string
}

// DefaultPollInterval is Start.PollInterval's default.
const DefaultPollInterval = 3 * time.Second

type stepID int

const (
	stepLBs stepID = iota
	stepPreflight
	stepSettings
	stepAccess
	stepReview
	stepApply
	stepNext
	stepConsumer
)

// step is one screen of the wizard.
type step interface {
	// enter makes the step current: it builds its form or lines from the answers.
	enter() tea.Cmd
	update(msg tea.Msg) tea.Cmd
	view() string
	setSize(w, h int)
	capturing() bool
	// keys are the bindings it handles; help the ones the footer shows.
	keys() []string
	help() []string
	status() string
	title() string
}

// Page is the wizard.
type Page struct {
	ctx   *common.Context
	start Start
	home  string // the session's Region when the wizard started
	open  bool

	cur   stepID
	steps map[stepID]step

	ans      answers
	acked    map[string]bool // preflight findings acknowledged (model.FindingKey)
	findings []model.Finding
	lbs      lbData

	// backToReview: the preflight was opened from the review (p), and enter returns there.
	backToReview bool

	// token is this run's ClientToken: every create the run sends carries it, so a retry
	// never makes a second service.
	token   string
	created *model.EndpointService // the service the run made (Create)

	width, height int
	taskSeq       int
}

// lbData is the account's load balancers as the wizard read them.
type lbData struct {
	list    []model.LoadBalancer
	loaded  bool
	loading bool
	err     error
}

// New makes the wizard page; Open starts it.
func New(ctx *common.Context) *Page { return &Page{ctx: ctx} }

// Open starts the wizard afresh (answers, acknowledgements and the client token of a
// previous run are dropped) and reads the load balancers.
func (p *Page) Open(s Start) tea.Cmd {
	if s.PollInterval <= 0 {
		s.PollInterval = DefaultPollInterval
	}
	// what a previous run left running belongs to it: its reads' results would land in
	// this run's steps, its test consumer's session would stay open
	p.ctx.Tasks.CancelOwner(ID)
	if c, ok := p.steps[stepConsumer].(*consumerStep); ok {
		c.close()
	}
	*p = Page{ctx: p.ctx, start: s, open: true, width: p.width, height: p.height, taskSeq: p.taskSeq,
		home: p.ctx.Store.Identity().Region, acked: map[string]bool{}}
	p.ans = defaultAnswers()
	switch {
	case s.Mode == Edit && s.Service != nil:
		p.ans = answersFrom(model.SpecFromService(*s.Service, p.home))
	case s.Spec != nil:
		p.ans = answersFrom(*s.Spec)
	}
	// one token a wizard run: every retry of its create is the same create
	if s.Token != nil {
		p.token = s.Token()
	} else {
		p.token = model.NewClientToken()
	}
	p.steps = map[stepID]step{
		stepLBs:       newLBStep(p),
		stepPreflight: newPreflightStep(p),
		stepSettings:  newSettingsStep(p),
		stepAccess:    newAccessStep(p),
		stepReview:    newReviewStep(p),
		stepApply:     newApplyStep(p),
		stepNext:      newNextStep(p),
		stepConsumer:  newConsumerStep(p),
	}
	for _, st := range p.steps {
		st.setSize(p.bodySize())
	}
	return tea.Batch(p.loadLBs(), p.goTo(stepLBs))
}

// Running says whether the wizard has started and not been closed.
func (p *Page) Running() bool { return p.open }

// Busy says whether it has sent a write whose answer has not come: leaving would hide it.
func (p *Page) Busy() bool {
	a, _ := p.steps[stepApply].(*applyStep)
	return p.open && a != nil && a.running()
}

// Mode is what the wizard does.
func (p *Page) Mode() Mode { return p.start.Mode }

// Step is the name of the current step, for tests and the crumbs.
func (p *Page) Step() string { return p.steps[p.cur].title() }

// Field is the key of the form field that has focus ("" when the step has no open form):
// a form moves between fields with messages it sends itself, so a test types into a field
// once it has focus.
func (p *Page) Field() string {
	if f, ok := p.steps[p.cur].(interface{ field() string }); ok && p.open {
		return f.field()
	}
	return ""
}

// LoadBalancerAtCursor is the name of the load balancer under the picker's cursor.
func (p *Page) LoadBalancerAtCursor() string {
	s := p.steps[stepLBs].(*lbStep)
	if r := s.table.Current(); r != nil {
		return r.Cells[lbColName]
	}
	return ""
}

// Spec is the spec the answers make now, and why it is not valid.
func (p *Page) Spec() (model.ServiceSpec, error) { return p.ans.spec(p.home) }

// Created is the service this run made, once the create call answered.
func (p *Page) Created() (model.EndpointService, bool) {
	if p.created == nil {
		return model.EndpointService{}, false
	}
	return *p.created, true
}

func (p *Page) ID() string { return ID }

func (p *Page) Title() string {
	if p.start.Mode == Edit && p.start.Service != nil {
		return "Edit " + p.start.Service.Label()
	}
	return "New endpoint service"
}

// Crumbs adds the current step.
func (p *Page) Crumbs() []string {
	if !p.open {
		return nil
	}
	return []string{p.steps[p.cur].title()}
}

func (p *Page) Status() string {
	if !p.open {
		return ""
	}
	return p.steps[p.cur].status()
}

func (p *Page) Init() tea.Cmd { return nil }

func (p *Page) Capturing() bool { return p.open && p.steps[p.cur].capturing() }

func (p *Page) KeyBindings() []string {
	if !p.open {
		return nil
	}
	return append([]string{common.KeyBack}, p.steps[p.cur].keys()...)
}

func (p *Page) ShortHelp() []string {
	if !p.open {
		return nil
	}
	return append(p.steps[p.cur].help(), common.KeyBack)
}

// bodySize is the room a step has under the step bar.
func (p *Page) bodySize() (int, int) { return p.width, max(p.height-2, 1) }

func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	for _, st := range p.steps {
		st.setSize(p.bodySize())
	}
}

// order is the steps of the mode, as the step bar shows them.
func (p *Page) order() []stepID {
	if p.start.Mode == Edit {
		return []stepID{stepLBs, stepPreflight, stepSettings, stepReview, stepApply}
	}
	return []stepID{stepLBs, stepPreflight, stepSettings, stepAccess, stepReview, stepApply, stepNext}
}

// goTo makes a step current.
func (p *Page) goTo(id stepID) tea.Cmd {
	p.cur = id
	if id != stepPreflight {
		p.backToReview = false
	}
	if id <= stepReview {
		p.evaluate()
	}
	return p.steps[id].enter()
}

// next moves to the step after the current one.
func (p *Page) next() tea.Cmd {
	o := p.order()
	for i, id := range o {
		if id == p.cur && i+1 < len(o) {
			return p.goTo(o[i+1])
		}
	}
	return nil
}

// back moves to the step before the current one; from the first, it leaves the wizard.
func (p *Page) back() tea.Cmd {
	switch p.cur {
	case stepApply, stepNext:
		return p.leave()
	case stepConsumer:
		return p.goTo(stepNext)
	}
	o := p.order()
	for i, id := range o {
		if id == p.cur && i > 0 {
			return p.goTo(o[i-1])
		}
	}
	return p.leave()
}

// leave closes the wizard. Before the create nothing was sent, so nothing exists; after
// it, the services list shows what the run made.
func (p *Page) leave() tea.Cmd {
	p.open = false
	var cmds []tea.Cmd
	if c, ok := p.steps[stepConsumer].(*consumerStep); ok {
		cmds = append(cmds, c.close())
	}
	p.ctx.Tasks.CancelOwner(ID)
	msg := "wizard closed: nothing was sent to AWS"
	switch {
	case p.created != nil:
		msg = "wizard closed; " + p.created.ID + " stays"
	case p.start.Mode == Edit && p.steps[stepApply].(*applyStep).sent:
		msg = "editor closed"
	}
	cmds = append(cmds, common.Send(common.ClosePageMsg{ID: ID, Flash: &common.FlashMsg{Text: msg, Level: common.FlashInfo}}))
	return tea.Batch(cmds...)
}

// evaluate runs the preflight on the answers and the load balancers as read.
func (p *Page) evaluate() {
	spec, _ := p.ans.spec(p.home)
	spec.LoadBalancers = p.ans.lbs
	if !p.lbs.loaded {
		p.findings = nil
		return
	}
	editing := ""
	if p.start.Mode == Edit && p.start.Service != nil {
		editing = p.start.Service.ID
	}
	p.findings = model.Preflight(model.PreflightInput{
		Spec: spec, LoadBalancers: p.lbs.list, Services: p.ctx.Store.Services(), Editing: editing,
	})
}

// unacknowledged counts the critical findings not acknowledged.
func (p *Page) unacknowledged() int { return model.Unacknowledged(p.findings, p.acked) }

// ---- background work -----------------------------------------------------------------------

// lbsResult is the account's load balancers, read for the picker.
type lbsResult struct {
	lbs []model.LoadBalancer
	err error
}

// loadLBs reads every load balancer of the account with listeners and target health.
func (p *Page) loadLBs() tea.Cmd {
	b := p.ctx.Store.Backend()
	p.lbs.loading = true
	return p.ctx.Tasks.Start("wizard/lbs", ID, tasks.CancelOlder, func(ctx context.Context) tea.Msg {
		lbs, err := b.ListLoadBalancers(ctx, nil)
		return lbsResult{lbs: lbs, err: err}
	})
}

// task starts background work owned by the wizard; write says it changes AWS (its key
// then starts with write/, so the console counts it among the writes in flight).
func (p *Page) task(name string, write bool, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	p.taskSeq++
	key := "wizard/" + name + "/" + common.Itoa(p.taskSeq)
	if write {
		key = "write/" + key
	}
	return p.ctx.Tasks.Start(key, ID, tasks.Join, fn)
}

// pollMsg wakes a step that waits for something (a state change) after the interval.
type pollMsg struct {
	step stepID
	gen  int
}

func (p *Page) poll(id stepID, gen int) tea.Cmd {
	return tea.Tick(p.start.PollInterval, func(time.Time) tea.Msg { return pollMsg{step: id, gen: gen} })
}

// ---- update and view -----------------------------------------------------------------------

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if !p.open {
		return p, nil
	}
	switch msg := msg.(type) {
	case common.SessionChangedMsg:
		// the answers and the load balancers belong to the old session
		p.open = false
		p.ctx.Tasks.CancelOwner(ID)
		return p, nil
	case common.DataChangedMsg, common.ShownMsg, common.ClearMarksMsg:
		return p, nil
	case common.RefreshMsg:
		if msg.Explicit && p.cur <= stepPreflight {
			return p, p.loadLBs()
		}
		return p, nil
	case lbsResult:
		p.lbs = lbData{list: msg.lbs, loaded: msg.err == nil || len(msg.lbs) > 0, err: msg.err}
		p.evaluate()
		return p, p.steps[p.cur].update(msg)
	case pollMsg:
		return p, p.steps[msg.step].update(msg)
	case tea.KeyMsg:
		return p, p.key(msg)
	}
	// results of the steps' tasks, and the messages a form sends itself (a step passes
	// those to its form only while it is the current step)
	var cmds []tea.Cmd
	for id := stepLBs; id <= stepConsumer; id++ {
		cmds = append(cmds, p.steps[id].update(msg))
	}
	return p, tea.Batch(cmds...)
}

func (p *Page) key(msg tea.KeyMsg) tea.Cmd {
	st := p.steps[p.cur]
	if msg.String() == "ctrl+c" {
		// reaches the page only while a form takes the keys (elsewhere it quits the
		// console): it leaves the wizard, as it cancels a dialog
		return p.leave()
	}
	if msg.String() == "esc" || (!st.capturing() && p.ctx.Keys.Is(msg, common.KeyBack)) {
		if cmd, handled := p.escape(); handled {
			return cmd
		}
		return p.back()
	}
	return st.update(msg)
}

// escape lets the current step take esc first (closing a prompt of its own).
func (p *Page) escape() (tea.Cmd, bool) {
	if e, ok := p.steps[p.cur].(interface{ escape() (tea.Cmd, bool) }); ok {
		return e.escape()
	}
	return nil, false
}

func (p *Page) View() string {
	if !p.open || p.width <= 0 || p.height <= 0 {
		return ""
	}
	return p.stepBar() + "\n\n" + p.steps[p.cur].view()
}

// stepBar shows the steps of the mode: done, current, to come.
func (p *Page) stepBar() string {
	st := p.ctx.Styles
	var parts []string
	for i, id := range p.order() {
		label := common.Itoa(i+1) + " " + p.steps[id].title()
		switch {
		case id == p.cur:
			parts = append(parts, st.TabActive.Render(label))
		case id < p.cur:
			parts = append(parts, st.OK.Render(label))
		default:
			parts = append(parts, st.TabInactive.Render(label))
		}
	}
	if p.cur == stepConsumer {
		parts = append(parts, st.TabActive.Render("Test consumer"))
	}
	return common.Truncate(strings.Join(parts, st.Dim.Render(" › ")), p.width)
}
