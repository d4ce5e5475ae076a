package detail

import (
	"cmp"
	"hash/fnv"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/chart"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/store"
)

// The Top consumers tab: the service's connections ranked by the bytes they carried over the
// window, or by their active connections (s), from AWS/PrivateLinkServices by {Service Id,
// VPC Endpoint Id}, with a sparkline each; enter opens the consumer.

const consumersKey = "metrics/consumers"

// consumerRank is one row's numbers.
type consumerRank struct {
	c      model.Connection
	bytes  float64 // over the window
	rate   float64 // mean bytes/s
	active float64 // mean active connections
	trend  []float64
}

type consumersPane struct {
	ctx    *common.Context
	d      *data
	page   *Page
	table  *table.Table
	byConn bool // rank by active connections instead of bytes
	window int

	viewKey string
	req     model.MetricRequest
	ids     []string // endpoint id per query pair
	ranks   []consumerRank
	err     error
	loaded  bool
	asked   int
}

func newConsumersPane(ctx *common.Context, p *Page) *consumersPane {
	t := table.New(ctx, []table.Column{
		{Title: "#", Width: 3, Right: true},
		{Title: "ENDPOINT", Width: 22, Min: 22},
		{Title: "OWNER", Width: 12},
		{Title: "CUSTOMER", Width: 14, Drop: 1}, // the last to go: who to call
		{Title: "REGION", Width: 10, Drop: 3},
		{Title: "STATE", Width: 10, Drop: 4},
		{Title: "BYTES", Width: 9, Right: true},
		{Title: "AVG RATE", Width: 11, Right: true, Drop: 2},
		{Title: "ACTIVE", Width: 7, Right: true},
		{Title: "TREND", Width: 16, Flex: 1, Min: 8},
	})
	t.Empty = "loading…"
	return &consumersPane{ctx: ctx, page: p, table: t, window: 1}
}

func (c *consumersPane) name() string        { return "Top consumers" }
func (c *consumersPane) short() string       { return "Top" }
func (c *consumersPane) count() (int, bool)  { return len(c.ranks), c.loaded }
func (c *consumersPane) actions() []string   { return []string{"accept", "reject"} }
func (c *consumersPane) Init() tea.Cmd       { return nil }
func (c *consumersPane) Capturing() bool     { return false }
func (c *consumersPane) View() string        { return c.table.View() }
func (c *consumersPane) SetSize(w, h int)    { c.table.SetSize(w, h) }
func (c *consumersPane) Table() *table.Table { return c.table }
func (c *consumersPane) KeyBindings() []string {
	return append([]string{common.KeyEnter, common.KeySortNext, common.KeyWindow, common.KeyWindowBack}, common.NavigationKeys...)
}
func (c *consumersPane) ShortHelp() []string {
	return []string{common.KeyEnter, common.KeySortNext, common.KeyWindow, "accept", "reject"}
}

func (c *consumersPane) status() string {
	by := "bytes"
	if c.byConn {
		by = "active connections"
	}
	return common.Itoa(len(c.ranks)) + " consumers by " + by + " over " + model.MetricWindows[c.window].Name +
		" · " + common.Plural(c.asked, "metric") + " a read"
}

func (c *consumersPane) target(model.EndpointService) common.Target {
	if r := c.table.Current(); r != nil {
		if conn, ok := c.ctx.Store.Connection(r.ID); ok {
			return common.Target{Connections: []model.Connection{conn}}
		}
	}
	return common.Target{}
}

func (c *consumersPane) sync(d *data) { c.d = d }

func (c *consumersPane) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case store.MetricsResult:
		c.onResult(msg)
	case tea.KeyMsg:
		k := c.ctx.Keys
		switch {
		case common.CycleWindow(k, msg, &c.window):
			return c, c.shown()
		case table.Navigate(k, c.table, msg):
		case k.Is(msg, common.KeyEnter):
			if r := c.table.Current(); r != nil {
				return c, common.OpenConsumer(r.ID)
			}
		case k.Is(msg, common.KeySortNext):
			c.byConn = !c.byConn
			c.rebuild()
		}
	}
	return c, nil
}

// shown reads the ranking when the tab comes on screen and its view changed.
func (c *consumersPane) shown() tea.Cmd {
	if c.d == nil || c.d.svc.ID == "" {
		return nil
	}
	now := c.ctx.Now()
	w := model.MetricWindows[c.window]
	start, end, period := model.WindowRange(w, now)
	var ids []string
	for _, conn := range c.ctx.Store.ServiceConnections(c.d.svc.ID) {
		if conn.State == model.StateAvailable {
			ids = append(ids, conn.EndpointID)
		}
	}
	key := c.d.svc.ID + "|" + w.Name + "|" + strings.Join(ids, ",")
	if key == c.viewKey && end.Equal(c.req.End) && c.err == nil {
		return nil
	}
	sid := model.Dimension{Name: model.DimServiceID, Value: c.d.svc.ID}
	var qs []model.MetricQuery
	for i, id := range ids {
		ed := model.Dimension{Name: model.DimEndpointID, Value: id}
		qs = append(qs,
			model.MetricQuery{ID: "b" + common.Itoa(i), Namespace: model.NamespacePrivateLinkServices, Metric: "BytesProcessed", Stat: "Sum", Dimensions: []model.Dimension{sid, ed}},
			model.MetricQuery{ID: "a" + common.Itoa(i), Namespace: model.NamespacePrivateLinkServices, Metric: "ActiveConnections", Stat: "Average", Dimensions: []model.Dimension{sid, ed}})
	}
	c.viewKey, c.ids, c.asked = key, ids, len(qs)
	c.req = model.MetricRequest{Start: start, End: end, Period: period, Queries: qs, Now: now}
	if len(qs) == 0 {
		c.loaded, c.ranks = true, nil
		c.rebuild()
		return nil
	}
	c.table.Empty = "loading…"
	return c.ctx.Store.FetchMetrics(consumersKey, ID, c.req)
}

func (c *consumersPane) onResult(msg store.MetricsResult) {
	c.err, c.loaded = msg.Err, true
	if msg.Err != nil {
		c.ranks = nil
		c.table.Empty = "could not read the consumers' metrics: " + msg.Err.Error()
		c.rebuild()
		return
	}
	req := msg.Req
	c.ranks = c.ranks[:0]
	bytesByEP := map[string]model.MetricSeries{}
	for i, id := range c.ids {
		if 2*i+1 >= len(msg.Series) {
			break
		}
		conn, ok := c.ctx.Store.Connection(c.d.svc.ID + "/" + id)
		if !ok {
			continue
		}
		b, a := msg.Series[2*i], msg.Series[2*i+1]
		bytesByEP[id] = b
		bs, as := b.Stats(), a.Stats()
		r := consumerRank{c: conn, bytes: bs.Sum, active: as.Mean,
			trend: model.FillSeries(b, req.Start, req.End, req.Period, model.UnitBytesPerSecond, 0)}
		if secs := req.End.Sub(req.Start).Seconds(); secs > 0 {
			r.rate = bs.Sum / secs
		}
		c.ranks = append(c.ranks, r)
	}
	if model.MetricWindows[c.window] == store.FleetWindow {
		c.ctx.Store.SetEndpointBytes(c.d.svc.ID, req.End, bytesByEP)
	}
	c.table.Empty = "no available connections to rank"
	c.rebuild()
}

func (c *consumersPane) rebuild() {
	slices.SortStableFunc(c.ranks, func(a, b consumerRank) int {
		if c.byConn {
			return cmp.Or(-cmp.Compare(a.active, b.active), -cmp.Compare(a.bytes, b.bytes), strings.Compare(a.c.EndpointID, b.c.EndpointID))
		}
		return cmp.Or(-cmp.Compare(a.bytes, b.bytes), -cmp.Compare(a.active, b.active), strings.Compare(a.c.EndpointID, b.c.EndpointID))
	})
	rows := make([]*table.Row, len(c.ranks))
	for i, r := range c.ranks {
		spark := chart.Sparkline(r.trend, 16)
		cells := []string{common.Itoa(i + 1), r.c.EndpointID, r.c.OwnerAccount, c.ctx.Customer(r.c.OwnerAccount), r.c.Region, string(r.c.State),
			model.HumanBytes(r.bytes), model.UnitBytesPerSecond.Format(r.rate), model.HumanNumber(r.active), spark}
		acc := make([]table.Accent, len(cells))
		acc[len(cells)-1] = table.AccAccent
		acc[3] = table.AccBold
		if r.bytes == 0 {
			acc[6] = table.AccWarn
		}
		rows[i] = &table.Row{ID: r.c.Key(), Version: cellsVersion(cells), Cells: cells, Accents: acc,
			Haystack: common.Haystack(cells...)}
	}
	c.table.SetRows(rows)
	col := 6
	if c.byConn {
		col = 8
	}
	c.table.SetSortIndicator(col, true)
}

// Ranks is the ranking as shown (tests read it).
func (c *consumersPane) Ranks() []model.Connection {
	out := make([]model.Connection, len(c.ranks))
	for i, r := range c.ranks {
		out[i] = r.c
	}
	return out
}

// cellsVersion is a row version that changes when any cell does (the table caches rows by it).
func cellsVersion(cells []string) uint64 {
	h := fnv.New64a()
	for _, c := range cells {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	return h.Sum64()
}
