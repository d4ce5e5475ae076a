package wizard

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/prompt"
	"github.com/plconsole/plconsole/ui/components/textview"
	"github.com/plconsole/plconsole/ui/store"
)

// phase is where the test consumer is.
type phase int

const (
	phProfile       phase = iota // choosing the consumer profile (a form)
	phOpening                    // opening its session and reading its network
	phAllow                      // its account is not allowed: offer to allow it
	phAllowing                   // allowing it
	phVPC                        // choosing the VPC (a form)
	phSubnets                    // choosing subnets and a security group (a form)
	phConfirmCreate              // asking before creating the endpoint
	phCreating                   // creating it
	phWatching                   // waiting for the next state
	phConfirmAccept              // the request arrived: asking before accepting it
	phAccepting                  // accepting it
	phConfirmDelete              // available: offering to delete the test endpoint
	phDeleting                   // deleting it, waiting until it is gone
	phDone                       // deleted (or left in place)
)

// event is one line of the test's timeline.
type event struct {
	at   time.Time
	text string
	bad  bool
}

// consumerStep proves a new service with a real connection: as a consumer account it
// creates an interface endpoint in a VPC, subnets of the service's zones (matched by zone
// id) and a security group; the request arrives here as pendingAcceptance and is accepted;
// the endpoint becomes available; then the test endpoint is deleted. Every write asks first.
type consumerStep struct {
	p    *Page
	text *textview.View
	ask  prompt.Prompt
	w, h int

	phase   phase
	f       *form
	profile string
	session store.Consumer
	ident   model.Identity
	vpcs    []model.Vpc
	subnets []model.Subnet
	groups  []model.SecurityGroup
	allowed bool

	vpc       string
	chosen    []string
	group     string
	endpoint  model.Endpoint
	connState model.ConnectionState
	epState   model.ConnectionState
	timeline  []event
	err       error
	gen       int
}

func newConsumerStep(p *Page) *consumerStep { return &consumerStep{p: p, text: textview.New(p.ctx)} }

func (s *consumerStep) title() string { return "Test consumer" }
func (s *consumerStep) capturing() bool {
	return s.f != nil && s.f.open() && (s.phase == phProfile || s.phase == phVPC || s.phase == phSubnets)
}

func (s *consumerStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

// layout gives a form the room under the timeline.
func (s *consumerStep) layout() {
	s.render()
	if s.capturing() {
		used := min(len(s.text.Lines()), s.h/2)
		s.text.SetSize(s.w, used)
		s.f.setSize(s.w, max(s.h-used-1, 3))
	} else {
		s.text.SetSize(s.w, s.h)
	}
	if n := len(s.text.Lines()); n > 0 {
		s.text.Show(n-1, n-1) // the latest event and the question are at the end
	}
}

func (s *consumerStep) prompting() bool {
	return s.phase == phAllow || s.phase == phConfirmCreate || s.phase == phConfirmAccept || s.phase == phConfirmDelete
}

func (s *consumerStep) keys() []string {
	if s.prompting() {
		return append(prompt.Keys(), common.NavigationKeys...)
	}
	return common.NavigationKeys
}

func (s *consumerStep) help() []string {
	if s.prompting() {
		return prompt.Keys()
	}
	return nil
}

func (s *consumerStep) status() string {
	switch s.phase {
	case phWatching, phAccepting, phDeleting:
		return "waiting for " + common.OrDash(s.endpoint.ID) + " (" + common.OrDash(string(s.connState)) + "); reading every " + s.p.start.PollInterval.String()
	case phDone:
		return "test finished"
	}
	if s.ident.Account != "" {
		return "acting as consumer account " + s.ident.Account + " (" + s.profile + ")"
	}
	return "a consumer account tests the service"
}

// enter starts the test, or comes back to one under way.
func (s *consumerStep) enter() tea.Cmd {
	if s.phase != phProfile && s.phase != phDone && s.session != nil {
		s.layout()
		return nil
	}
	s.closeSession()
	*s = consumerStep{p: s.p, text: s.text, w: s.w, h: s.h, gen: s.gen + 1}
	if len(s.p.start.Consumers) > 0 {
		s.profile = s.p.start.Consumers[0]
	}
	s.f = s.profileForm()
	s.layout()
	return s.f.init()
}

func (s *consumerStep) profileForm() *form {
	var field huh.Field
	desc := "The session that plays the consumer: a profile of another account (in the simulated region, one of its consumer accounts)."
	if len(s.p.start.Consumers) > 0 {
		field = huh.NewSelect[string]().Key("profile").Title("Consumer profile").Description(desc).
			Options(huh.NewOptions(s.p.start.Consumers...)...).Value(&s.profile)
	} else {
		field = huh.NewInput().Key("profile").Title("Consumer profile").Description(desc).Value(&s.profile).
			Validate(func(v string) error {
				if strings.TrimSpace(v) == "" {
					return errors.New("enter the name of a profile of the consumer account")
				}
				return nil
			})
	}
	return newForm(s.p.ctx.Styles, huh.NewGroup(field))
}

// close ends the consumer session (leaving the wizard).
func (s *consumerStep) close() tea.Cmd {
	s.closeSession()
	return nil
}

func (s *consumerStep) closeSession() {
	if s.session != nil {
		_ = s.session.Close()
		s.session = nil
	}
}

// escape answers a prompt with no, or leaves the test (the endpoint, if any, stays; t
// comes back to it).
func (s *consumerStep) escape() (tea.Cmd, bool) {
	if s.prompting() {
		return s.decline(), true
	}
	return nil, false
}

func (s *consumerStep) note(text string, bad bool) {
	s.timeline = append(s.timeline, event{at: s.p.ctx.Now(), text: text, bad: bad})
}

// ---- messages ------------------------------------------------------------------------------

type consumerOpenedMsg struct {
	gen     int
	session store.Consumer
	vpcs    []model.Vpc
	subnets []model.Subnet
	groups  []model.SecurityGroup
	svc     model.EndpointService
	err     error
}

type consumerWriteMsg struct {
	gen  int
	what phase
	ep   model.Endpoint
	err  error
}

type consumerStateMsg struct {
	gen       int
	connState model.ConnectionState
	epState   model.ConnectionState
	gone      bool
	err       error
}

func (s *consumerStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case formDoneMsg:
		if s.f == nil || msg.id != s.f.id || s.p.cur != stepConsumer {
			return nil
		}
		if !msg.submitted {
			return s.p.back()
		}
		return s.formDone()
	case consumerOpenedMsg:
		if msg.gen == s.gen {
			return s.opened(msg)
		}
		if msg.session != nil {
			_ = msg.session.Close() // a test the user left meanwhile
		}
	case consumerWriteMsg:
		if msg.gen == s.gen {
			return s.written(msg)
		}
	case consumerStateMsg:
		if msg.gen == s.gen {
			return s.observed(msg)
		}
	case pollMsg:
		if msg.gen == s.gen && (s.phase == phWatching || s.phase == phDeleting) {
			return s.observe()
		}
	case tea.KeyMsg:
		if s.p.cur != stepConsumer {
			return nil
		}
		k := s.p.ctx.Keys
		switch {
		case s.capturing():
			return s.f.update(msg)
		case s.prompting():
			if answered, yes := s.ask.Key(k, msg); answered {
				if yes {
					return s.confirm()
				}
				return s.decline()
			}
			s.text.Update(msg)
		default:
			s.text.Update(msg)
		}
	default:
		if s.f != nil && s.p.cur == stepConsumer && s.capturing() {
			return s.f.update(msg)
		}
	}
	return nil
}

func (s *consumerStep) formDone() tea.Cmd {
	switch s.phase {
	case phProfile:
		return s.open()
	case phVPC:
		if len(s.eligibleSubnets()) == 0 {
			s.err = errors.New(s.vpc + " has no subnet in the service's zones (" + strings.Join(s.svc().AvailabilityZoneIDs, ", ") +
				"): choose another VPC")
			s.f = s.vpcForm()
			s.layout()
			return s.f.init()
		}
		s.err = nil
		s.phase = phSubnets
		s.f = s.subnetForm()
		s.layout()
		return s.f.init()
	case phSubnets:
		s.phase = phConfirmCreate
		s.f = nil
		s.layout()
	}
	return nil
}

func (s *consumerStep) svc() model.EndpointService {
	if s.p.created != nil {
		return *s.p.created
	}
	return model.EndpointService{}
}

// open opens the consumer's session and reads its network and the service's principals.
func (s *consumerStep) open() tea.Cmd {
	s.phase, s.f, s.err = phOpening, nil, nil
	s.note("opening the consumer session "+s.profile+"…", false)
	s.layout()
	opener, profile, gen := s.p.start.OpenConsumer, strings.TrimSpace(s.profile), s.gen
	b := s.p.ctx.Store.Backend()
	id := s.svc().ID
	return s.p.task("consumer-open", false, func(ctx context.Context) tea.Msg {
		m := consumerOpenedMsg{gen: gen}
		c, err := opener(ctx, profile)
		if err != nil {
			m.err = err
			return m
		}
		m.session = c
		if m.vpcs, err = c.ListVpcs(ctx); err != nil {
			m.err = err
			return m
		}
		if m.subnets, err = c.ListSubnets(ctx, ""); err != nil {
			m.err = err
			return m
		}
		if m.groups, err = c.ListSecurityGroups(ctx, ""); err != nil {
			m.err = err
			return m
		}
		m.svc, m.err = b.ServiceDetail(ctx, id)
		return m
	})
}

func (s *consumerStep) opened(m consumerOpenedMsg) tea.Cmd {
	s.session = m.session
	if m.err != nil {
		s.err = m.err
		s.note("could not open the consumer session: "+m.err.Error(), true)
		s.phase = phProfile
		s.f = s.profileForm()
		s.layout()
		return s.f.init()
	}
	s.ident = m.session.Identity()
	s.vpcs, s.subnets, s.groups = m.vpcs, m.subnets, m.groups
	if s.p.created != nil {
		svc := m.svc
		svc.AvailabilityZoneIDs = nonEmptyOr(svc.AvailabilityZoneIDs, s.p.created.AvailabilityZoneIDs)
		*s.p.created = svc
	}
	s.note("acting as account "+s.ident.Account+" ("+s.ident.ARN+")", false)
	svc := s.svc()
	switch {
	case svc.State != model.ServiceAvailable:
		s.err = errors.New(svc.ID + " is " + string(svc.State) + ": a consumer can connect once it is Available (esc, and watch its state)")
	case svc.PrivateDNS != nil && svc.PrivateDNS.Name != "" && svc.PrivateDNS.State != model.DNSVerified:
		s.err = errors.New("the private DNS name " + svc.PrivateDNS.Name + " is " + string(svc.PrivateDNS.State) +
			": AWS denies new connection requests until it is verified (esc, then v)")
	case len(s.vpcs) == 0:
		s.err = errors.New("account " + s.ident.Account + " has no VPC in " + s.p.home)
	}
	if s.err != nil {
		s.note(s.err.Error(), true)
		s.phase = phDone
		s.layout()
		return nil
	}
	s.allowed = allowsAccount(svc.AllowedPrincipals, s.ident.Account)
	if !s.allowed {
		s.phase = phAllow
		s.layout()
		return nil
	}
	return s.chooseVPC()
}

func nonEmptyOr(a, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
}

// allowsAccount says whether the principals let an account connect: everyone, its root or
// one of its users or roles.
func allowsAccount(ps []model.Principal, account string) bool {
	return slices.ContainsFunc(ps, func(p model.Principal) bool {
		return p.ARN == "*" || strings.Contains(p.ARN, ":"+account+":")
	})
}

func (s *consumerStep) chooseVPC() tea.Cmd {
	s.phase = phVPC
	if s.vpc == "" && len(s.vpcs) > 0 {
		s.vpc = s.vpcs[0].ID
	}
	s.f = s.vpcForm()
	s.layout()
	return s.f.init()
}

func (s *consumerStep) vpcForm() *form {
	var opts []huh.Option[string]
	for _, v := range s.vpcs {
		label := v.ID + "  " + v.CIDR
		if v.Name != "" {
			label += "  " + v.Name
		}
		if v.IsDefault {
			label += "  (default)"
		}
		opts = append(opts, huh.NewOption(label, v.ID))
	}
	return newForm(s.p.ctx.Styles, huh.NewGroup(huh.NewSelect[string]().Key("vpc").Title("Consumer VPC").
		Description("Where the test endpoint goes; it needs a subnet in at least one of the service's zones.").
		Options(opts...).Value(&s.vpc)))
}

// eligibleSubnets are the chosen VPC's subnets in the service's zones, compared by zone id
// (a zone name means another data centre in another account).
func (s *consumerStep) eligibleSubnets() []model.Subnet {
	ids := s.svc().AvailabilityZoneIDs
	var out []model.Subnet
	for _, sn := range s.subnets {
		if sn.VpcID == s.vpc && slices.Contains(ids, sn.AZID) {
			out = append(out, sn)
		}
	}
	return out
}

func (s *consumerStep) subnetForm() *form {
	eligible := s.eligibleSubnets()
	var opts []huh.Option[string]
	perZone := map[string]bool{}
	s.chosen = nil
	for _, sn := range eligible {
		opts = append(opts, huh.NewOption(sn.ID+"  "+sn.AZ+" ("+sn.AZID+")  "+sn.CIDR+"  "+sn.Name, sn.ID))
		if !perZone[sn.AZID] {
			perZone[sn.AZID] = true
			s.chosen = append(s.chosen, sn.ID)
		}
	}
	others := 0
	for _, sn := range s.subnets {
		if sn.VpcID == s.vpc {
			others++
		}
	}
	others -= len(eligible)
	desc := "One per zone at most; space toggles."
	if others > 0 {
		desc += " " + common.Plural(others, "subnet") + " of " + s.vpc + " are in zones the service does not offer and are not listed."
	}
	s.group = ""
	gateway := s.svc().Type == model.ServiceTypeGateway
	if gateway {
		desc = "A Gateway Load Balancer endpoint takes one subnet; space toggles."
		if len(s.chosen) > 1 {
			s.chosen = s.chosen[:1]
		}
	}
	subnets := huh.NewMultiSelect[string]().Key("subnets").Title("Subnets").Description(desc).Options(opts...).Value(&s.chosen).
		Validate(func(v []string) error {
			switch {
			case len(v) == 0:
				return errors.New("choose at least one subnet")
			case gateway && len(v) > 1:
				return errors.New("a Gateway Load Balancer endpoint takes exactly one subnet")
			}
			seen := map[string]string{}
			for _, id := range v {
				for _, sn := range eligible {
					if sn.ID != id {
						continue
					}
					if other, dup := seen[sn.AZID]; dup {
						return errors.New(id + " and " + other + " are both in " + sn.AZID + ": an endpoint takes one subnet per zone")
					}
					seen[sn.AZID] = id
				}
			}
			return nil
		})
	if gateway {
		return newForm(s.p.ctx.Styles, huh.NewGroup(subnets))
	}
	groups := []huh.Option[string]{huh.NewOption("the VPC's default security group", "")}
	for _, g := range s.groups {
		if g.VpcID == s.vpc {
			groups = append(groups, huh.NewOption(g.ID+"  "+g.Name, g.ID))
		}
	}
	return newForm(s.p.ctx.Styles, huh.NewGroup(subnets,
		huh.NewSelect[string]().Key("group").Title("Security group").Description("It must allow the service's port from the clients that test it.").
			Options(groups...).Value(&s.group)))
}

// ---- the writes, each asked first ----------------------------------------------------------

func (s *consumerStep) decline() tea.Cmd {
	switch s.phase {
	case phAllow:
		s.note("not allowed: the test stops here (a request from "+s.ident.Account+" would be refused)", true)
		s.phase = phDone
	case phConfirmCreate:
		s.note("no endpoint was created", false)
		s.phase = phDone
	case phConfirmAccept:
		s.note(s.endpoint.ID+" stays pendingAcceptance; accept or reject it in the connections inbox", false)
		s.phase = phDone
	case phConfirmDelete:
		s.note("the test endpoint "+s.endpoint.ID+" stays; the consumer account deletes it with aws ec2 delete-vpc-endpoints --vpc-endpoint-ids "+s.endpoint.ID, false)
		s.phase = phDone
	}
	s.layout()
	return nil
}

func (s *consumerStep) confirm() tea.Cmd {
	b, ok := s.p.ctx.Store.Provisioner()
	if !ok {
		return common.Flash("this backend cannot run the test", common.FlashError)
	}
	c, gen, svc := s.session, s.gen, s.svc()
	switch s.phase {
	case phAllow:
		s.phase = phAllowing
		arn := model.AccountRootARN(s.ident.Account)
		s.note("allowing "+arn+" (ModifyVpcEndpointServicePermissions)…", false)
		s.layout()
		return s.p.task("consumer-allow", true, func(ctx context.Context) tea.Msg {
			return consumerWriteMsg{gen: gen, what: phAllowing, err: b.AddPrincipals(ctx, svc.ID, []string{arn})}
		})
	case phConfirmCreate:
		s.phase = phCreating
		in := model.CreateEndpointInput{ServiceName: svc.Name, VpcID: s.vpc, SubnetIDs: s.chosen, ClientToken: s.p.token + "-test"}
		kind := "an interface endpoint"
		if svc.Type == model.ServiceTypeGateway {
			in.Type, kind = string(model.ServiceTypeGateway), "a Gateway Load Balancer endpoint"
		} else if s.group != "" {
			in.SecurityGroupIDs = []string{s.group}
		}
		s.note("creating "+kind+" in "+s.vpc+" (CreateVpcEndpoint as "+s.ident.Account+")…", false)
		s.layout()
		return s.p.task("consumer-create", true, func(ctx context.Context) tea.Msg {
			ep, err := c.CreateEndpoint(ctx, in)
			return consumerWriteMsg{gen: gen, what: phCreating, ep: ep, err: err}
		})
	case phConfirmAccept:
		s.phase = phAccepting
		id := s.endpoint.ID
		s.note("accepting "+id+" (AcceptVpcEndpointConnections)…", false)
		s.layout()
		return s.p.task("consumer-accept", true, func(ctx context.Context) tea.Msg {
			res, err := b.AcceptConnections(ctx, svc.ID, []string{id})
			if err == nil && len(res) == 1 && !res[0].OK {
				err = errors.New(res[0].Code + ": " + res[0].Message)
			}
			return consumerWriteMsg{gen: gen, what: phAccepting, err: err}
		})
	case phConfirmDelete:
		s.phase = phDeleting
		id := s.endpoint.ID
		s.note("deleting the test endpoint "+id+" (DeleteVpcEndpoints as "+s.ident.Account+")…", false)
		s.layout()
		return s.p.task("consumer-delete", true, func(ctx context.Context) tea.Msg {
			res, err := c.DeleteEndpoints(ctx, []string{id})
			if err == nil && len(res) == 1 && !res[0].OK {
				err = errors.New(res[0].Code + ": " + res[0].Message)
			}
			return consumerWriteMsg{gen: gen, what: phDeleting, err: err}
		})
	}
	return nil
}

func (s *consumerStep) written(m consumerWriteMsg) tea.Cmd {
	var dry *model.DryRunResult
	if errors.As(m.err, &dry) {
		s.note(dry.Error(), !dry.WouldSucceed)
		s.note("a dry run creates nothing, so the test stops here", false)
		s.phase = phDone
		s.layout()
		return nil
	}
	if m.err != nil {
		s.note(m.err.Error(), true)
		switch m.what {
		case phAllowing:
			s.phase = phAllow
		case phCreating:
			s.phase = phConfirmCreate
		case phAccepting:
			s.phase = phConfirmAccept
		case phDeleting:
			s.phase = phConfirmDelete
		}
		s.layout()
		return nil
	}
	switch m.what {
	case phAllowing:
		s.note("allowed "+model.AccountRootARN(s.ident.Account), false)
		s.p.ctx.Store.InvalidatePrincipals(s.svc().ID)
		return s.chooseVPC()
	case phCreating:
		s.endpoint = m.ep
		s.note("created "+m.ep.ID+" ("+string(m.ep.State)+")", false)
	case phAccepting:
		s.note("accepted "+s.endpoint.ID, false)
	case phDeleting:
		s.note("delete requested; waiting until "+s.endpoint.ID+" is gone", false)
		s.layout()
		return s.observe()
	}
	s.phase = phWatching
	s.layout()
	return s.observe()
}

// observe reads the connection as the provider sees it and the endpoint as the consumer does.
func (s *consumerStep) observe() tea.Cmd {
	b, ok := s.p.ctx.Store.Provisioner()
	if !ok || s.session == nil {
		return nil
	}
	c, gen, svcID, id := s.session, s.gen, s.svc().ID, s.endpoint.ID
	deleting := s.phase == phDeleting
	return s.p.task("consumer-watch", false, func(ctx context.Context) tea.Msg {
		m := consumerStateMsg{gen: gen}
		ep, err := c.Endpoint(ctx, id)
		if model.IsNotFound(err) {
			m.gone = true
		} else if err != nil {
			m.err = err
			return m
		}
		m.epState = ep.State
		if deleting {
			return m
		}
		conns, err := b.ListConnections(ctx, svcID)
		if err != nil {
			m.err = err
			return m
		}
		for _, cn := range conns {
			if cn.EndpointID == id {
				m.connState = cn.State
			}
		}
		return m
	})
}

func (s *consumerStep) observed(m consumerStateMsg) tea.Cmd {
	if m.err != nil {
		s.note("could not read the endpoint: "+m.err.Error()+" (trying again)", true)
		s.layout()
		return s.p.poll(stepConsumer, s.gen)
	}
	if s.phase == phDeleting {
		if m.gone || m.epState == model.StateDeleted {
			s.note(s.endpoint.ID+" is deleted: the test is over and nothing of it is left", false)
			s.phase = phDone
			s.closeSession()
			s.layout()
			return tea.Batch(s.p.ctx.Store.Refresh(false), common.Flash("test consumer: connected, then cleaned up", common.FlashOK))
		}
		if m.epState != s.epState {
			s.epState = m.epState
			s.note(s.endpoint.ID+" is "+string(m.epState), false)
			s.layout()
		}
		return s.p.poll(stepConsumer, s.gen)
	}
	if m.connState != "" {
		// the wizard's own test request is in front of the user: it is not news to them
		s.p.ctx.Store.MarkSeen(model.Connection{ServiceID: s.svc().ID, EndpointID: s.endpoint.ID}.Key())
	}
	if m.connState != "" && m.connState != s.connState {
		s.connState = m.connState
		s.note("the provider sees "+s.endpoint.ID+" as "+string(m.connState), m.connState == model.StateRejected || m.connState == model.StateFailed)
	}
	s.epState = m.epState
	switch s.connState {
	case model.StatePendingAcceptance:
		s.phase = phConfirmAccept
		s.layout()
		return s.p.ctx.Store.Refresh(false)
	case model.StateAvailable:
		s.note("✓ "+s.endpoint.ID+" is available: the consumer's endpoint is connected to the service", false)
		s.phase = phConfirmDelete
		s.layout()
		return s.p.ctx.Store.Refresh(false)
	case model.StateRejected, model.StateFailed, model.StateExpired, model.StateDeleted:
		s.phase = phDone
		s.layout()
		return nil
	}
	s.layout()
	return s.p.poll(stepConsumer, s.gen)
}

// ---- view ----------------------------------------------------------------------------------

func (s *consumerStep) render() {
	st := s.p.ctx.Styles
	w := max(s.w, 20)
	var lines []string
	svc := s.svc()
	lines = append(lines, st.Bold.Render("Testing "+svc.Label()+" with a consumer: ")+st.Dim.Render(svc.Name))
	for _, e := range s.timeline {
		style := st.Dim
		if e.bad {
			style = st.FlashError
		}
		stamp := e.at.Format("15:04:05") + "  "
		for i, l := range common.WrapLines(e.text, w-len(stamp)-2) {
			if i > 0 {
				stamp = strings.Repeat(" ", len(stamp))
			}
			lines = append(lines, "  "+st.Dim.Render(stamp)+style.Render(l))
		}
	}
	if s.err != nil && s.phase == phVPC {
		lines = append(lines, common.WrapLines(st.FlashError.Render(s.err.Error()), w)...)
	}
	if s.phase == phDone {
		lines = append(lines, "", st.Dim.Render("esc returns to the previous step; t there starts another test"))
	}
	if q := s.question(); q != "" {
		s.ask.Ask(q)
		lines = append(lines, s.ask.Lines(st, w)...)
	} else {
		s.ask.Close()
	}
	s.text.SetLines(lines)
}

// field is the key of the focused field while a form is open.
func (s *consumerStep) field() string {
	if !s.capturing() {
		return ""
	}
	return s.f.form.GetFocusedField().GetKey()
}

// question is what the current phase asks before its write.
func (s *consumerStep) question() string {
	svc := s.svc()
	switch s.phase {
	case phAllow:
		return "Account " + s.ident.Account + " is not an allowed principal of " + svc.Label() + ": its request would be refused. Allow " +
			model.AccountRootARN(s.ident.Account) + " now (ModifyVpcEndpointServicePermissions)?"
	case phConfirmCreate:
		if svc.Type == model.ServiceTypeGateway {
			return "Create a Gateway Load Balancer endpoint as account " + s.ident.Account + " in " + s.vpc + ", subnet " +
				strings.Join(s.chosen, ", ") + ", to " + svc.Name + " (CreateVpcEndpoint)?"
		}
		return "Create an interface endpoint as account " + s.ident.Account + " in " + s.vpc + ", subnets " + strings.Join(s.chosen, ", ") +
			", security group " + common.OrDash(s.group) + ", to " + svc.Name + " (CreateVpcEndpoint)?"
	case phConfirmAccept:
		return "The request " + s.endpoint.ID + " from " + s.ident.Account + " is pendingAcceptance. Accept it (AcceptVpcEndpointConnections)?"
	case phConfirmDelete:
		return "Delete the test endpoint " + s.endpoint.ID + " now (DeleteVpcEndpoints as " + s.ident.Account + ")? It was only a test."
	}
	return ""
}

func (s *consumerStep) view() string {
	if s.capturing() {
		return s.text.View() + "\n\n" + s.f.view()
	}
	return s.text.View()
}
