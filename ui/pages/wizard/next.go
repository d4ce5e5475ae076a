package wizard

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textview"
)

// nextStep follows a new service until it works: it watches the state go from Pending to
// Available, gives the TXT record that proves the private DNS name (copyable), verifies it
// on request and polls until AWS says verified or failed, and offers a test consumer.
type nextStep struct {
	p    *Page
	text *textview.View
	w, h int

	svc      model.EndpointService
	readErr  error
	gen      int  // the poll loop running now; an older loop's ticks are dropped
	polling  bool // a read is scheduled or in flight
	verify   verifyState
	sentAt   time.Time
	startErr error
	dryNote  string
}

// verifyState is where "verify now" is.
type verifyState int

const (
	verifyIdle verifyState = iota
	verifySending
	verifyWaiting // AWS is checking; the wizard polls
	verifyDone    // verified or failed
)

func newNextStep(p *Page) *nextStep { return &nextStep{p: p, text: textview.New(p.ctx)} }

func (s *nextStep) title() string    { return "Verify & test" }
func (s *nextStep) capturing() bool  { return false }
func (s *nextStep) setSize(w, h int) { s.w, s.h = w, h; s.text.SetSize(w, h); s.render() }

func (s *nextStep) keys() []string {
	return append([]string{KeyVerifyNow, KeyCopyTXT, KeyCopyTXTName, KeyCopyName, KeyTestConsumer, KeyOpenService}, common.NavigationKeys...)
}

func (s *nextStep) help() []string {
	h := []string{}
	if s.hasDNS() && s.dnsState() != model.DNSVerified {
		h = append(h, KeyVerifyNow, KeyCopyTXT, KeyCopyTXTName)
	}
	return append(h, KeyCopyName, KeyTestConsumer, KeyOpenService)
}

func (s *nextStep) status() string {
	switch {
	case s.verify == verifyWaiting:
		return "verifying " + s.svc.PrivateDNS.Name + "… " + common.HumanAge(s.p.ctx.Now(), s.sentAt)
	case s.svc.State == model.ServicePending:
		return s.svc.ID + " is Pending; reading it again every " + s.p.start.PollInterval.String()
	}
	return s.svc.ID + " is " + string(s.svc.State)
}

func (s *nextStep) hasDNS() bool { return s.svc.PrivateDNS != nil && s.svc.PrivateDNS.Name != "" }

func (s *nextStep) dnsState() model.DNSVerificationState {
	if !s.hasDNS() {
		return ""
	}
	return s.svc.PrivateDNS.State
}

func (s *nextStep) enter() tea.Cmd {
	if s.p.created != nil && s.svc.ID != s.p.created.ID {
		s.svc, s.verify, s.startErr, s.dryNote = *s.p.created, verifyIdle, nil, ""
	}
	s.render()
	return s.watch()
}

// watch starts reading the service until nothing is pending (one loop at a time).
func (s *nextStep) watch() tea.Cmd {
	if s.polling || !s.pending() {
		return nil
	}
	s.polling = true
	s.gen++
	return s.read(s.gen)
}

// pending says whether something is still changing on AWS's side.
func (s *nextStep) pending() bool {
	return s.svc.State == model.ServicePending || s.verify == verifyWaiting
}

// detailMsg is the service read again.
type detailMsg struct {
	gen int
	svc model.EndpointService
	err error
}

func (s *nextStep) read(gen int) tea.Cmd {
	b := s.p.ctx.Store.Backend()
	id := s.svc.ID
	return s.p.task("watch", false, func(ctx context.Context) tea.Msg {
		svc, err := b.ServiceDetail(ctx, id)
		return detailMsg{gen: gen, svc: svc, err: err}
	})
}

// verifyStartedMsg is StartVpcEndpointServicePrivateDnsVerification's answer.
type verifyStartedMsg struct{ err error }

func (s *nextStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case detailMsg:
		if msg.gen != s.gen {
			return nil
		}
		s.readErr = msg.err
		if msg.err == nil {
			s.svc = msg.svc
			if s.verify == verifyWaiting && s.dnsState() != model.DNSPendingVerification {
				s.verify = verifyDone
			}
		}
		s.render()
		if s.pending() {
			return s.p.poll(stepNext, s.gen)
		}
		s.polling = false
		// the services list shows the new state too
		refresh := s.p.ctx.Store.Refresh(false)
		if s.verify == verifyDone {
			if s.dnsState() == model.DNSVerified {
				return tea.Batch(refresh, common.Flash(s.svc.PrivateDNS.Name+" is verified", common.FlashOK))
			}
			return tea.Batch(refresh, common.Flash("verification of "+s.svc.PrivateDNS.Name+" failed: see why below", common.FlashError))
		}
		return refresh
	case pollMsg:
		if msg.gen != s.gen {
			return nil
		}
		return s.read(msg.gen)
	case verifyStartedMsg:
		var dry *model.DryRunResult
		switch {
		case errors.As(msg.err, &dry):
			s.verify, s.dryNote = verifyIdle, dry.Error()
		case msg.err != nil:
			s.verify, s.startErr = verifyIdle, msg.err
		default:
			s.verify, s.sentAt = verifyWaiting, s.p.ctx.Now()
			s.svc.PrivateDNS.State = model.DNSPendingVerification
			s.polling = false
			s.render()
			return s.watch()
		}
		s.render()
		return nil
	case tea.KeyMsg:
		if s.p.cur != stepNext {
			return nil
		}
		return s.key(msg)
	}
	return nil
}

func (s *nextStep) key(msg tea.KeyMsg) tea.Cmd {
	k := s.p.ctx.Keys
	name, value, haveTXT := "", "", false
	if s.hasDNS() {
		name, value, haveTXT = model.VerificationRecord(*s.svc.PrivateDNS)
	}
	switch {
	case s.text.Update(msg):
	case k.Is(msg, KeyVerifyNow):
		return s.startVerify()
	case k.Is(msg, KeyCopyTXT) && haveTXT:
		return common.Send(common.CopyMsg{Label: "the TXT value", Text: value})
	case k.Is(msg, KeyCopyTXTName) && haveTXT:
		return common.Send(common.CopyMsg{Label: "the TXT record name", Text: name})
	case k.Is(msg, KeyCopyName):
		return common.Send(common.CopyMsg{Label: "the service name", Text: s.svc.Name})
	case k.Is(msg, KeyTestConsumer):
		if s.p.start.OpenConsumer == nil {
			return common.Flash("no consumer profile can be opened with this backend", common.FlashWarn)
		}
		if s.p.ctx.ReadOnly() {
			return common.Flash("test consumer is disabled: "+s.p.ctx.ReadOnlyReason(), common.FlashWarn)
		}
		return s.p.goTo(stepConsumer)
	case k.Is(msg, KeyOpenService):
		id := s.svc.ID
		return tea.Batch(s.p.leave(), common.Open(id, 0, ""))
	}
	return nil
}

func (s *nextStep) startVerify() tea.Cmd {
	switch {
	case !s.hasDNS():
		return common.Flash(s.svc.Label()+" has no private DNS name to verify", common.FlashInfo)
	case s.dnsState() == model.DNSVerified:
		return common.Flash(s.svc.PrivateDNS.Name+" is verified already", common.FlashInfo)
	case s.verify == verifySending || s.verify == verifyWaiting:
		return common.Flash("verification is under way", common.FlashInfo)
	case s.p.ctx.ReadOnly():
		return common.Flash("verify is disabled: "+s.p.ctx.ReadOnlyReason(), common.FlashWarn)
	}
	s.verify, s.startErr, s.dryNote = verifySending, nil, ""
	s.render()
	b := s.p.ctx.Store.Backend()
	id := s.svc.ID
	return s.p.task("verify", true, func(ctx context.Context) tea.Msg {
		return verifyStartedMsg{err: b.StartDNSVerification(ctx, id)}
	})
}

func (s *nextStep) render() {
	st := s.p.ctx.Styles
	d := newDoc(st, s.w)
	plain := func(s ...string) string { return strings.Join(s, "") }
	svc := s.svc
	state := string(svc.State)
	if svc.State == model.ServicePending {
		state += " (AWS is setting it up; it accepts connections once Available)"
	}
	d.add(st.OK.Render("✓ Created ")+st.Bold.Render(svc.Label())+" ("+svc.ID+")", "")
	d.kv("State", state)
	d.kv("Service name", svc.Name+st.Dim.Render("  (c copies; consumers connect to it)"))
	var zones []string
	for i, z := range svc.AvailabilityZones {
		if i < len(svc.AvailabilityZoneIDs) {
			z += " (" + svc.AvailabilityZoneIDs[i] + ")"
		}
		zones = append(zones, z)
	}
	d.kv("Zones", common.OrDash(strings.Join(zones, ", ")))
	if s.readErr != nil {
		d.para("  ", "Could not read the service: "+s.readErr.Error(), st.FlashError.Render)
	}
	d.section("Private DNS name")
	outcome := -1 // where the verification's outcome starts: what a reader looks for first
	switch {
	case !s.hasDNS():
		d.para("  ", "None: consumers use the endpoint's own DNS names.", st.Dim.Render)
	default:
		p := svc.PrivateDNS
		d.kv("Name", p.Name+"  "+dnsStateText(st, p.State))
		if name, value, ok := model.VerificationRecord(*p); ok && p.State != model.DNSVerified {
			d.para("  ", "Publish this TXT record in the domain's DNS, then press v to verify:", plain)
			d.kv("  record", name+st.Dim.Render("  (Y copies)"))
			d.kv("  value", value+st.Dim.Render("  (y copies)"))
			d.para("  ", "If your DNS provider appends the domain to record names, enter the name with a trailing dot ("+name+
				".). Until the name is verified consumers cannot use it and AWS denies new connection requests.", st.Dim.Render)
		}
		outcome = len(d.lines)
		switch {
		case s.verify == verifySending:
			d.para("  ", "Asking AWS to verify…", st.Info.Render)
		case s.verify == verifyWaiting:
			d.para("  ", "AWS is looking the record up (started "+common.HumanAge(s.p.ctx.Now(), s.sentAt)+" ago); plconsole reads the state every "+
				s.p.start.PollInterval.String()+" until it is verified or failed.", st.Info.Render)
		case p.State == model.DNSVerified:
			d.para("  ", "✓ Verified: consumers can use "+p.Name+" and new connection requests are accepted.", st.OK.Render)
		case p.State == model.DNSFailed:
			name, value, _ := model.VerificationRecord(*p)
			d.para("  ", "✗ Verification failed: AWS did not find a TXT record "+name+" with the value "+value+".", st.FlashError.Render)
			d.para("  ", "Check that the record name is exactly "+name+" (a provider that appends the domain makes it "+name+"."+
				strings.TrimPrefix(p.Name, "*.")+"; enter the name with a trailing dot), that there is one TXT record with that name, "+
				"and that it has propagated (dig +short TXT "+name+"). Then press v again.", plain)
		default:
			outcome = -1
		}
		if s.startErr != nil {
			d.para("  ", "Verification could not start: "+s.startErr.Error(), st.FlashError.Render)
		}
		if s.dryNote != "" {
			d.para("  ", s.dryNote, st.Warn.Render)
		}
	}
	end := len(d.lines) - 1
	d.section("Test consumer")
	if s.p.start.OpenConsumer == nil {
		d.para("  ", "Not available here: the console has no way to open a consumer account's session.", st.Dim.Render)
	} else {
		d.para("  ", "t connects a test consumer: an interface endpoint from another account (a consumer profile; in the simulated region, a consumer account), "+
			"accepted here, watched until available, then deleted.", plain)
	}
	d.blank()
	d.para("", "o opens the service · esc closes the wizard (the service stays)", st.Dim.Render)
	s.text.SetLines(d.lines)
	if outcome >= 0 {
		s.text.Show(outcome, end)
	}
}

func dnsStateText(st *common.Styles, s model.DNSVerificationState) string {
	switch s {
	case model.DNSVerified:
		return st.OK.Render(string(s))
	case model.DNSFailed:
		return st.Bad.Render(string(s))
	}
	return st.Warn.Render(common.OrDash(string(s)))
}

func (s *nextStep) view() string { return s.text.View() }
