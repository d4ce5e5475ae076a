// Package overview is the fleet at a glance: totals over every service (services, requests
// waiting, connections available, bytes a second, active connections, findings), then one
// row per service with its badge, findings and traffic sparkline, services with findings
// first, and the worst findings of the fleet under the table.
package overview

import (
	"cmp"
	"math"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/chart"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/pages/services"
	"github.com/plconsole/plconsole/ui/store"
)

// ID is the page's registration id.
const ID = "overview"

// Page is the fleet overview.
type Page struct {
	ctx         *common.Context
	table       *table.Table
	filter      string
	seen        uint64
	seenStore   string
	totals      []string
	metricsNote string
	findings    []string
	width       int
	height      int
}

// New makes the overview.
func New(ctx *common.Context) *Page {
	t := table.New(ctx, []table.Column{
		{Title: "SERVICE", Width: 20, Flex: 1, Min: 12, Max: 40},
		{Title: "HEALTH", Width: 6},
		{Title: "FINDINGS", Width: 8, Right: true},
		{Title: "PEND", Width: 4, Right: true},
		{Title: "AVAIL", Width: 5, Right: true},
		{Title: "BYTES/S", Width: 9, Right: true},
		{Title: "ACTIVE", Width: 7, Right: true, Drop: 2},
		{Title: "LAST HOUR", Width: 20, Min: 8, Drop: 1},
		{Title: "SERVICE ID", Width: 26, Drop: 3},
	})
	t.Empty = "loading…"
	return &Page{ctx: ctx, table: t}
}

func (p *Page) ID() string          { return ID }
func (p *Page) Title() string       { return "Overview" }
func (p *Page) Init() tea.Cmd       { return nil }
func (p *Page) Capturing() bool     { return false }
func (p *Page) Filter() string      { return p.filter }
func (p *Page) Table() *table.Table { return p.table }
func (p *Page) KeyBindings() []string {
	return append([]string{common.KeyEnter}, common.NavigationKeys...)
}
func (p *Page) ShortHelp() []string {
	return []string{common.KeyEnter, "services", "inbox", common.KeyFilter, common.KeyRefresh}
}

// SetFilter filters the services.
func (p *Page) SetFilter(f string) { p.filter = f; p.rebuild() }

func (p *Page) Status() string {
	s := common.Itoa(p.table.Len()) + "/" + common.Itoa(len(p.ctx.Store.Services())) + " services"
	if f := p.ctx.Store.Fleet(); f != nil && f.Queries > 0 {
		s += " · fleet metrics " + common.CostText(f.Queries)
		if f.Err != nil {
			s += " · last read failed: " + f.Err.Error()
		}
	}
	return s
}

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.DataChangedMsg, common.ShownMsg, common.SessionChangedMsg:
		st := p.ctx.Store
		if st.Version() != p.seen || st.Owner() != p.seenStore {
			p.seen, p.seenStore = st.Version(), st.Owner()
			p.rebuild()
		}
	case tea.KeyMsg:
		k := p.ctx.Keys
		if table.Navigate(k, p.table, msg) {
			return p, nil
		}
		if k.Is(msg, common.KeyEnter) {
			if r := p.table.Current(); r != nil {
				return p, common.Open(r.ID, 0, "")
			}
		}
	}
	return p, nil
}

// CurrentID is the id of the service under the cursor ("" when the list is empty).
func (p *Page) CurrentID() string {
	if r := p.table.Current(); r != nil {
		return r.ID
	}
	return ""
}

func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	p.layout()
}

// layout shares the height between the services and the findings: each gets what it needs
// when both fit; when they do not, the findings get a quarter of it, or what the services
// leave if that is more.
func (p *Page) layout() {
	p.table.SetSize(p.width, max(p.height-2-p.findingLines(), 1))
}

// findingLines is how many lines the findings take (their title included).
func (p *Page) findingLines() int {
	if len(p.findings) == 0 {
		return 0
	}
	avail := max(p.height-2, 0)
	need := len(p.findings) + 1
	services := p.table.Len() + 1
	if services+need <= avail {
		return need
	}
	return min(need, max(avail/4, avail-services))
}

func (p *Page) View() string {
	if p.height <= 0 {
		return ""
	}
	// the totals keep every figure at 80 columns: their separators shrink before anything is cut
	totals := strings.Join(p.totals, p.ctx.Styles.Dim.Render(" │ ")) + p.metricsNote
	if ansi.StringWidth(totals) > p.width {
		totals = strings.Join(p.totals, "  ") + p.metricsNote
	}
	out := []string{common.FitLine(totals, p.width), ""}
	out = append(out, p.table.View())
	if n := p.findingLines() - 1; n > 0 {
		out = append(out, p.ctx.Styles.Title.Render("Findings"))
		shown := p.findings[:n]
		more := len(p.findings) - n
		if more > 0 {
			more++ // the last line says so instead
			shown = shown[:n-1]
		}
		for _, f := range shown {
			out = append(out, common.FitLine(f, p.width))
		}
		if more > 0 {
			what := common.Itoa(more) + " more"
			if len(shown) == 0 {
				what = common.Plural(more, "finding") // no room for any of them
			}
			out = append(out, p.ctx.Styles.Dim.Render(common.FitLine("  … "+what+
				": enter on a service shows all of its diagnostics", p.width)))
		}
	}
	return strings.Join(out, "\n")
}

type row struct {
	svc      model.EndpointService
	diag     store.Diagnosis
	sum      model.ConnectionSummary
	rate     float64
	active   float64
	trend    []float64
	problems int
}

func (p *Page) rebuild() {
	st := p.ctx.Store
	styles := p.ctx.Styles
	fleet := st.Fleet()
	f := common.CompileFilter(p.filter)
	var rows []row
	var pending, avail, findings int
	var rate, active float64
	var worst []string
	type found struct {
		svc string
		f   model.Finding
	}
	var all []found
	for _, svc := range st.Services() {
		r := row{svc: svc, diag: st.Diagnose(svc.ID), sum: st.Summary(svc.ID), rate: math.NaN(), active: math.NaN()}
		for _, fd := range r.diag.Findings {
			if fd.Severity > model.SeverityInfo {
				r.problems++
				all = append(all, found{svc.Label(), fd})
			}
		}
		if m, ok := fleet.Service(svc.ID); ok {
			// the last hour of the fleet read, a point a period
			hour := m.End.Add(-model.MetricWindows[0].Duration)
			r.trend = model.FillSeries(m.Bytes.Between(hour, m.End), hour, m.End, m.Period, model.UnitBytesPerSecond, 0)
			if len(r.trend) > 0 {
				r.rate = r.trend[len(r.trend)-1]
			}
			if a := fleet.Active(svc.ID).Stats(); a.Points > 0 {
				r.active = a.Last
			} else {
				r.active = 0
			}
		}
		pending += r.sum.PendingAcceptance()
		avail += r.sum.Available()
		findings += r.problems
		if !math.IsNaN(r.rate) {
			rate += r.rate
		}
		if !math.IsNaN(r.active) {
			active += r.active
		}
		if f.Match(common.Haystack(svc.Label(), svc.ID, services.HealthText(r.diag.Health))) {
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(-cmp.Compare(a.diag.Health.Rank(), b.diag.Health.Rank()), -cmp.Compare(a.problems, b.problems),
			strings.Compare(a.svc.Label(), b.svc.Label()))
	})
	slices.SortStableFunc(all, func(a, b found) int { return -cmp.Compare(a.f.Severity, b.f.Severity) })
	for _, x := range all {
		sev := styles.Warn.Render("WARN")
		if x.f.Severity == model.SeverityCritical {
			sev = styles.Bad.Render("CRIT")
		}
		line := "  " + sev + " " + styles.Bold.Render(x.svc) + "  " + p.ctx.FindingTitle(x.f)
		if x.f.Evidence != "" {
			line += styles.Dim.Render("  " + x.f.Evidence)
		}
		if len(x.f.Affected) > 0 {
			line += styles.Dim.Render("  · " + common.Plural(len(x.f.Affected), "consumer") + " affected")
		}
		worst = append(worst, line)
	}
	p.findings = worst
	metricsNote := ""
	switch {
	case fleet == nil:
		metricsNote = styles.Dim.Render("  (metrics loading…)")
	case fleet.Err != nil && !fleet.Loaded:
		metricsNote = styles.FlashError.Render("  (metrics unavailable: " + fleet.Err.Error() + ")")
	}
	kv := func(k, v string) string { return styles.HeaderKey.Render(k+" ") + styles.HeaderVal.Render(v) }
	p.totals = []string{
		kv("services", common.Itoa(len(st.Services()))),
		kv("pending", common.Itoa(pending)),
		kv("available", common.Itoa(avail)),
		kv("traffic", model.UnitBytesPerSecond.Format(rate)),
		kv("active", model.HumanNumber(active)),
		kv("findings", common.Itoa(findings)),
	}
	p.metricsNote = metricsNote
	out := make([]*table.Row, len(rows))
	for i, r := range rows {
		h := services.HealthText(r.diag.Health)
		rateText, activeText := "…", "…"
		if !math.IsNaN(r.rate) {
			rateText, activeText = model.UnitBytesPerSecond.Format(r.rate), model.HumanNumber(r.active)
		}
		cells := []string{r.svc.Label(), h, common.Itoa(r.problems), common.Itoa(r.sum.PendingAcceptance()), common.Itoa(r.sum.Available()),
			rateText, activeText, chart.Sparkline(r.trend, 20), r.svc.ID}
		pendAcc := table.AccNone
		if r.sum.PendingAcceptance() > 0 {
			pendAcc = table.AccWarn
		}
		out[i] = &table.Row{ID: r.svc.ID, Version: p.seen, Cells: cells,
			Accents:  []table.Accent{table.AccBold, services.HealthAccent(r.diag.Health), table.AccNone, pendAcc, table.AccNone, table.AccNone, table.AccNone, table.AccAccent, table.AccDim},
			Haystack: common.Haystack(cells...)}
	}
	svcF := st.Freshness(store.Services)
	p.table.Empty = common.EmptyText(svcF.Loaded, svcF.Err, p.filter, "endpoint services", "no endpoint services in this region")
	p.table.SetRows(out)
	p.layout()
}
