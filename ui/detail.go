package ui

import (
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/model"
)

const (
	tabOverview = iota
	tabConnections
	tabPrincipals
	tabLoadBalancers
	tabNotifications
	tabCount
)

func tabName(i int) string {
	return [...]string{"Overview", "Connections", "Principals", "Load balancers", "Notifications"}[i]
}

// DetailView is one endpoint service with its tabs.
type DetailView struct {
	ctx        *Context
	svc        model.EndpointService
	detailed   bool // principals and notifications loaded
	err        error
	lbs        []model.LoadBalancer
	lbsLoaded  bool
	lbErr      error
	findings   []model.Finding
	health     model.Health
	tab        int
	conns      *InboxView
	principals *simpleList
	targets    *lbTab
	notifs     *simpleList
	versions   rowVersions
	scroll     int
	width      int
	height     int
	overview   []string
}

func NewDetailView(ctx *Context, store *connStore) *DetailView {
	return &DetailView{
		ctx:   ctx,
		conns: NewInboxView(ctx, store, "\x00none"),
		principals: newSimpleList(ctx, []Column{
			{Title: "PRINCIPAL", Width: 40, Flex: 1, Min: 24}, {Title: "TYPE", Width: 14, Drop: 1}, {Title: "PERMISSION ID", Width: 31, Drop: 2},
		}, "no allowed principals: nobody can connect (add one with +)"),
		targets: newLBTab(ctx),
		notifs: newSimpleList(ctx, []Column{
			{Title: "ID", Width: 26, Min: 26}, {Title: "SNS TOPIC", Width: 30, Flex: 1, Min: 16}, {Title: "EVENTS", Width: 28, Min: 14}, {Title: "STATE", Width: 8},
		}, "no connection notifications (add one with +)"),
	}
}

// Open shows a service (from the list) and resets the per-service state.
func (v *DetailView) Open(svc model.EndpointService, tab int) {
	if v.svc.ID != svc.ID {
		v.detailed, v.lbs, v.lbsLoaded, v.err, v.lbErr = false, nil, false, nil, nil
		v.scroll = 0
		v.principals.table.ClearMarks()
		v.notifs.table.ClearMarks()
	}
	v.svc = svc
	v.tab = tab
	v.conns.SetScope(svc.ID)
	v.rebuild()
}

func (v *DetailView) ServiceID() string { return v.svc.ID }

// SetService updates the service from a list refresh (keeps detail-only fields).
func (v *DetailView) SetService(svc model.EndpointService) {
	if v.detailed {
		svc.AllowedPrincipals = v.svc.AllowedPrincipals
		svc.Notifications = v.svc.Notifications
	}
	v.svc = svc
	v.rebuild()
}

// SetDetail stores a ServiceDetail answer.
func (v *DetailView) SetDetail(svc model.EndpointService, err error) {
	v.err = err
	if err == nil {
		v.svc = svc
		v.detailed = true
	}
	v.rebuild()
}

func (v *DetailView) SetLoadBalancers(lbs []model.LoadBalancer, err error) {
	v.lbErr = err
	if err == nil {
		v.lbs = lbs
		v.lbsLoaded = true
	}
	v.rebuild()
}

func (v *DetailView) Refresh() { v.conns.Refresh(); v.rebuild() }

func (v *DetailView) SetSize(w, h int) {
	if w != v.width {
		v.width = w
		v.overview = v.overviewLines() // findings are wrapped to the width
	}
	v.height = h
	th := max(h-v.headLines(), 0)
	v.conns.SetSize(w, th)
	v.principals.table.SetSize(w, th)
	v.targets.table.SetSize(w, th)
	v.notifs.table.SetSize(w, th)
}

func (v *DetailView) Title() string { return v.svc.Label() }

func (v *DetailView) Filter() string {
	switch v.tab {
	case tabConnections:
		return v.conns.Filter()
	case tabPrincipals:
		return v.principals.filter
	case tabLoadBalancers:
		return v.targets.filter
	case tabNotifications:
		return v.notifs.filter
	}
	return ""
}

func (v *DetailView) SetFilter(f string) {
	switch v.tab {
	case tabConnections:
		v.conns.SetFilter(f)
	case tabPrincipals:
		v.principals.SetFilter(f)
		v.rebuild() // the empty text depends on the filter
	case tabLoadBalancers:
		v.targets.SetFilter(f)
	case tabNotifications:
		v.notifs.SetFilter(f)
		v.rebuild()
	}
}

func (v *DetailView) conn() []model.Connection {
	var out []model.Connection
	for _, e := range v.conns.store.entries {
		if e.c.ServiceID == v.svc.ID {
			out = append(out, e.c)
		}
	}
	return out
}

func (v *DetailView) rebuild() {
	s := v.svc
	// principals
	var prows []*Row
	for _, p := range s.AllowedPrincipals {
		typ := p.Type
		if p.ARN == "*" {
			typ = "All (everyone)"
		}
		r := &Row{ID: p.ARN, Cells: []string{p.ARN, typ, p.ID}, Haystack: haystack(p.ARN, p.Type, p.ID)}
		if p.ARN == "*" {
			r.Accents = []accent{accBad, accBad}
		}
		v.versions.stamp(r)
		prows = append(prows, r)
	}
	v.principals.SetRows(prows)
	v.principals.table.Empty = emptyText(v.detailed, v.err, v.principals.filter, "allowed principals",
		"no allowed principals: nobody can connect (add one with +)")
	v.notifs.table.Empty = emptyText(v.detailed, v.err, v.notifs.filter, "notifications",
		"no connection notifications (add one with +)")
	// notifications
	var nrows []*Row
	for _, n := range s.Notifications {
		ev := make([]string, len(n.Events))
		for i, e := range n.Events {
			ev[i] = string(e)
		}
		r := &Row{ID: n.ID, Cells: []string{n.ID, n.TopicARN, strings.Join(ev, ","), n.State},
			Haystack: haystack(n.ID, n.TopicARN, strings.Join(ev, ","), n.State)}
		v.versions.stamp(r)
		nrows = append(nrows, r)
	}
	v.notifs.SetRows(nrows)
	v.targets.SetData(v.lbs, v.lbsLoaded, v.lbErr)
	v.health, v.findings = model.ServiceHealth(s, v.lbs, v.conn(), model.DiagnoseOptions{Now: v.ctx.Now()})
	v.overview = v.overviewLines()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func lbAccent(state string) accent {
	switch state {
	case "active":
		return accNone
	case "failed":
		return accBad
	}
	return accWarn
}

func targetAccent(st model.TargetHealthState) accent {
	switch st {
	case model.TargetHealthy:
		return accOK
	case model.TargetUnhealthy, model.TargetUnhealthyDraining, model.TargetUnavailable:
		return accBad
	case model.TargetInitial, model.TargetDraining:
		return accWarn
	}
	return accDim
}

// TXTRecord is the record to publish for private DNS verification.
func (v *DetailView) TXTRecord() (name, value string, ok bool) {
	if v.svc.PrivateDNS == nil {
		return "", "", false
	}
	return model.VerificationRecord(*v.svc.PrivateDNS)
}

func (v *DetailView) overviewLines() []string {
	st := v.ctx.Styles
	s := v.svc
	var out []string
	kv := func(k, val string) { out = append(out, st.HeaderKey.Render(padRight(k, 22))+val) }
	kv("Service id", s.ID)
	kv("Service name", s.Name)
	if s.DisplayName != "" {
		kv("Name tag", s.DisplayName)
	}
	kv("Type", string(s.Type))
	kv("State", string(s.State))
	kv("Health", v.healthBadge())
	kv("Acceptance required", yesNo(s.AcceptanceRequired))
	kv("Payer responsibility", orDash(string(s.PayerResponsibility)))
	kv("Manages endpoints", yesNo(s.ManagesVpcEndpoints))
	kv("Availability zones", orDash(strings.Join(s.AvailabilityZones, ", ")))
	kv("Supported IP types", orDash(strings.Join(s.SupportedIPTypes, ", ")))
	var regions []string
	for _, r := range s.SupportedRegions {
		regions = append(regions, r.Region+" ("+r.Status+")")
	}
	kv("Supported regions", orDash(strings.Join(regions, ", ")))
	for i, a := range slices.Concat(s.NetworkLoadBalancers, s.GatewayLoadBalancers) {
		k := ""
		if i == 0 {
			k = "Load balancers"
		}
		// the name first: the ARN is long and a narrow terminal cuts its end
		if p, err := model.ParseLoadBalancerARN(a); err == nil && p.Name != "" {
			a = p.Name + "  " + st.Dim.Render(a)
		}
		kv(k, a)
	}
	if len(s.NetworkLoadBalancers)+len(s.GatewayLoadBalancers) == 0 {
		kv("Load balancers", "-")
	}
	for i, d := range s.BaseEndpointDNSNames {
		k := ""
		if i == 0 {
			k = "Base DNS names"
		}
		kv(k, d)
	}
	if p := s.PrivateDNS; p != nil && p.Name != "" {
		kv("Private DNS name", p.Name)
		stateTxt := string(p.State)
		switch p.State {
		case model.DNSVerified:
			stateTxt = st.OK.Render(stateTxt)
		case model.DNSFailed:
			stateTxt = st.Bad.Render(stateTxt)
		default:
			stateTxt = st.Warn.Render(stateTxt)
		}
		kv("Verification", stateTxt)
		if name, value, ok := v.TXTRecord(); ok {
			kv("TXT record to publish", name)
			kv("TXT value", value)
		}
	} else {
		kv("Private DNS name", "-")
	}
	if len(s.Tags) > 0 {
		keys := make([]string, 0, len(s.Tags))
		for k := range s.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var tags []string
		for _, k := range keys {
			tags = append(tags, k+"="+s.Tags[k])
		}
		kv("Tags", strings.Join(tags, ", "))
	}
	if !s.Created.IsZero() {
		kv("Created", s.Created.UTC().Format("2006-01-02 15:04 MST"))
	}
	if v.err != nil {
		out = append(out, "", st.FlashError.Render("Could not load details: "+v.err.Error()))
	}
	out = append(out, "", st.Title.Render("Diagnostics"))
	if !v.inputsLoaded() {
		out = append(out, st.Dim.Render("  … reading the load balancers and principals; more findings may follow"))
	} else if len(v.findings) == 0 {
		out = append(out, st.OK.Render("  no problems found"))
	}
	wrapW := max(v.width-7, 20)
	for _, f := range v.findings {
		sev := st.Info.Render("INFO")
		switch f.Severity {
		case model.SeverityWarning:
			sev = st.Warn.Render("WARN")
		case model.SeverityCritical:
			sev = st.Bad.Render("CRIT")
		}
		out = append(out, "  "+sev+" "+st.Bold.Render(f.Title))
		for _, l := range wrapLines(f.Detail, wrapW) {
			out = append(out, "       "+l)
		}
		if f.Fix != "" {
			for i, l := range wrapLines("Fix: "+f.Fix, wrapW) {
				if i == 0 {
					l = st.Accent.Render("Fix:") + st.Dim.Render(strings.TrimPrefix(l, "Fix:"))
				} else {
					l = st.Dim.Render(l)
				}
				out = append(out, "       "+l)
			}
		}
	}
	return out
}

// maxScroll is the overview's scroll that shows its last line at the bottom.
func (v *DetailView) maxScroll() int { return max(len(v.overview)-(v.height-v.headLines()), 0) }

// inputsLoaded says whether the health and findings see everything they need.
func (v *DetailView) inputsLoaded() bool {
	return v.detailed && v.lbsLoaded && v.conns.store.loaded
}

func (v *DetailView) healthBadge() string {
	st := v.ctx.Styles
	if !v.inputsLoaded() {
		return st.Dim.Render("… (loading)")
	}
	switch v.health {
	case model.HealthCritical:
		return st.Bad.Render("CRIT")
	case model.HealthWarning:
		return st.Warn.Render("WARN")
	}
	return st.OK.Render("OK")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (v *DetailView) tabsView() string {
	if s := v.tabsLine(tabName); ansi.StringWidth(s) <= v.width {
		return s
	}
	return truncate(v.tabsLine(shortTabName), v.width)
}

func shortTabName(i int) string {
	return [...]string{"Overview", "Conns", "Principals", "LBs", "Notifs"}[i]
}

func (v *DetailView) tabsLine(name func(int) string) string {
	st := v.ctx.Styles
	counts := []string{"", itoa(v.conns.total), itoa(len(v.svc.AllowedPrincipals)), itoa(len(v.lbs)), itoa(len(v.svc.Notifications))}
	var parts []string
	for i := 0; i < tabCount; i++ {
		label := itoa(i+1) + " " + name(i)
		if i > 0 && (i != tabPrincipals && i != tabNotifications || v.detailed) && (i != tabLoadBalancers || v.lbsLoaded) {
			label += " (" + counts[i] + ")"
		}
		if i == v.tab {
			parts = append(parts, st.TabActive.Render(label))
		} else {
			parts = append(parts, st.TabInactive.Render(label))
		}
	}
	return strings.Join(parts, st.Dim.Render(" │ "))
}

// headLines is the tab bar plus, when there is room, a blank line under it.
func (v *DetailView) headLines() int {
	if v.height < 8 {
		return 1
	}
	return 2
}

func (v *DetailView) View() string {
	if v.height <= 0 {
		return ""
	}
	head := v.tabsView()
	bh := max(v.height-v.headLines(), 0)
	var body string
	switch v.tab {
	case tabOverview:
		src := v.overview
		if v.scroll > 0 && v.scroll < len(src) {
			src = src[v.scroll:]
		}
		n := min(len(src), bh)
		more := len(src) - n
		if more > 0 && n >= 2 {
			// say that the overview goes on (the diagnostics come last), in the last line
			n--
			more++
		}
		lines := make([]string, 0, n+1)
		for i := 0; i < n; i++ {
			lines = append(lines, truncate(src[i], v.width))
		}
		if more > 0 && n < bh {
			lines = append(lines, v.ctx.Styles.Dim.Render(truncate("… "+plural(more, "more line")+" (↓ to scroll)", v.width)))
		}
		body = strings.Join(lines, "\n")
	case tabConnections:
		body = v.conns.View()
	case tabPrincipals:
		body = v.principals.table.View()
	case tabLoadBalancers:
		body = v.targets.table.View()
	case tabNotifications:
		body = v.notifs.table.View()
	}
	if bh == 0 {
		return head
	}
	if v.headLines() == 1 {
		return head + "\n" + body
	}
	return head + "\n\n" + body
}

func (v *DetailView) HandleKey(msg tea.KeyMsg) (action, bool) {
	k := v.ctx.Keys
	switch {
	case key.Matches(msg, k.NextTab):
		v.tab = (v.tab + 1) % tabCount
		return nil, true
	case key.Matches(msg, k.PrevTab):
		v.tab = (v.tab + tabCount - 1) % tabCount
		return nil, true
	case len(msg.Runes) == 1 && msg.Runes[0] >= '1' && msg.Runes[0] <= '5' && msg.Type == tea.KeyRunes:
		v.tab = int(msg.Runes[0] - '1')
		return nil, true
	case key.Matches(msg, k.VerifyDNS):
		return actVerifyDNS{svc: v.svc}, true
	case key.Matches(msg, k.Copy):
		return actShowTXT{svc: v.svc}, true
	case key.Matches(msg, k.Payer):
		return actPayer{svc: v.svc}, true
	case key.Matches(msg, k.DeleteService):
		return actDeleteService{svc: v.svc}, true
	}
	switch v.tab {
	case tabOverview:
		switch {
		case key.Matches(msg, k.Down):
			v.scroll = min(v.scroll+1, v.maxScroll())
		case key.Matches(msg, k.Up):
			if v.scroll > 0 {
				v.scroll--
			}
		case key.Matches(msg, k.Top):
			v.scroll = 0
		case key.Matches(msg, k.PageDown):
			v.scroll = min(v.scroll+max(v.height-v.headLines()-1, 1), v.maxScroll())
		case key.Matches(msg, k.PageUp):
			v.scroll = max(v.scroll-max(v.height-v.headLines()-1, 1), 0)
		case key.Matches(msg, k.Bottom):
			v.scroll = v.maxScroll()
		default:
			return nil, false
		}
		return nil, true
	case tabConnections:
		return v.conns.HandleKey(msg)
	case tabPrincipals:
		switch {
		case key.Matches(msg, k.Add):
			return actAddPrincipals{svc: v.svc}, true
		case key.Matches(msg, k.Remove):
			arns := markedOrCurrent(v.principals.table)
			if len(arns) == 0 {
				return actFlash{text: "no principal selected", level: flashWarn}, true
			}
			return actRemovePrincipals{svc: v.svc, arns: arns}, true
		case key.Matches(msg, k.Mark):
			v.principals.table.ToggleMark()
			v.principals.table.Move(1)
			return nil, true
		}
		return nil, navigate(k, v.principals.table, msg)
	case tabLoadBalancers:
		return nil, navigate(k, v.targets.table, msg)
	case tabNotifications:
		switch {
		case key.Matches(msg, k.Add):
			return actAddNotification{svc: v.svc}, true
		case key.Matches(msg, k.Remove):
			ids := markedOrCurrent(v.notifs.table)
			if len(ids) == 0 {
				return actFlash{text: "no notification selected", level: flashWarn}, true
			}
			return actRemoveNotifications{svc: v.svc, ids: ids}, true
		case key.Matches(msg, k.Mark):
			v.notifs.table.ToggleMark()
			v.notifs.table.Move(1)
			return nil, true
		}
		return nil, navigate(k, v.notifs.table, msg)
	}
	return nil, false
}

func markedOrCurrent(t *Table) []string {
	var out []string
	for _, r := range t.MarkedRows() {
		out = append(out, r.ID)
	}
	if len(out) == 0 {
		if r := t.Current(); r != nil {
			out = append(out, r.ID)
		}
	}
	return out
}

func (v *DetailView) ShortHelp() []*key.Binding {
	k := v.ctx.Keys
	switch v.tab {
	case tabConnections:
		return append([]*key.Binding{&k.NextTab}, v.conns.ShortHelp()[:6]...)
	case tabPrincipals:
		return []*key.Binding{&k.NextTab, &k.Add, &k.Remove, &k.Mark, &k.Filter}
	case tabNotifications:
		return []*key.Binding{&k.NextTab, &k.Add, &k.Remove, &k.Mark, &k.Filter}
	case tabLoadBalancers:
		return []*key.Binding{&k.NextTab, &k.Filter, &k.Refresh}
	}
	return []*key.Binding{&k.NextTab, &k.VerifyDNS, &k.Copy, &k.Payer, &k.DeleteService}
}

func (v *DetailView) Status() string {
	switch v.tab {
	case tabConnections:
		return v.conns.Status()
	case tabLoadBalancers:
		return v.targets.Status()
	}
	return ""
}
