// Package consumer is one consumer's page: its connection (owner, ids, state, age, region,
// IP type, the zones its endpoint uses, DNS entries, tags, who pays), the findings that name
// it, traffic charts for its endpoint, and the actions that apply (accept, reject).
package consumer

import (
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/chart"
	"github.com/plconsole/plconsole/ui/store"
)

// ID is the page's registration id.
const ID = "consumer"

const metricsKey = "metrics/consumer"

var kinds = []struct {
	title, metric, stat string
	unit                model.MetricUnit
}{
	{"Bytes processed", "BytesProcessed", "Sum", model.UnitBytesPerSecond},
	{"Active connections", "ActiveConnections", "Average", model.UnitCount},
	{"New connections", "NewConnections", "Sum", model.UnitPerSecond},
	{"RST packets", "RstPacketsSent", "Sum", model.UnitPerMinute},
}

// Page is one consumer.
type Page struct {
	ctx    *common.Context
	key    string
	conn   model.Connection
	found  bool
	window int
	charts []*chart.Chart
	req    model.MetricRequest
	view   string

	width, height int
}

// New makes the consumer page (no consumer yet: Open picks one).
func New(ctx *common.Context) *Page {
	p := &Page{ctx: ctx, window: 1}
	for _, k := range kinds {
		p.charts = append(p.charts, chart.New(ctx.Styles, k.title, k.unit, k.stat))
	}
	return p
}

func (p *Page) ID() string             { return ID }
func (p *Page) Init() tea.Cmd          { return nil }
func (p *Page) Capturing() bool        { return false }
func (p *Page) Actions() []string      { return []string{"accept", "reject"} }
func (p *Page) Connection() string     { return p.key }
func (p *Page) Charts() []*chart.Chart { return p.charts }
func (p *Page) KeyBindings() []string {
	return []string{common.KeyWindow, common.KeyWindowBack}
}
func (p *Page) ShortHelp() []string {
	return []string{"accept", "reject", common.KeyWindow, common.KeyRefresh}
}

func (p *Page) Title() string {
	if p.conn.EndpointID != "" {
		return p.conn.EndpointID
	}
	return "Consumer"
}

func (p *Page) Status() string {
	return "consumer " + p.ctx.CustomerLabel(p.conn.OwnerAccount) + " · window " + model.MetricWindows[p.window].Name +
		" · " + common.Plural(len(kinds), "metric") + " a read"
}

// Target is the consumer's connection.
func (p *Page) Target() common.Target {
	if !p.found {
		return common.Target{}
	}
	t := common.Target{Connections: []model.Connection{p.conn}}
	if svc, ok := p.ctx.Store.Service(p.conn.ServiceID); ok {
		t.Service = &svc
	}
	return t
}

// Copyables are the consumer's ids and DNS names.
func (p *Page) Copyables() []common.Copyable {
	if !p.found {
		return nil
	}
	svc, _ := p.ctx.Store.Service(p.conn.ServiceID)
	return common.ConnectionCopyables(p.conn, svc.Name)
}

// Open shows a connection (by model.Connection.Key) and reads its charts.
func (p *Page) Open(key string) tea.Cmd {
	if key != p.key {
		p.view = ""
	}
	p.key = key
	p.sync()
	return p.fetch()
}

func (p *Page) sync() {
	p.conn, p.found = p.ctx.Store.Connection(p.key)
}

func (p *Page) SetSize(w, h int) {
	p.width, p.height = w, h
	cw := w
	if w >= 110 {
		cw = (w - 2) / 2
	}
	for _, c := range p.charts {
		c.SetSize(cw, 9)
	}
}

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.DataChangedMsg, common.ShownMsg:
		p.sync()
		if p.ctx.TopPage == nil || p.ctx.TopPage() == ID {
			return p, p.fetch()
		}
	case common.RefreshMsg:
		p.view = ""
		return p, p.fetch()
	case store.MetricsResult:
		p.onResult(msg)
	case tea.KeyMsg:
		if !common.CycleWindow(p.ctx.Keys, msg, &p.window) {
			return p, nil
		}
		return p, p.fetch()
	}
	return p, nil
}

func (p *Page) fetch() tea.Cmd {
	if !p.found {
		return nil
	}
	now := p.ctx.Now()
	w := model.MetricWindows[p.window]
	start, end, period := model.WindowRange(w, now)
	view := p.key + "|" + w.Name + "|" + end.String()
	if view == p.view {
		return nil
	}
	p.view = view
	dims := []model.Dimension{{Name: model.DimServiceID, Value: p.conn.ServiceID}, {Name: model.DimEndpointID, Value: p.conn.EndpointID}}
	var qs []model.MetricQuery
	for i, k := range kinds {
		qs = append(qs, model.MetricQuery{ID: "c" + common.Itoa(i), Namespace: model.NamespacePrivateLinkServices, Metric: k.metric, Stat: k.stat, Dimensions: dims})
		p.charts[i].SetLoading()
	}
	p.req = model.MetricRequest{Start: start, End: end, Period: period, Queries: qs, Now: now}
	return p.ctx.Store.FetchMetrics(metricsKey, ID, p.req)
}

func (p *Page) onResult(msg store.MetricsResult) {
	for i, c := range p.charts {
		if msg.Err != nil {
			c.SetError("could not read the metrics: " + msg.Err.Error())
			continue
		}
		var s model.MetricSeries
		if i < len(msg.Series) {
			s = msg.Series[i]
		}
		c.SetData(msg.Req.Start, msg.Req.Period, []chart.Series{{Name: p.conn.EndpointID,
			Values: model.FillSeries(s, msg.Req.Start, msg.Req.End, msg.Req.Period, kinds[i].unit, 0)}})
	}
}

func (p *Page) View() string {
	if p.height <= 0 {
		return ""
	}
	st := p.ctx.Styles
	if !p.found {
		return common.FitLine(st.Dim.Render("connection "+p.key+" is not in the list any more (refresh with r)"), p.width)
	}
	c := p.conn
	var out []string
	kv := func(k, v string) { out = append(out, st.HeaderKey.Render(common.PadRight(k, 16))+v) }
	svcLabel := p.ctx.Store.Label(c.ServiceID)
	owner := st.Bold.Render(c.OwnerAccount)
	if name := p.ctx.Customer(c.OwnerAccount); name != "" {
		owner += "  " + st.Bold.Render(name)
		if tier := p.ctx.Customers.Tier(c.OwnerAccount); tier != "" {
			owner += st.Dim.Render("  tier " + tier)
		}
	}
	kv("Owner account", owner)
	kv("Endpoint", c.EndpointID+st.Dim.Render("  connection "+common.OrDash(c.ConnectionID)))
	kv("Service", svcLabel+st.Dim.Render("  "+c.ServiceID))
	kv("State", stateText(st, c.State)+st.Dim.Render("  requested "+common.HumanAge(p.ctx.Now(), c.Created)+" ago"))
	region := common.OrDash(c.Region)
	if c.Region != "" && c.Region != p.ctx.Store.Identity().Region {
		region += st.Warn.Render("  cross-Region")
	}
	kv("Region", region+st.Dim.Render("  IP "+common.OrDash(c.IPAddressType)))
	zs := model.EndpointZones(c, p.ctx.Store.ZoneMaps())
	zones := common.OrDash(model.ZonesText(zs))
	if len(zs) > 0 && zs[0].ID == "" {
		zones += st.Dim.Render("  (the owner's zone names; its zone ids are not visible to the provider)")
	}
	kv("Zones", zones)
	payer := "endpoint owner"
	if svc, ok := p.ctx.Store.Service(c.ServiceID); ok && svc.PayerResponsibility == model.PayerServiceOwner {
		payer = "service owner (you)"
	}
	kv("Payer", payer)
	var dns []string
	for _, d := range c.DNSNames {
		dns = append(dns, d)
	}
	kv("DNS entries", common.OrDash(strings.Join(firstN(dns, 1), "")))
	for _, d := range dns[min(1, len(dns)):] {
		kv("", d)
	}
	var tags []string
	for k, v := range c.Tags {
		tags = append(tags, k+"="+v)
	}
	sort.Strings(tags)
	kv("Tags", common.OrDash(strings.Join(tags, ", ")))
	for _, f := range p.ctx.Store.Diagnose(c.ServiceID).Findings {
		if f.Resource == c.EndpointID {
			out = append(out, st.Warn.Render("WARN ")+p.ctx.FindingTitle(f)+st.Dim.Render("  "+f.Evidence))
		}
		for _, a := range f.Affected {
			if a.Connection.EndpointID == c.EndpointID {
				out = append(out, st.Bad.Render("CRIT ")+"affected: "+f.Title)
			}
		}
	}
	out = append(out, "")
	left := p.height - len(out)
	var rows []string
	cols := 1
	if p.width >= 110 {
		cols = 2
	}
	if need := (len(p.charts) + cols - 1) / cols * 9; left < need {
		// too short for every plot: one line a metric, so none is silently left out
		for _, c := range p.charts {
			rows = append(rows, c.Line(p.width))
		}
		if left >= len(p.charts)+1 {
			rows = append(rows, st.Dim.Render(common.Truncate("  (a taller terminal shows the charts whole)", p.width)))
		}
	} else {
		for i := 0; i < len(p.charts); i += cols {
			a := strings.Split(p.charts[i].View(), "\n")
			if cols == 2 && i+1 < len(p.charts) {
				b := strings.Split(p.charts[i+1].View(), "\n")
				for k := range a {
					a[k] += "  " + b[k]
				}
			}
			rows = append(rows, a...)
		}
	}
	out = append(out, rows...)
	for i := range out {
		out[i] = common.FitLine(out[i], p.width)
	}
	if len(out) > p.height {
		out = out[:p.height]
	}
	return strings.Join(out, "\n")
}

func firstN(s []string, n int) []string { return s[:min(n, len(s))] }

func stateText(st *common.Styles, s model.ConnectionState) string {
	switch s {
	case model.StateAvailable:
		return st.OK.Render(string(s))
	case model.StatePendingAcceptance, model.StatePending:
		return st.Warn.Render(string(s))
	case model.StateRejected, model.StateFailed:
		return st.Bad.Render(string(s))
	}
	return st.Dim.Render(string(s))
}
