package detail

import (
	"fmt"
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/chart"
	"github.com/plconsole/plconsole/ui/store"
)

// The Metrics tab: the service's PrivateLink and NLB CloudWatch metrics as charts, over a
// window (w / W), broken down per AZ or per load balancer (b), polled once a minute in live
// mode (L). Only the charts on screen are asked for, in one GetMetricData request (awsops
// splits it at 500 queries), and the pane says what that costs.

// metricsKey is the task key of the tab's reads: a newer read (another window, breakdown or
// scroll position) replaces the running one.
const metricsKey = "metrics/service"

// Breakdowns of the service-level charts.
const (
	byTotal = iota
	byAZ
	byLB
	breakdowns
)

var breakdownNames = [breakdowns]string{"total", "per AZ", "per load balancer"}

// chartKind is one chart of the tab.
type chartKind struct {
	title  string
	ns     string
	metric string
	stat   string
	unit   model.MetricUnit
	// hosts charts are per target group and zone whatever the breakdown; total charts have
	// no breakdown (EndpointsCount is published by service only).
	hosts bool
	total bool
}

var metricCharts = []chartKind{
	{title: "Bytes processed", ns: model.NamespacePrivateLinkServices, metric: "BytesProcessed", stat: "Sum", unit: model.UnitBytesPerSecond},
	{title: "Active connections", ns: model.NamespacePrivateLinkServices, metric: "ActiveConnections", stat: "Average", unit: model.UnitCount},
	{title: "New connections", ns: model.NamespacePrivateLinkServices, metric: "NewConnections", stat: "Sum", unit: model.UnitPerSecond},
	{title: "RST packets sent", ns: model.NamespacePrivateLinkServices, metric: "RstPacketsSent", stat: "Sum", unit: model.UnitPerMinute},
	{title: "Endpoints", ns: model.NamespacePrivateLinkServices, metric: "EndpointsCount", stat: "Maximum", unit: model.UnitCount, total: true},
	{title: "Healthy hosts", ns: model.NamespaceNetworkELB, metric: "HealthyHostCount", stat: "Minimum", unit: model.UnitCount, hosts: true},
	{title: "Unhealthy hosts", ns: model.NamespaceNetworkELB, metric: "UnHealthyHostCount", stat: "Maximum", unit: model.UnitCount, hosts: true},
	{title: "NLB active flows", ns: model.NamespaceNetworkELB, metric: "ActiveFlowCount", stat: "Average", unit: model.UnitCount},
	{title: "NLB new flows", ns: model.NamespaceNetworkELB, metric: "NewFlowCount", stat: "Sum", unit: model.UnitPerSecond},
	{title: "NLB processed bytes", ns: model.NamespaceNetworkELB, metric: "ProcessedBytes", stat: "Sum", unit: model.UnitBytesPerSecond},
	{title: "TCP target resets", ns: model.NamespaceNetworkELB, metric: "TCP_Target_Reset_Count", stat: "Sum", unit: model.UnitPerMinute},
	{title: "Port allocation errors", ns: model.NamespaceNetworkELB, metric: "PortAllocationErrorCount", stat: "Sum", unit: model.UnitPerMinute},
}

// seriesRef ties a query to the chart and legend entry it feeds.
type seriesRef struct {
	chart int
	name  string
	short string // the legend's name when room is short ("" = name)
}

// metricsPane is the Metrics tab.
type metricsPane struct {
	ctx     *common.Context
	d       *data
	page    *Page
	window  int
	by      int
	live    bool
	liveGen int

	charts []*chart.Chart
	scroll int // first chart row shown

	// the last read: what it asked, for which view, and what came back
	viewKey string
	req     model.MetricRequest
	refs    []seriesRef
	series  map[string]model.MetricSeries
	asked   int
	err     error

	width, height int
}

func newMetricsPane(ctx *common.Context, p *Page) *metricsPane {
	m := &metricsPane{ctx: ctx, page: p, window: 1, series: map[string]model.MetricSeries{}}
	for _, k := range metricCharts {
		m.charts = append(m.charts, chart.New(ctx.Styles, k.title, k.unit, ""))
	}
	return m
}

func (m *metricsPane) name() string                               { return "Metrics" }
func (m *metricsPane) short() string                              { return "Metrics" }
func (m *metricsPane) count() (int, bool)                         { return 0, false }
func (m *metricsPane) actions() []string                          { return nil }
func (m *metricsPane) target(model.EndpointService) common.Target { return common.Target{} }
func (m *metricsPane) Init() tea.Cmd                              { return nil }
func (m *metricsPane) Capturing() bool                            { return false }
func (m *metricsPane) KeyBindings() []string {
	return append([]string{common.KeyWindow, common.KeyWindowBack, common.KeyBreakdown, common.KeyLive}, common.NavigationKeys...)
}
func (m *metricsPane) ShortHelp() []string {
	return []string{common.KeyWindow, common.KeyBreakdown, common.KeyLive, common.KeyRefresh}
}

func (m *metricsPane) status() string {
	w := model.MetricWindows[m.window]
	s := "window " + w.Name + " · " + breakdownNames[m.by]
	if m.req.Period > 0 {
		s += " · period " + model.HumanDuration(m.req.Period)
	}
	if m.live {
		s += " · LIVE: " + common.CostText(m.asked)
	} else {
		s += " · " + common.Plural(m.asked, "metric") + " a read (live: " + common.CostText(m.asked) + ")"
	}
	return s
}

func (m *metricsPane) sync(d *data) {
	m.d = d
}

// cols and rows lay the charts out: two columns on a wide terminal.
func (m *metricsPane) cols() int {
	if m.width >= 110 {
		return 2
	}
	return 1
}

func (m *metricsPane) chartHeight() int { return max(min(12, m.height), 6) }

func (m *metricsPane) visibleRows() int { return max(m.height/m.chartHeight(), 1) }

func (m *metricsPane) rows() int { return (len(m.charts) + m.cols() - 1) / m.cols() }

// visible lists the charts on screen.
func (m *metricsPane) visible() []int {
	var out []int
	for r := m.scroll; r < min(m.scroll+m.visibleRows(), m.rows()); r++ {
		for c := 0; c < m.cols(); c++ {
			if i := r*m.cols() + c; i < len(m.charts) {
				out = append(out, i)
			}
		}
	}
	return out
}

func (m *metricsPane) SetSize(w, h int) {
	m.width, m.height = w, h
	m.scroll = min(m.scroll, max(m.rows()-m.visibleRows(), 0))
	cw := w
	if m.cols() == 2 {
		cw = (w - 2) / 2
	}
	for _, c := range m.charts {
		c.SetSize(cw, m.chartHeight())
	}
}

func (m *metricsPane) View() string {
	if m.height <= 0 {
		return ""
	}
	var lines []string
	vis := m.visible()
	for i := 0; i < len(vis); i += m.cols() {
		left := strings.Split(m.charts[vis[i]].View(), "\n")
		if m.cols() == 2 && i+1 < len(vis) {
			right := strings.Split(m.charts[vis[i+1]].View(), "\n")
			for k := range left {
				if k < len(right) {
					left[k] += "  " + right[k]
				}
			}
		}
		lines = append(lines, left...)
	}
	if more := m.rows() - m.scroll - m.visibleRows(); more > 0 && len(lines) < m.height {
		lines = append(lines, m.ctx.Styles.Dim.Render(common.Plural(more*m.cols(), "more chart")+" below (↓ to scroll)"))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// active says whether the tab is on screen: its page on top and this tab chosen.
func (m *metricsPane) active() bool {
	return m.page.panes[m.page.tab] == pane(m) && m.page.onTop()
}

func (m *metricsPane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.key(msg)
	case store.MetricsResult:
		m.onResult(msg)
	case common.LiveTickMsg:
		if msg.Owner != metricsKey || msg.Gen != m.liveGen || !m.live {
			return m, nil
		}
		if !m.active() {
			m.live = false // the screen was left: live mode stops
			return m, nil
		}
		return m, tea.Batch(m.fetch(true), common.LiveTick(metricsKey, m.liveGen))
	}
	return m, nil
}

func (m *metricsPane) key(msg tea.KeyMsg) tea.Cmd {
	k := m.ctx.Keys
	switch {
	case common.CycleWindow(k, msg, &m.window):
	case k.Is(msg, common.KeyBreakdown):
		m.by = (m.by + 1) % breakdowns
	case k.Is(msg, common.KeyLive):
		m.live = !m.live
		m.liveGen++
		if m.live {
			return tea.Batch(m.fetch(true), common.LiveTick(metricsKey, m.liveGen))
		}
		return nil
	case k.Is(msg, common.KeyDown), k.Is(msg, common.KeyPageDown):
		m.scroll = min(m.scroll+1, max(m.rows()-m.visibleRows(), 0))
	case k.Is(msg, common.KeyUp), k.Is(msg, common.KeyPageUp):
		m.scroll = max(m.scroll-1, 0)
	case k.Is(msg, common.KeyTop):
		m.scroll = 0
	case k.Is(msg, common.KeyBottom):
		m.scroll = max(m.rows()-m.visibleRows(), 0)
	default:
		return nil
	}
	return m.fetch(false)
}

// shown is called when the tab comes on screen or its service's data changed: it reads the
// charts on screen when what they show changed.
func (m *metricsPane) shown() tea.Cmd { return m.fetch(false) }

// queries builds the requests of the visible charts.
func (m *metricsPane) queries(vis []int) ([]model.MetricQuery, []seriesRef) {
	svc := m.d.svc
	lbs, _ := m.ctx.Store.LoadBalancersOf(svc)
	var qs []model.MetricQuery
	var refs []seriesRef
	add := func(chart int, name string, k chartKind, dims ...model.Dimension) {
		qs = append(qs, model.MetricQuery{ID: "m" + common.Itoa(len(qs)), Namespace: k.ns, Metric: k.metric, Stat: k.stat, Dimensions: dims})
		refs = append(refs, seriesRef{chart: chart, name: name})
	}
	// a series of a zone is named by the zone's name and id, or its name alone where the
	// legend is short of room
	addZone := func(chart int, prefix, zone string, k chartKind, dims ...model.Dimension) {
		add(chart, prefix+m.ctx.Store.ZoneLabel(zone), k, dims...)
		refs[len(refs)-1].short = prefix + zone
	}
	sid := model.Dimension{Name: model.DimServiceID, Value: svc.ID}
	for _, i := range vis {
		k := metricCharts[i]
		switch {
		case k.ns == model.NamespacePrivateLinkServices && (k.total || m.by == byTotal):
			add(i, "service", k, sid)
		case k.ns == model.NamespacePrivateLinkServices && m.by == byAZ:
			for _, az := range svc.AvailabilityZones {
				addZone(i, "", az, k, model.Dimension{Name: model.DimAZ, Value: az}, sid)
			}
		case k.ns == model.NamespacePrivateLinkServices:
			for _, arn := range svc.NetworkLoadBalancers {
				add(i, lbName(arn), k, model.Dimension{Name: model.DimLBArn, Value: arn}, sid)
			}
		case k.hosts:
			for _, lb := range lbs {
				lbd := model.Dimension{Name: model.DimLoadBalancer, Value: model.LoadBalancerDimension(lb.ARN)}
				for _, tg := range lb.TargetGroups {
					tgd := model.Dimension{Name: model.DimTargetGroup, Value: model.TargetGroupDimension(tg.ARN)}
					for _, z := range lb.AvailabilityZones {
						prefix := ""
						if len(lb.TargetGroups) > 1 {
							prefix = tg.Name + " "
						}
						addZone(i, prefix, z.Name, k, lbd, tgd, model.Dimension{Name: model.DimNLBAZ, Value: z.Name})
					}
				}
			}
		default: // NLB flow metrics: per load balancer, or per load balancer and zone
			for _, lb := range lbs {
				if lb.Type != "" && lb.Type != "network" {
					continue
				}
				lbd := model.Dimension{Name: model.DimLoadBalancer, Value: model.LoadBalancerDimension(lb.ARN)}
				if m.by != byAZ {
					add(i, lbName(lb.ARN), k, lbd)
					continue
				}
				for _, z := range lb.AvailabilityZones {
					prefix := ""
					if len(lbs) > 1 {
						prefix = lbName(lb.ARN) + " "
					}
					addZone(i, prefix, z.Name, k, lbd, model.Dimension{Name: model.DimNLBAZ, Value: z.Name})
				}
			}
		}
	}
	return qs, refs
}

func lbName(arn string) string {
	if p, err := model.ParseLoadBalancerARN(arn); err == nil && p.Name != "" {
		return p.Name
	}
	return arn
}

// fetch reads the visible charts when the view changed (or, with tail, the newest periods
// of the same view for live mode, merged into what was read).
func (m *metricsPane) fetch(tail bool) tea.Cmd {
	if m.d == nil || m.d.svc.ID == "" || m.width <= 0 {
		return nil
	}
	vis := m.visible()
	now := m.ctx.Now()
	w := model.MetricWindows[m.window]
	start, end, period := model.WindowRange(w, now)
	lbs, _ := m.ctx.Store.LoadBalancersOf(m.d.svc)
	key := fmt.Sprint(m.d.svc.ID, w.Name, m.by, vis, len(lbs))
	if key == m.viewKey && !tail && m.err == nil && end.Equal(m.req.End) {
		return nil
	}
	qs, refs := m.queries(vis)
	req := model.MetricRequest{Start: start, End: end, Period: period, Queries: qs, Now: now}
	if tail && key == m.viewKey && m.req.Period == period && !m.req.End.IsZero() {
		// live: only the periods since the last read, and the last one again (it was filling)
		req.Start = m.req.End.Add(-2 * period)
		if req.Start.Before(start) {
			req.Start = start
		}
		if !req.Start.Before(req.End) {
			return nil
		}
	} else {
		m.series = map[string]model.MetricSeries{}
		for _, i := range vis {
			m.charts[i].SetLoading()
		}
	}
	m.viewKey, m.refs, m.asked = key, refs, len(qs)
	m.req = model.MetricRequest{Start: start, End: end, Period: period, Queries: qs}
	return m.ctx.Store.FetchMetrics(metricsKey, ID, req)
}

func (m *metricsPane) onResult(msg store.MetricsResult) {
	m.err = msg.Err
	if msg.Err != nil {
		text := "could not read the metrics: " + msg.Err.Error()
		for _, r := range m.refs {
			m.charts[r.chart].SetError(text)
		}
		return
	}
	for i, s := range msg.Series {
		if i < len(msg.Req.Queries) {
			id := msg.Req.Queries[i].ID
			m.series[id] = model.MergeSeries(m.series[id], s, m.req.Start)
		}
	}
	// each chart's series, on the window's period grid, in its unit
	bychart := map[int][]chart.Series{}
	for qi, r := range m.refs {
		k := metricCharts[r.chart]
		fill := 0.0
		if k.hosts || k.total {
			fill = math.NaN() // a level missing is unknown, not zero
		}
		vals := model.FillSeries(m.series[m.req.Queries[qi].ID], m.req.Start, m.req.End, m.req.Period, k.unit, fill)
		bychart[r.chart] = append(bychart[r.chart], chart.Series{Name: r.name, Short: r.short, Values: vals})
	}
	for i, ss := range bychart {
		m.charts[i].Note = statNote(metricCharts[i])
		m.charts[i].SetData(m.req.Start, m.req.Period, ss)
	}
}

// statNote says which statistic a chart draws and how: "Average", "Sum per second".
func statNote(k chartKind) string {
	switch k.unit {
	case model.UnitBytesPerSecond:
		return "Sum as bytes/s"
	case model.UnitPerSecond:
		return "Sum per second"
	case model.UnitPerMinute:
		return "Sum per minute"
	}
	return k.stat
}

// Series returns the data of a chart by title, as drawn (tests compare it with CloudWatch).
func (m *metricsPane) Series(title string) []chart.Series {
	for i, k := range metricCharts {
		if k.title == title {
			return m.charts[i].Series()
		}
	}
	return nil
}
