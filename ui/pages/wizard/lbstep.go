package wizard

import (
	"cmp"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/components/textview"
)

// lbStep picks the load balancers: every one of the account, with what decides whether it
// can serve PrivateLink, and the one under the cursor in detail below the list.
type lbStep struct {
	p        *Page
	table    *table.Table
	versions table.Versions
	detail   *textview.View
	msg      string // why the last choice was refused, or what is missing
	w, h     int
}

const (
	lbColName = iota
	lbColType
	lbColScheme
	lbColState
	lbColIP
	lbColZones
	lbColListeners
	lbColTargets
	lbColUsedBy
)

func newLBStep(p *Page) *lbStep {
	t := table.New(p.ctx, []table.Column{
		// narrow terminals lose the scheme first and who uses a load balancer last: that
		// decides whether it can be chosen
		{Title: "LOAD BALANCER", Width: 18, Flex: 1, Min: 12},
		{Title: "TYPE", Width: 11, Drop: 2},
		{Title: "SCHEME", Width: 15, Drop: 5},
		{Title: "STATE", Width: 8},
		{Title: "IP TYPE", Width: 9, Drop: 4},
		{Title: "AZS", Width: 3, Right: true},
		{Title: "LISTENERS", Width: 14, Drop: 3},
		{Title: "HEALTHY", Width: 7, Right: true},
		{Title: "SERVICE", Width: 16, Drop: 1},
	})
	t.Empty = "reading the load balancers…"
	return &lbStep{p: p, table: t, detail: textview.New(p.ctx)}
}

func (s *lbStep) title() string   { return "Load balancers" }
func (s *lbStep) capturing() bool { return false }
func (s *lbStep) keys() []string {
	return append([]string{KeyChoose, KeyNextStep}, common.NavigationKeys...)
}
func (s *lbStep) help() []string    { return []string{KeyChoose, KeyNextStep, common.KeyRefresh} }
func (s *lbStep) enter() tea.Cmd    { s.msg = ""; s.rebuild(); return nil }
func (s *lbStep) setSize(w, h int)  { s.w, s.h = w, h; s.layout() }
func (s *lbStep) tableHeight() int  { return min(max(s.table.Len(), 1)+1, max(s.h/2, 4)) }
func (s *lbStep) detailHeight() int { return max(s.h-s.tableHeight()-2, 0) }

func (s *lbStep) layout() {
	s.table.SetSize(s.w, s.tableHeight())
	s.detail.SetSize(s.w, s.detailHeight())
	s.renderDetail()
}

func (s *lbStep) status() string {
	d := s.p.lbs
	switch {
	case d.loading && !d.loaded:
		return "reading load balancers…"
	case d.err != nil && !d.loaded:
		return "could not read the load balancers (r retries)"
	}
	return common.Plural(len(s.p.ans.lbs), "load balancer") + " chosen of " + common.Itoa(len(d.list))
}

func (s *lbStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case lbsResult:
		s.p.lbs.loading = false
		s.rebuild()
	case tea.KeyMsg:
		k := s.p.ctx.Keys
		switch {
		case table.Navigate(k, s.table, msg):
			s.renderDetail()
		case k.Is(msg, KeyChoose):
			s.toggle()
		case k.Is(msg, KeyNextStep):
			if err := model.ValidateSpecLoadBalancers(s.p.ans.lbs); err != nil {
				s.msg = message(err)
				s.renderDetail()
				return nil
			}
			return s.p.next()
		}
	}
	return nil
}

// message is an error as the wizard shows it: the sentence without the package's prefix.
func message(err error) string {
	return strings.TrimPrefix(err.Error(), model.ErrInvalid.Error()+": ")
}

// toggle chooses or drops the load balancer under the cursor. A choice AWS would refuse (an
// ALB, a GWLB next to NLBs) is refused here with the reason.
func (s *lbStep) toggle() {
	r := s.table.Current()
	if r == nil {
		return
	}
	arn := r.ID
	if i := slices.Index(s.p.ans.lbs, arn); i >= 0 {
		s.p.ans.lbs = slices.Delete(s.p.ans.lbs, i, i+1)
		s.msg = ""
		s.rebuild()
		return
	}
	var chosen []model.LoadBalancer
	var lb model.LoadBalancer
	for _, x := range s.p.lbs.list {
		if slices.Contains(s.p.ans.lbs, x.ARN) {
			chosen = append(chosen, x)
		}
		if x.ARN == arn {
			lb = x
		}
	}
	if err := model.CheckLoadBalancerChoice(chosen, lb); err != nil {
		s.msg = message(err)
		s.renderDetail()
		return
	}
	s.p.ans.lbs = append(s.p.ans.lbs, arn)
	s.msg = ""
	s.rebuild()
}

// usedBy is the label of the service (other than the one being changed) a load balancer
// serves.
func (s *lbStep) usedBy() map[string]string {
	out := map[string]string{}
	editing := ""
	if s.p.start.Mode == Edit && s.p.start.Service != nil {
		editing = s.p.start.Service.ID
	}
	for _, svc := range s.p.ctx.Store.Services() {
		if svc.ID == editing {
			continue
		}
		for _, arn := range slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers) {
			out[arn] = svc.Label()
		}
	}
	return out
}

// rebuild derives the rows from the load balancers read and the choices.
func (s *lbStep) rebuild() {
	d := s.p.lbs
	lbs := slices.Clone(d.list)
	// the ones a new service can take first: free NLBs, free GWLBs, then those another
	// service uses, then the kinds that cannot serve one
	used := s.usedBy()
	rank := func(lb model.LoadBalancer) int {
		r := map[string]int{model.LBTypeNetwork: 0, model.LBTypeGateway: 1}[lb.Type]
		switch {
		case lb.Type != model.LBTypeNetwork && lb.Type != model.LBTypeGateway:
			return 4
		case used[lb.ARN] != "":
			return 2 + r
		}
		return r
	}
	slices.SortStableFunc(lbs, func(a, b model.LoadBalancer) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Name, b.Name))
	})
	rows := make([]*table.Row, 0, len(lbs))
	for _, lb := range lbs {
		healthy, total := targetCounts(lb)
		var ls []string
		for _, l := range lb.Listeners {
			ls = append(ls, listenerText(lb, l))
		}
		r := &table.Row{
			ID: lb.ARN,
			Cells: []string{lb.Name, common.OrDash(lb.Type), common.OrDash(lb.Scheme), common.OrDash(lb.State),
				common.OrDash(lb.IPAddressType), common.Itoa(len(lb.AvailabilityZones)), common.OrDash(strings.Join(ls, " ")),
				common.Itoa(healthy) + "/" + common.Itoa(total), common.OrDash(used[lb.ARN])},
			Accents:  make([]table.Accent, 9),
			Haystack: lb.Name,
		}
		switch {
		case lb.Type != model.LBTypeNetwork && lb.Type != model.LBTypeGateway:
			for i := range r.Accents {
				r.Accents[i] = table.AccDim
			}
		default:
			if lb.State != "active" {
				r.Accents[lbColState] = table.AccWarn
			}
			switch {
			case total == 0 || healthy == 0:
				r.Accents[lbColTargets] = table.AccBad
			case healthy < total:
				r.Accents[lbColTargets] = table.AccWarn
			default:
				r.Accents[lbColTargets] = table.AccOK
			}
			if used[lb.ARN] != "" {
				r.Accents[lbColUsedBy] = table.AccWarn
			}
		}
		s.versions.Stamp(r)
		rows = append(rows, r)
	}
	s.table.SetRows(rows)
	s.table.ClearMarks()
	for _, arn := range s.p.ans.lbs {
		if s.table.SelectID(arn) {
			s.table.ToggleMark()
		}
	}
	if r := s.table.Current(); r == nil && len(rows) > 0 {
		s.table.Top()
	}
	if len(s.p.ans.lbs) > 0 {
		s.table.SelectID(s.p.ans.lbs[0])
	}
	switch {
	case d.err != nil && !d.loaded:
		s.table.Empty = "could not read the load balancers: " + d.err.Error() + " (r retries)"
	case !d.loaded:
		s.table.Empty = "reading the load balancers…"
	default:
		s.table.Empty = "this account has no load balancers in " + s.p.home + ": create a Network Load Balancer first"
	}
	s.layout()
}

// listenerText is PROTOCOL:port; a Gateway Load Balancer's listener has neither (it takes
// every packet, in GENEVE).
func listenerText(lb model.LoadBalancer, l model.Listener) string {
	if l.Protocol == "" && l.Port == 0 && lb.Type == model.LBTypeGateway {
		return "GENEVE"
	}
	return l.Protocol + ":" + common.Itoa(int(l.Port))
}

// targetCounts is how many of a load balancer's targets are healthy.
func targetCounts(lb model.LoadBalancer) (healthy, total int) {
	for _, tg := range lb.TargetGroups {
		healthy += tg.Healthy()
		total += len(tg.Targets)
	}
	return healthy, total
}

// renderDetail describes the load balancer under the cursor: zones with their ids,
// listeners, target groups with health per zone, and what stops it serving a service.
func (s *lbStep) renderDetail() {
	st := s.p.ctx.Styles
	var lines []string
	if s.msg != "" {
		lines = append(lines, common.WrapLines(st.FlashWarn.Render(s.msg), s.w)...)
	}
	r := s.table.Current()
	var lb *model.LoadBalancer
	for i := range s.p.lbs.list {
		if r != nil && s.p.lbs.list[i].ARN == r.ID {
			lb = &s.p.lbs.list[i]
		}
	}
	if lb == nil {
		s.detail.SetLines(lines)
		return
	}
	label := func(k string) string { return st.Dim.Render(common.PadRight(k, 12)) }
	sep := st.Dim.Render(" · ")
	lines = append(lines, st.Title.Render(lb.Name)+st.Dim.Render("  "+lb.ARN))
	switch lb.Type {
	case model.LBTypeNetwork, model.LBTypeGateway:
	default:
		lines = append(lines, st.Warn.Render("An "+lb.Type+" load balancer cannot serve an endpoint service: put a Network Load Balancer in front of it (an NLB target group of type alb)."))
	}
	sg := "none"
	if len(lb.SecurityGroups) > 0 {
		sg = strings.Join(lb.SecurityGroups, " ") + ", enforced on PrivateLink traffic: " + common.OnOff(lb.EnforceSGOnPrivateLink)
	}
	lines = append(lines,
		label("Settings")+strings.Join([]string{common.OrDash(lb.Type), common.OrDash(lb.Scheme), common.OrDash(lb.State),
			"IP " + common.OrDash(lb.IPAddressType), "cross-zone " + common.OnOff(lb.CrossZoneEnabled)}, sep),
		label("Security")+sg)
	zoneHealth := perZone(*lb)
	for i, z := range lb.AvailabilityZones {
		k := ""
		if i == 0 {
			k = "Zones"
		}
		h := zoneHealth[z.Name]
		health := common.HealthyText(st, h[0], h[1])
		lines = append(lines, label(k)+common.PadRight(z.Name, 14)+" "+common.PadRight(common.OrDash(z.ID), 10)+" "+
			common.PadRight(common.OrDash(z.SubnetID), 26)+" "+health)
	}
	for i, l := range lb.Listeners {
		k := ""
		if i == 0 {
			k = "Listeners"
		}
		to := "-"
		for _, tg := range lb.TargetGroups {
			if tg.ARN == l.TargetGroupARN {
				to = tg.Name
			}
		}
		lines = append(lines, label(k)+listenerText(*lb, l)+" → "+to)
	}
	if len(lb.Listeners) == 0 {
		lines = append(lines, label("Listeners")+st.Bad.Render("none: nothing consumers send would arrive"))
	}
	for i, tg := range lb.TargetGroups {
		k := ""
		if i == 0 {
			k = "Targets"
		}
		crossZone, _ := common.CrossZoneText(*lb, tg)
		lines = append(lines, label(k)+strings.Join([]string{tg.Name, tg.Protocol + ":" + common.Itoa(int(tg.Port)),
			common.OrDash(tg.TargetType), "cross-zone " + crossZone,
			common.HealthyText(st, tg.Healthy(), len(tg.Targets))}, sep))
	}
	if svc := s.usedBy()[lb.ARN]; svc != "" {
		lines = append(lines, label("Service")+st.Warn.Render(svc+": a load balancer serves one endpoint service only"))
	}
	var out []string
	for _, l := range lines {
		out = append(out, common.WrapLines(l, s.w)...)
	}
	s.detail.SetLines(out)
}

// perZone counts healthy and all targets per zone name, across the target groups.
func perZone(lb model.LoadBalancer) map[string][2]int {
	byID := map[string]string{}
	for _, z := range lb.AvailabilityZones {
		byID[z.ID] = z.Name
	}
	out := map[string][2]int{}
	for _, tg := range lb.TargetGroups {
		for _, t := range tg.Targets {
			name := t.AZ
			if n, ok := byID[t.AZ]; ok {
				name = n
			}
			c := out[name]
			c[1]++
			if t.State == model.TargetHealthy {
				c[0]++
			}
			out[name] = c
		}
	}
	return out
}

func (s *lbStep) view() string {
	intro := s.p.ctx.Styles.Dim.Render("Choose the Network Load Balancers (or one Gateway Load Balancer): space chooses, enter goes on.")
	return common.Truncate(intro, s.w) + "\n" + s.table.View() + "\n\n" + s.detail.View()
}
