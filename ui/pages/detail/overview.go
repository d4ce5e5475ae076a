package detail

import (
	"slices"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/textview"
	"github.com/plconsole/plconsole/ui/store"
)

// overview is the service's settings and its diagnostics, one scrollable text.
type overview struct {
	ctx   *common.Context
	d     *data
	diag  store.Diagnosis
	text  *textview.View // lines rendered for the width when the data or the width changes
	width int
}

func newOverview(ctx *common.Context) *overview { return &overview{ctx: ctx, text: textview.New(ctx)} }

func (o *overview) name() string                               { return "Overview" }
func (o *overview) short() string                              { return "Overview" }
func (o *overview) count() (int, bool)                         { return 0, false }
func (o *overview) actions() []string                          { return nil }
func (o *overview) status() string                             { return "" }
func (o *overview) target(model.EndpointService) common.Target { return common.Target{} }
func (o *overview) Init() tea.Cmd                              { return nil }
func (o *overview) Capturing() bool                            { return false }
func (o *overview) KeyBindings() []string                      { return common.NavigationKeys }
func (o *overview) ShortHelp() []string {
	return []string{"verifyDNS", "txtRecord", "copy", "payer", "editService", "deleteService"}
}
func (o *overview) View() string { return o.text.View() }
func (o *overview) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		o.text.Update(km)
	}
	return o, nil
}

func (o *overview) sync(d *data) {
	o.d = d
	o.diag = o.ctx.Store.Diagnose(d.svc.ID)
	o.render()
}

func (o *overview) SetSize(w, h int) {
	o.text.SetSize(w, h)
	if w != o.width {
		o.width = w
		o.render() // findings are wrapped to the width
	}
}

func (o *overview) render() {
	if o.d == nil {
		o.text.SetLines(nil)
		return
	}
	st := o.ctx.Styles
	s := o.d.svc
	// at 150 columns and more the diagnostics sit beside the settings, so both show at once
	wide := o.width >= 150
	leftW := o.width
	if wide {
		leftW = min(o.width/2, 96)
	}
	var out []string
	kv := func(k, val string) { out = append(out, st.HeaderKey.Render(common.PadRight(k, 22))+val) }
	// a list (zones, regions) wraps between its items, under its value, rather than losing
	// its end
	kvList := func(k string, items []string) {
		if len(items) == 0 {
			kv(k, "-")
			return
		}
		room := max(leftW-22, 20)
		line := ""
		for i, it := range items {
			if i < len(items)-1 {
				it += ","
			}
			switch {
			case line == "":
				line = it
			case ansi.StringWidth(line)+1+ansi.StringWidth(it) <= room:
				line += " " + it
			default:
				kv(k, line)
				k, line = "", it
			}
		}
		kv(k, line)
	}
	kv("Service id", s.ID)
	kv("Service name", s.Name)
	if s.DisplayName != "" {
		kv("Name tag", s.DisplayName)
	}
	kv("Type", string(s.Type))
	kv("State", string(s.State))
	health := o.healthBadge()
	if o.complete() && len(o.diag.Findings) > 0 {
		health += st.Dim.Render("  " + o.findingCounts() + " under Diagnostics")
	}
	kv("Health", health)
	kv("Acceptance required", common.YesNo(s.AcceptanceRequired))
	kv("Payer responsibility", common.OrDash(string(s.PayerResponsibility)))
	kv("Manages endpoints", common.YesNo(s.ManagesVpcEndpoints))
	kvList("Availability zones", o.zoneLabels(s))
	kv("Supported IP types", common.OrDash(strings.Join(s.SupportedIPTypes, ", ")))
	var regions []string
	for _, r := range s.SupportedRegions {
		regions = append(regions, r.Region+" ("+r.Status+")")
	}
	kvList("Supported regions", regions)
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
		if name, value, ok := model.VerificationRecord(*p); ok {
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
	if o.d.err != nil {
		out = append(out, "", st.FlashError.Render("Could not load details: "+o.d.err.Error()))
	}
	settings := out
	out = nil
	if !wide {
		out = append(settings, "")
	}
	// a short terminal must not hide that something is wrong
	o.text.SetLandmark(len(out), "Diagnostics below: "+o.findingCounts()+" (G to jump)")
	out = append(out, st.Title.Render("Diagnostics"))
	complete := o.complete()
	if !complete {
		out = append(out, st.Dim.Render("  … reading the load balancers and principals; more findings may follow"))
	} else if len(o.diag.Findings) == 0 {
		out = append(out, st.OK.Render("  no problems found"))
	}
	wrapW := max(o.width-7, 20)
	if wide {
		wrapW = max(o.width-leftW-3-7, 20)
	}
	for _, f := range o.diag.Findings {
		sev := st.Info.Render("INFO")
		switch f.Severity {
		case model.SeverityWarning:
			sev = st.Warn.Render("WARN")
		case model.SeverityCritical:
			sev = st.Bad.Render("CRIT")
		}
		out = append(out, "  "+sev+" "+st.Bold.Render(o.ctx.FindingTitle(f)))
		for _, l := range common.WrapLines(f.Detail, wrapW) {
			out = append(out, "       "+l)
		}
		if f.Evidence != "" {
			for _, l := range common.WrapLines("Evidence: "+f.Evidence, wrapW) {
				out = append(out, "       "+st.Dim.Render(l))
			}
		}
		if len(f.Affected) > 0 {
			out = append(out, "       "+st.Bold.Render("Consumers to call first ("+common.Itoa(len(f.Affected))+"):"))
			for i, a := range f.Affected {
				if i == 5 {
					out = append(out, "       "+st.Dim.Render("… and "+common.Itoa(len(f.Affected)-5)+" more"))
					break
				}
				line := a.Connection.EndpointID + "  " + o.ctx.CustomerLabel(a.Connection.OwnerAccount) + "  " + model.HumanBytes(a.Bytes) + "  " + model.ZonesText(a.Zones)
				if a.In == model.Maybe {
					line += "  (may be in the zone: its owner's zone ids are not visible)"
				}
				out = append(out, "         "+common.Truncate(line, wrapW))
			}
		}
		if f.Fix != "" {
			for i, l := range common.WrapLines("Fix: "+f.Fix, wrapW) {
				if i == 0 {
					l = st.Accent.Render("Fix:") + st.Dim.Render(strings.TrimPrefix(l, "Fix:"))
				} else {
					l = st.Dim.Render(l)
				}
				out = append(out, "       "+l)
			}
		}
	}
	if wide {
		out = besideEachOther(settings, out, leftW, o.ctx.Styles.Dim.Render(" │ "))
		o.text.SetLandmark(-1, "")
	}
	o.text.SetLines(out)
}

// besideEachOther sets two columns of lines side by side, the left one cut to leftW.
func besideEachOther(left, right []string, leftW int, sep string) []string {
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = common.Truncate(left[i], leftW)
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = common.PadRight(l, leftW) + sep + r
	}
	return out
}

// findingCounts is "1 CRIT, 2 WARN" (or "no problems found", or "loading").
func (o *overview) findingCounts() string {
	if !o.complete() {
		return "loading"
	}
	var crit, warn, info int
	for _, f := range o.diag.Findings {
		switch f.Severity {
		case model.SeverityCritical:
			crit++
		case model.SeverityWarning:
			warn++
		default:
			info++
		}
	}
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{crit, "CRIT"}, {warn, "WARN"}, {info, "INFO"}} {
		if c.n > 0 {
			parts = append(parts, common.Itoa(c.n)+" "+c.name)
		}
	}
	if len(parts) == 0 {
		return "no problems found"
	}
	return strings.Join(parts, ", ")
}

// complete says whether the health and findings see everything they need: the service's
// details and load balancers as well as every input of the store's diagnosis.
func (o *overview) complete() bool {
	_, lbf := o.ctx.Store.LoadBalancersOf(o.d.svc)
	return o.d.detailed && lbf.Loaded && o.ctx.Store.Connections().Loaded
}

func (o *overview) healthBadge() string {
	st := o.ctx.Styles
	if !o.complete() {
		return st.Dim.Render("… (loading)")
	}
	switch o.diag.Health {
	case model.HealthCritical:
		return st.Bad.Render("CRIT")
	case model.HealthWarning:
		return st.Warn.Render("WARN")
	}
	return st.OK.Render("OK")
}

// zoneLabels are the service's zones by name and id: the ids AWS gave with the service, or
// the session's own map.
func (o *overview) zoneLabels(s model.EndpointService) []string {
	if len(s.AvailabilityZoneIDs) == len(s.AvailabilityZones) {
		out := make([]string, len(s.AvailabilityZones))
		for i, z := range s.AvailabilityZones {
			out[i] = z + " (" + s.AvailabilityZoneIDs[i] + ")"
		}
		return out
	}
	return o.ctx.Store.ZoneLabels(s.AvailabilityZones)
}
