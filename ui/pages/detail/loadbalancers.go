package detail

import (
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
)

// lbTab is the service detail's "Load balancers" tab: per load balancer a header (type,
// scheme, state, zones, security-group enforcement on PrivateLink traffic, cross-zone,
// listeners), per target group its settings and a healthy/total line per zone, then its
// targets with state, reason and description. It is one scrollable table whose group lines
// span the width; the table renders only the visible window.
type lbTab struct {
	ctx      *common.Context
	table    *table.Table
	lbs      []model.LoadBalancer
	loaded   bool
	err      error
	filter   string
	versions table.Versions
	// healthy, total and dark (zones with no healthy target) summarise every target shown.
	healthy, total, dark int
}

const (
	lbColTarget = iota
	lbColPort
	lbColAZ
	lbColState
	lbColReason
	lbColDescription
)

func newLoadBalancers(ctx *common.Context) *lbTab {
	t := table.New(ctx, []table.Column{
		{Title: "TARGET", Width: 25, Min: 23},
		{Title: "PORT", Width: 5, Right: true},
		{Title: "AZ", Width: 21, Min: 10},
		{Title: "STATE", Width: 18, Min: 10},
		{Title: "REASON", Width: 24, Flex: 1, Min: 14},
		{Title: "DESCRIPTION", Width: 20, Flex: 2, Drop: 3},
	})
	t.Empty = "loading…"
	return &lbTab{ctx: ctx, table: t}
}

func (t *lbTab) name() string                               { return "Load balancers" }
func (t *lbTab) short() string                              { return "LBs" }
func (t *lbTab) count() (int, bool)                         { return len(t.lbs), t.loaded }
func (t *lbTab) actions() []string                          { return nil }
func (t *lbTab) target(model.EndpointService) common.Target { return common.Target{} }
func (t *lbTab) status() string                             { return t.Status() }
func (t *lbTab) Init() tea.Cmd                              { return nil }
func (t *lbTab) Capturing() bool                            { return false }
func (t *lbTab) KeyBindings() []string                      { return common.NavigationKeys }
func (t *lbTab) ShortHelp() []string                        { return []string{common.KeyFilter, common.KeyRefresh} }
func (t *lbTab) View() string                               { return t.table.View() }
func (t *lbTab) SetSize(w, h int)                           { t.table.SetSize(w, h) }
func (t *lbTab) Filter() string                             { return t.filter }
func (t *lbTab) Table() *table.Table                        { return t.table }

func (t *lbTab) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		table.Navigate(t.ctx.Keys, t.table, km)
	}
	return t, nil
}

// sync takes the service's load balancers from the store; loaded is false until the first
// answer.
func (t *lbTab) sync(d *data) {
	lbs, f := t.ctx.Store.LoadBalancersOf(d.svc)
	t.lbs, t.loaded, t.err = lbs, f.Loaded, f.Err
	if t.loaded {
		t.err = nil // a later failure keeps the last answer on screen
	}
	t.rebuild()
}

func (t *lbTab) SetFilter(f string) {
	if f != t.filter {
		prev := t.table.CurrentID()
		t.filter = f
		t.rebuild()
		t.table.FollowFilter(prev)
	}
}

// zoneCount is one zone's healthy/total line of a target group.
type zoneCount struct {
	name           string
	healthy, total int
	outside        bool // a zone the load balancer is not enabled in
}

// zoneCounts counts a target group's targets per zone of its load balancer (plus any zone a
// target names that the load balancer does not list). ok is false when no target says which
// zone it is in.
func zoneCounts(ctx *common.Context, lb model.LoadBalancer, tg model.TargetGroup) ([]zoneCount, bool) {
	known := false
	for _, tgt := range tg.Targets {
		known = known || tgt.AZ != ""
	}
	if !known && len(tg.Targets) > 0 {
		return nil, false
	}
	var out []zoneCount
	index := map[string]int{}
	for _, z := range lb.AvailabilityZones {
		name := zoneLabel(ctx, z)
		index[z.Name], index[z.ID] = len(out), len(out)
		out = append(out, zoneCount{name: name})
	}
	delete(index, "")
	for _, tgt := range tg.Targets {
		i, ok := index[tgt.AZ]
		if !ok {
			name := ctx.Store.ZoneLabel(tgt.AZ)
			if tgt.AZ == "all" {
				name = "all zones (outside the VPC)"
			}
			i = len(out)
			index[tgt.AZ] = i
			out = append(out, zoneCount{name: name, outside: tgt.AZ != "all"})
		}
		out[i].total++
		if tgt.State == model.TargetHealthy {
			out[i].healthy++
		}
	}
	return out, true
}

// rebuild derives the rows; it runs when the data or the filter changes, never per frame.
func (t *lbTab) rebuild() {
	st := t.ctx.Styles
	f := common.CompileFilter(t.filter)
	filtering := t.filter != ""
	sep := st.Dim.Render(" · ")
	t.healthy, t.total, t.dark = 0, 0, 0
	var rows []*table.Row
	span := func(id, text, hay string) *table.Row {
		r := &table.Row{ID: id, Span: true, Cells: []string{text}, Haystack: hay}
		t.versions.Stamp(r)
		return r
	}
	for _, lb := range t.lbs {
		lbHay := common.Haystack(lb.Name, lb.ARN, lb.Type, lb.Scheme, lb.State)
		var body []*table.Row
		for _, tg := range lb.TargetGroups {
			tgHay := common.Haystack(lb.Name, tg.Name, tg.ARN, tg.Protocol, tg.TargetType)
			var targets []*table.Row
			ts := slices.Clone(tg.Targets)
			slices.SortStableFunc(ts, func(a, b model.Target) int {
				return strings.Compare(a.AZ+"\x00"+a.ID, b.AZ+"\x00"+b.ID)
			})
			for _, tgt := range ts {
				hay := common.Haystack(lb.Name, tg.Name, tgt.ID, tgt.AZ, string(tgt.State), tgt.Reason, tgt.Description)
				if !f.Match(hay) {
					continue
				}
				t.total++
				if tgt.State == model.TargetHealthy {
					t.healthy++
				}
				r := &table.Row{
					ID:       tg.ARN + "/" + tgt.ID + ":" + common.Itoa(int(tgt.Port)),
					Cells:    []string{"    " + tgt.ID, portText(tgt.Port), common.OrDash(targetZone(t.ctx, lb, tgt.AZ)), string(tgt.State), common.OrDash(tgt.Reason), tgt.Description},
					Accents:  []table.Accent{table.AccNone, table.AccNone, table.AccNone, targetAccent(tgt.State), table.AccDim, table.AccDim},
					Short:    []string{lbColAZ: tgt.AZ},
					Haystack: hay,
				}
				t.versions.Stamp(r)
				targets = append(targets, r)
			}
			if filtering && len(targets) == 0 && !f.Match(tgHay) {
				continue
			}
			body = append(body, span(tg.ARN, t.tgLine(lb, tg, sep), tgHay))
			zones, known := zoneCounts(t.ctx, lb, tg)
			_, crossOn := common.CrossZoneText(lb, tg)
			switch {
			case len(tg.Targets) == 0:
				body = append(body, span(tg.ARN+"#zones", "      "+st.Bad.Render("no targets registered"), tgHay))
			case !known:
				body = append(body, span(tg.ARN+"#zones", "      "+common.HealthyText(st, tg.Healthy(), len(tg.Targets))+
					st.Dim.Render("  (targets do not report their zone)"), tgHay))
			default:
				nameW := 14
				for _, z := range zones {
					nameW = max(nameW, len(z.name)) // zone names and ids are ASCII
				}
				for _, z := range zones {
					line := "      " + st.Bold.Render(common.PadRight(z.name, nameW)) + " " + common.HealthyText(st, z.healthy, z.total)
					switch {
					case z.outside:
						line = "      " + st.Bold.Render(common.PadRight(z.name, nameW)) + " " + st.Warn.Render(common.Plural(z.total, "target")) +
							st.Warn.Render("  LB not enabled in this zone: no traffic")
					case z.healthy == 0:
						t.dark++
						if crossOn {
							line += st.Dim.Render("  cross-zone on: other zones take its traffic")
						} else {
							line += st.Bad.Render("  connections landing in this zone fail")
						}
					}
					body = append(body, span(tg.ARN+"#"+z.name, line, tgHay))
				}
			}
			body = append(body, targets...)
		}
		if len(lb.TargetGroups) == 0 {
			body = append(body, span(lb.ARN+"#none", "    "+st.Bad.Render("no target groups: every connection fails"), lbHay))
		}
		if filtering && len(body) == 0 && !f.Match(lbHay) {
			continue
		}
		l1, l2 := t.lbLines(lb, sep)
		rows = append(rows, span(lb.ARN, l1, lbHay), span(lb.ARN+"#settings", l2, lbHay))
		rows = append(rows, body...)
	}
	t.table.SetRows(rows)
	switch {
	case t.err != nil:
		t.table.Empty = "could not load the load balancers: " + t.err.Error()
	case !t.loaded:
		t.table.Empty = "loading…"
	case len(t.lbs) == 0:
		t.table.Empty = "no load balancers"
	default:
		t.table.Empty = "nothing matches the filter"
	}
}

func portText(p int32) string {
	if p == 0 {
		return "-"
	}
	return common.Itoa(int(p))
}

// lbLine is a load balancer's header: what it is and the settings that break PrivateLink.
func (t *lbTab) lbLines(lb model.LoadBalancer, sep string) (string, string) {
	st := t.ctx.Styles
	state := st.OK.Render(common.OrDash(lb.State))
	switch lbAccent(lb.State) {
	case table.AccBad:
		state = st.Bad.Render(lb.State)
	case table.AccWarn:
		state = st.Warn.Render(common.OrDash(lb.State))
	}
	var zones []string
	for _, z := range lb.AvailabilityZones {
		zones = append(zones, common.OrDash(zoneLabel(t.ctx, z)))
	}
	sg := st.Dim.Render("no security groups")
	if len(lb.SecurityGroups) > 0 {
		sg = "SG on PrivateLink " + st.OK.Render("off")
		if lb.EnforceSGOnPrivateLink {
			sg = st.Warn.Render("SG on PrivateLink on")
		}
	}
	var ls []string
	for _, l := range lb.Listeners {
		ls = append(ls, l.Protocol+":"+common.Itoa(int(l.Port)))
	}
	head := []string{
		st.Title.Render("▌" + common.OrDash(lb.Name)),
		common.OrDash(lb.Type) + " " + common.OrDash(lb.Scheme),
		state,
	}
	if len(ls) > 0 {
		head = append(head, "listeners "+strings.Join(ls, " "))
	}
	// the settings that break PrivateLink first: a narrow terminal cuts the zones, which the
	// per-zone lines below repeat anyway
	settings := []string{sg, "cross-zone " + common.OnOff(lb.CrossZoneEnabled), "zones " + common.OrDash(strings.Join(zones, " "))}
	return strings.Join(head, sep), " " + strings.Join(settings, sep)
}

// tgLine is a target group's header.
func (t *lbTab) tgLine(lb model.LoadBalancer, tg model.TargetGroup, sep string) string {
	st := t.ctx.Styles
	cz, _ := common.CrossZoneText(lb, tg)
	hc := tg.HealthCheckProtocol
	if tg.HealthCheckPort != "" {
		hc += ":" + tg.HealthCheckPort
	}
	parts := []string{
		"  " + st.Accent.Render("◦ "+common.OrDash(tg.Name)),
		tg.Protocol + ":" + common.Itoa(int(tg.Port)),
		common.OrDash(tg.TargetType),
		"cross-zone " + cz,
		"check " + common.OrDash(hc),
	}
	return strings.Join(parts, sep)
}

// Status summarises the targets shown.
func (t *lbTab) Status() string {
	if !t.loaded {
		return ""
	}
	s := common.Itoa(t.healthy) + "/" + common.Itoa(t.total) + " targets healthy"
	if t.dark > 0 {
		s += " · " + common.Plural(t.dark, "zone") + " with no healthy target"
	}
	return s
}

func lbAccent(state string) table.Accent {
	switch state {
	case "active":
		return table.AccNone
	case "failed":
		return table.AccBad
	}
	return table.AccWarn
}

func targetAccent(st model.TargetHealthState) table.Accent {
	switch st {
	case model.TargetHealthy:
		return table.AccOK
	case model.TargetUnhealthy, model.TargetUnhealthyDraining, model.TargetUnavailable:
		return table.AccBad
	case model.TargetInitial, model.TargetDraining:
		return table.AccWarn
	}
	return table.AccDim
}

// Copyables are what the row under the cursor belongs to: a target's id, its target group's
// ARN, its load balancer's ARN and DNS name.
func (t *lbTab) Copyables() []common.Copyable {
	id := t.table.CurrentID()
	if id == "" {
		return nil
	}
	for _, lb := range t.lbs {
		lbCopies := []common.Copyable{common.Copy("Load balancer ARN", lb.ARN), common.Copy("Load balancer DNS name", lb.DNSName)}
		if strings.HasPrefix(id, lb.ARN) {
			return lbCopies
		}
		for _, tg := range lb.TargetGroups {
			if !strings.HasPrefix(id, tg.ARN) {
				continue
			}
			var out []common.Copyable
			for _, tgt := range tg.Targets {
				if id == tg.ARN+"/"+tgt.ID+":"+common.Itoa(int(tgt.Port)) {
					out = append(out, common.Copy("Target id", tgt.ID), common.Copy("Health reason", tgt.Reason),
						common.Copy("Target health description", tgt.Description))
				}
			}
			return append(append(out, common.Copy("Target group ARN", tg.ARN)), lbCopies...)
		}
	}
	return nil
}

// zoneLabel names a load balancer's zone by name and id ("us-east-1a (use1-az1)").
func zoneLabel(ctx *common.Context, z model.LBZone) string {
	switch {
	case z.Name != "" && z.ID != "":
		return z.Name + " (" + z.ID + ")"
	case z.Name != "":
		return ctx.Store.ZoneLabel(z.Name)
	}
	return ctx.Store.ZoneLabel(z.ID)
}

// targetZone is a target's zone by name and id, as its load balancer names the zone where
// it does; "all" (a target outside the VPC) stays.
func targetZone(ctx *common.Context, lb model.LoadBalancer, az string) string {
	if az == "all" {
		return az
	}
	for _, z := range lb.AvailabilityZones {
		if z.Name == az || (z.ID == az && z.ID != "") {
			return zoneLabel(ctx, z)
		}
	}
	return ctx.Store.ZoneLabel(az)
}
