package wizard

import (
	"context"
	"errors"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textview"
)

// callState is where one planned call is.
type callState int

const (
	callWaiting callState = iota
	callRunning
	callDone
	callFailed
	callDryRun  // sent with DryRun: Detail is AWS's verdict
	callNotSent // not sent, and why
)

// callRow is one planned call and what became of it.
type callRow struct {
	plan   model.PlannedCall
	state  callState
	detail string
	ok     bool // for callDryRun: AWS said it would succeed
}

// applyStep sends the reviewed calls one by one and shows each call's outcome. On a
// failure it says exactly what exists (it reads the service back) and r retries only what
// is missing; the create itself is retried with the run's client token, so AWS returns the
// service it may already have made instead of a second one.
type applyStep struct {
	p    *Page
	text *textview.View
	w, h int

	spec    model.ServiceSpec
	modify  model.ModifyServiceInput
	calls   []*callRow
	svc     *model.EndpointService
	sent    bool // a call went out
	busy    bool // a call or a read is in flight
	failed  bool
	exists  []string // what exists after a failure, as read back
	reading bool
	gen     int // results of an earlier attempt are dropped
	dry     bool
}

func newApplyStep(p *Page) *applyStep { return &applyStep{p: p, text: textview.New(p.ctx)} }

func (s *applyStep) title() string {
	if s.p.start.Mode == Edit {
		return "Apply"
	}
	return "Create"
}
func (s *applyStep) capturing() bool  { return false }
func (s *applyStep) running() bool    { return s.busy }
func (s *applyStep) enter() tea.Cmd   { s.render(); return nil }
func (s *applyStep) setSize(w, h int) { s.w, s.h = w, h; s.text.SetSize(w, h); s.render() }

func (s *applyStep) keys() []string {
	k := append([]string{KeyNextStep}, common.NavigationKeys...)
	if s.failed && !s.busy {
		k = append(k, KeyRetry)
	}
	return k
}

func (s *applyStep) help() []string {
	switch {
	case s.busy:
		return nil
	case s.failed:
		return []string{KeyRetry}
	}
	return []string{KeyNextStep}
}

func (s *applyStep) status() string {
	done := 0
	for _, c := range s.calls {
		if c.state == callDone {
			done++
		}
	}
	switch {
	case s.busy:
		return "sending… " + common.Itoa(done) + " of " + common.Plural(len(s.calls), "call") + " done"
	case s.failed:
		return "stopped at a failure: r retries what is missing, esc leaves it as it is"
	case s.dry:
		return "dry run finished: nothing was changed"
	}
	return common.Itoa(done) + " of " + common.Plural(len(s.calls), "call") + " done · enter goes on"
}

// begin starts sending: the create plan of spec, or the one modification.
func (s *applyStep) begin(spec model.ServiceSpec, modify model.ModifyServiceInput) tea.Cmd {
	s.spec, s.modify = spec, modify
	s.calls, s.svc, s.exists, s.failed, s.dry = nil, nil, nil, false, false
	s.gen++
	if s.p.start.Mode == Edit {
		s.svc = s.p.start.Service
		s.calls = []*callRow{{plan: model.PlannedCall{Step: "modify", Operation: "ModifyVpcEndpointServiceConfiguration",
			What: "change " + s.p.start.Service.Label()}}}
	} else {
		for _, c := range model.CreatePlan(spec) {
			s.calls = append(s.calls, &callRow{plan: c})
		}
	}
	return s.sendNext()
}

// callResult is one call's outcome.
type callResult struct {
	gen, index int
	svc        *model.EndpointService
	err        error
	note       string // a call found unnecessary ("already ServiceOwner")
}

// sendNext sends the first call that is not done, or finishes.
func (s *applyStep) sendNext() tea.Cmd {
	i := slices.IndexFunc(s.calls, func(c *callRow) bool { return c.state != callDone })
	if i < 0 {
		return s.finish()
	}
	b, ok := s.p.ctx.Store.Provisioner()
	if !ok {
		s.calls[i].state, s.calls[i].detail = callFailed, "this backend cannot create or change services"
		s.failed = true
		s.render()
		return nil
	}
	c := s.calls[i]
	c.state, c.detail = callRunning, "sending…"
	s.busy, s.failed, s.exists, s.sent = true, false, nil, true
	s.render()
	gen, spec, modify, token := s.gen, s.spec, s.modify, s.p.token
	svcID := ""
	payerNow := model.PayerResponsibility("")
	if s.svc != nil {
		svcID, payerNow = s.svc.ID, s.svc.PayerResponsibility
	}
	principals := s.missingPrincipals()
	return s.p.task(c.plan.Step, true, func(ctx context.Context) tea.Msg {
		r := callResult{gen: gen, index: i}
		switch c.plan.Step {
		case model.StepCreate:
			svc, err := b.CreateService(ctx, spec.CreateInput(token))
			if err == nil {
				r.svc = &svc
			}
			r.err = err
		case model.StepPrincipals:
			r.err = b.AddPrincipals(ctx, svcID, principals)
		case model.StepNotification:
			n := spec.Notification
			_, r.err = b.CreateNotification(ctx, svcID, n.TopicARN, n.Events)
		case model.StepPayer:
			if payerNow == model.PayerServiceOwner {
				r.note = "not sent: the service already reports payer responsibility ServiceOwner"
				return r
			}
			r.err = b.SetPayerResponsibility(ctx, svcID, model.PayerServiceOwner)
		default:
			r.err = b.ModifyService(ctx, modify)
		}
		return r
	})
}

// missingPrincipals are the spec's principals the service does not allow yet, as far as a
// read-back showed (all of them before any).
func (s *applyStep) missingPrincipals() []string {
	if s.svc == nil || s.svc.AllowedPrincipals == nil {
		return s.spec.Principals
	}
	var out []string
	for _, p := range s.spec.Principals {
		if !slices.ContainsFunc(s.svc.AllowedPrincipals, func(x model.Principal) bool { return x.ARN == p }) {
			out = append(out, p)
		}
	}
	return out
}

func (s *applyStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case callResult:
		if msg.gen != s.gen {
			return nil
		}
		return s.onResult(msg)
	case readBackMsg:
		if msg.gen != s.gen {
			return nil
		}
		return s.onReadBack(msg)
	case tea.KeyMsg:
		if s.p.cur != stepApply {
			return nil
		}
		k := s.p.ctx.Keys
		switch {
		case s.text.Update(msg):
		case k.Is(msg, KeyRetry) && s.failed && !s.busy:
			return s.retry()
		case k.Is(msg, KeyNextStep) && !s.busy && !s.failed:
			if s.p.start.Mode == Edit || s.dry {
				return s.p.leave()
			}
			if s.p.created != nil {
				return s.p.goTo(stepNext)
			}
		}
	}
	return nil
}

func (s *applyStep) onResult(r callResult) tea.Cmd {
	c := s.calls[r.index]
	s.busy = false
	var dry *model.DryRunResult
	switch {
	case errors.As(r.err, &dry):
		c.state, c.ok, c.detail = callDryRun, dry.WouldSucceed, dry.Error()
		if dry.RequestID != "" {
			c.detail += " (request " + dry.RequestID + ")"
		}
		s.dry = true
		if s.p.start.Mode == Create && c.plan.Step == model.StepCreate {
			for _, rest := range s.calls[r.index+1:] {
				rest.state, rest.detail = callNotSent, "not sent: it needs the service id the create would return, and a dry run creates nothing"
			}
			s.render()
			return nil
		}
		// a later call of a dry run (a change) is verdict enough; go on with the rest
		c.state = callDryRun
		s.render()
		if i := slices.IndexFunc(s.calls, func(x *callRow) bool { return x.state == callWaiting }); i >= 0 {
			return s.sendNext()
		}
		return nil
	case r.err != nil:
		c.state, c.detail = callFailed, r.err.Error()
		s.failed = true
		s.render()
		return tea.Batch(s.readBack(), common.Flash(c.plan.Operation+" failed: "+r.err.Error(), common.FlashError))
	}
	c.state = callDone
	switch {
	case r.note != "":
		c.detail = r.note
	case r.svc != nil:
		svc := *r.svc
		s.svc = &svc
		s.p.created = &svc
		c.detail = "created " + svc.ID + " (" + string(svc.State) + ")"
	default:
		c.detail = "done"
	}
	s.render()
	return tea.Batch(s.p.ctx.Store.Refresh(false), s.sendNext())
}

// finish reports the run's end.
func (s *applyStep) finish() tea.Cmd {
	s.busy = false
	s.render()
	if s.p.start.Mode == Edit {
		return tea.Batch(s.p.ctx.Store.Refresh(false), s.p.ctx.Store.FetchDetail(s.p.start.Service.ID, true),
			common.Flash("changed "+s.p.start.Service.Label()+": enter or esc returns", common.FlashOK))
	}
	return tea.Batch(s.p.ctx.Store.Refresh(false), s.p.goTo(stepNext),
		common.Flash("created "+s.p.created.ID, common.FlashOK))
}

// readBackMsg is the service as read after a failure.
type readBackMsg struct {
	gen int
	svc model.EndpointService
	err error
}

// readBack reads the service the run made, to say what exists.
func (s *applyStep) readBack() tea.Cmd {
	if s.svc == nil {
		s.exists = []string{
			"The create failed, so there is no service id to look at. If AWS made the service anyway (its reply was lost),",
			"r sends the create again with the same client token " + s.p.token + " and AWS returns that service instead of a second one.",
		}
		s.render()
		return nil
	}
	b := s.p.ctx.Store.Backend()
	id, gen := s.svc.ID, s.gen
	s.reading, s.busy = true, true
	s.render()
	return s.p.task("readback", false, func(ctx context.Context) tea.Msg {
		svc, err := b.ServiceDetail(ctx, id)
		return readBackMsg{gen: gen, svc: svc, err: err}
	})
}

func (s *applyStep) onReadBack(m readBackMsg) tea.Cmd {
	s.reading, s.busy = false, false
	if m.err != nil {
		s.exists = []string{"Could not read " + s.svc.ID + " back to see what exists: " + m.err.Error()}
		s.render()
		return nil
	}
	svc := m.svc
	s.svc = &svc
	if s.p.start.Mode == Create {
		s.p.created = &svc
	}
	s.exists = s.existence(svc)
	s.render()
	return nil
}

// existence marks the calls whose effect is already there as done and says, line by line,
// what the service has now.
func (s *applyStep) existence(svc model.EndpointService) []string {
	st := s.p.ctx.Styles
	yes, no := st.OK.Render("✓ "), st.Bad.Render("✗ ")
	lines := []string{yes + "endpoint service " + svc.ID + " (" + string(svc.State) + ")"}
	if s.p.start.Mode == Edit {
		return lines
	}
	for _, c := range s.calls {
		switch c.plan.Step {
		case model.StepPrincipals:
			if missing := s.missingPrincipals(); len(missing) == 0 {
				c.state, c.detail = callDone, "the principals are allowed (read back)"
				lines = append(lines, yes+"allowed principals: "+strings.Join(s.spec.Principals, ", "))
			} else {
				lines = append(lines, no+"not allowed yet: "+strings.Join(missing, ", "))
			}
		case model.StepNotification:
			n := s.spec.Notification
			if slices.ContainsFunc(svc.Notifications, func(x model.Notification) bool { return x.TopicARN == n.TopicARN }) {
				c.state, c.detail = callDone, "the notification exists (read back)"
				lines = append(lines, yes+"notification to "+n.TopicARN)
			} else {
				lines = append(lines, no+"no notification to "+n.TopicARN+" yet")
			}
		case model.StepPayer:
			if svc.PayerResponsibility == model.PayerServiceOwner {
				c.state, c.detail = callDone, "payer responsibility is ServiceOwner (read back)"
				lines = append(lines, yes+"payer responsibility ServiceOwner")
			} else {
				lines = append(lines, no+"payer responsibility is "+common.OrDash(string(svc.PayerResponsibility)))
			}
		}
	}
	return lines
}

// retry sends again what is missing, starting at the first call not done.
func (s *applyStep) retry() tea.Cmd {
	s.gen++
	for _, c := range s.calls {
		if c.state != callDone {
			c.state, c.detail = callWaiting, ""
		}
	}
	return s.sendNext()
}

func (s *applyStep) render() {
	st := s.p.ctx.Styles
	w := max(s.w, 20)
	var lines []string
	verb := "Creating the endpoint service"
	if s.p.start.Mode == Edit {
		verb = "Changing " + s.p.start.Service.Label()
	}
	lines = append(lines, st.Bold.Render(verb+", call by call:"), "")
	for i, c := range s.calls {
		icon := st.Dim.Render("·")
		switch c.state {
		case callRunning:
			icon = st.Info.Render("…")
		case callDone:
			icon = st.OK.Render("✓")
		case callFailed:
			icon = st.Bad.Render("✗")
		case callDryRun:
			icon = st.OK.Render("✓")
			if !c.ok {
				icon = st.Bad.Render("✗")
			}
		case callNotSent:
			icon = st.Dim.Render("–")
		}
		lines = append(lines, " "+icon+" "+common.Itoa(i+1)+". "+st.Bold.Render(c.plan.Operation))
		for _, l := range common.WrapLines(c.plan.What, w-6) {
			lines = append(lines, "      "+st.Dim.Render(l))
		}
		if c.detail != "" {
			style := st.Dim
			switch {
			case c.state == callFailed || (c.state == callDryRun && !c.ok):
				style = st.FlashError
			case c.state == callDone || c.state == callDryRun:
				style = st.OK
			}
			for _, l := range common.WrapLines(c.detail, w-6) {
				lines = append(lines, "      "+style.Render(l))
			}
		}
	}
	if s.reading {
		lines = append(lines, "", st.Dim.Render("Reading the service back to see what exists…"))
	}
	existsAt := -1
	if len(s.exists) > 0 {
		existsAt = len(lines) + 1
		lines = append(lines, "", st.Title.Render("What exists now"))
		for _, l := range s.exists {
			for _, wl := range common.WrapLines(l, w-2) {
				lines = append(lines, "  "+wl)
			}
		}
		lines = append(lines, "", st.Dim.Render("r retries only what is missing · esc leaves it as it is"))
	}
	if !s.busy && !s.failed && len(s.calls) > 0 && s.calls[len(s.calls)-1].state != callWaiting {
		switch {
		case s.dry:
			lines = append(lines, "", st.Warn.Render("Dry run: AWS checked the calls above and changed nothing. enter closes."))
		case s.p.start.Mode == Edit:
			lines = append(lines, "", st.OK.Render("✓ "+s.p.start.Service.Label()+" is changed. enter or esc returns."))
		}
	}
	s.text.SetLines(lines)
	if existsAt >= 0 {
		// what exists, and what r will do, is what a failure needs read first
		s.text.Show(existsAt, len(lines)-1)
	}
}

func (s *applyStep) view() string { return s.text.View() }
