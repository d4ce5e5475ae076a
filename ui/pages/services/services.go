// Package services is the home screen: every endpoint service, most waiting requests first,
// with its health badge.
package services

import (
	"cmp"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/components/table"
	"github.com/plconsole/plconsole/ui/store"
)

// ID is the page's registration id.
const ID = "services"

const (
	colName = iota
	colType
	colState
	colAcceptance
	colDNS
	colNLBs
	colAZs
	colPending
	colAvailable
	colHealth
)

var sortNames = []string{"pending", "name", "state", "available", "health"}

// Page lists the services.
type Page struct {
	ctx         *common.Context
	table       *table.Table
	filter      string
	order       table.Order
	seen        uint64 // store version the rows were built from
	seenStore   string
	countsReady bool
	version     map[string]uint64
	cells       map[string][]string
	seq         uint64
}

// New makes the services page.
func New(ctx *common.Context) *Page {
	t := table.New(ctx, []table.Column{
		{Title: "NAME / ID", Width: 22, Flex: 1, Min: 12, Max: 40},
		{Title: "TYPE", Width: 9, Drop: 3},
		{Title: "STATE", Width: 9},
		{Title: "ACCEPT", Width: 6},
		{Title: "PRIVATE DNS", Width: 11},
		{Title: "NLB", Width: 3, Right: true, Drop: 2},
		{Title: "AZ", Width: 2, Right: true, Drop: 1},
		{Title: "PEND", Width: 5, Right: true},
		{Title: "AVAIL", Width: 6, Right: true},
		{Title: "HEALTH", Width: 7},
		// a wide terminal shows the id beside the name (the first thing an SRE pastes)
		{Title: "SERVICE ID", Width: 26, Drop: 4},
	})
	t.Empty = "loading…"
	return &Page{ctx: ctx, table: t, version: map[string]uint64{}, cells: map[string][]string{}, order: table.Order{Names: sortNames}}
}

func (p *Page) ID() string          { return ID }
func (p *Page) Title() string       { return "Services" }
func (p *Page) Init() tea.Cmd       { return nil }
func (p *Page) SetSize(w, h int)    { p.table.SetSize(w, h) }
func (p *Page) View() string        { return p.table.View() }
func (p *Page) Capturing() bool     { return false }
func (p *Page) Filter() string      { return p.filter }
func (p *Page) Actions() []string   { return []string{"newService", "editService", "deleteService"} }
func (p *Page) Table() *table.Table { return p.table }
func (p *Page) KeyBindings() []string {
	return append([]string{common.KeyEnter, common.KeySortNext, common.KeySortReverse}, common.NavigationKeys...)
}
func (p *Page) ShortHelp() []string {
	return []string{common.KeyEnter, "inbox", "newService", common.KeyFilter, common.KeySortNext, common.KeyRefresh, "deleteService"}
}

// SetFilter filters the rows.
func (p *Page) SetFilter(f string) {
	prev := p.table.CurrentID()
	p.filter = f
	p.rebuild()
	p.table.FollowFilter(prev)
}

func (p *Page) Status() string {
	return common.Itoa(p.table.Len()) + "/" + common.Itoa(len(p.ctx.Store.Services())) + " services"
}

// Target is the service under the cursor.
func (p *Page) Target() common.Target {
	if s, ok := p.Current(); ok {
		return common.Target{Service: &s}
	}
	return common.Target{}
}

// Copyables are the current service's ids and names.
func (p *Page) Copyables() []common.Copyable {
	if s, ok := p.Current(); ok {
		return common.ServiceCopyables(s)
	}
	return nil
}

// Current returns the service under the cursor.
func (p *Page) Current() (model.EndpointService, bool) {
	r := p.table.Current()
	if r == nil {
		return model.EndpointService{}, false
	}
	return p.ctx.Store.Service(r.ID)
}

func (p *Page) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case common.DataChangedMsg, common.ShownMsg:
		p.sync()
	case common.ClearMarksMsg:
		p.table.ClearMarks()
	case common.SessionChangedMsg:
		p.countsReady = false
		p.table.ClearMarks()
		p.sync()
	case tea.KeyMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *Page) key(msg tea.KeyMsg) tea.Cmd {
	k := p.ctx.Keys
	if table.Navigate(k, p.table, msg) {
		return nil
	}
	if cmd, ok := p.order.Key(k, msg); ok {
		p.rebuild()
		return cmd
	}
	switch {
	case k.Is(msg, common.KeyEnter):
		if s, ok := p.Current(); ok {
			return common.Open(s.ID, 0, "")
		}
	}
	return nil
}

// sync rebuilds the rows when the store changed since they were built.
func (p *Page) sync() {
	st := p.ctx.Store
	if st.Version() == p.seen && st.Owner() == p.seenStore {
		return
	}
	p.seen, p.seenStore = st.Version(), st.Owner()
	svcF := st.Freshness(store.Services)
	p.table.Empty = common.EmptyText(svcF.Loaded, svcF.Err, p.filter, "endpoint services", "no endpoint services in this region")
	ready := st.Connections().Loaded && len(st.Services()) > 0
	first := ready && !p.countsReady
	p.countsReady = ready
	p.rebuild()
	if first {
		// the first time the counts are real, start at the top of the new order
		p.table.Top()
	}
}

func (p *Page) rebuild() {
	st := p.ctx.Store
	svcF := st.Freshness(store.Services)
	p.table.Empty = common.EmptyText(svcF.Loaded, svcF.Err, p.filter, "endpoint services", "no endpoint services in this region")
	f := common.CompileFilter(p.filter)
	type item struct {
		svc    model.EndpointService
		row    *table.Row
		health model.Health
		sum    model.ConnectionSummary
	}
	services := st.Services()
	items := make([]item, 0, len(services))
	for _, s := range services {
		sum := st.Summary(s.ID)
		h := st.Health(s.ID)
		dns, dnsAcc := DNSText(s)
		lbs := len(s.NetworkLoadBalancers) + len(s.GatewayLoadBalancers)
		pend, avail := common.Itoa(sum.PendingAcceptance()), common.Itoa(sum.Available())
		if !p.countsReady {
			// until the first connections read lands, 0 would read as "nobody is waiting"
			pend, avail = "…", "…"
		}
		cells := []string{s.Label(), shortType(s.Type), string(s.State), acceptanceText(s), dns,
			common.Itoa(lbs), common.Itoa(len(s.AvailabilityZones)), pend, avail, HealthText(h), s.ID}
		if !slices.Equal(cells, p.cells[s.ID]) {
			p.seq++
			p.version[s.ID] = p.seq
			p.cells[s.ID] = cells
		}
		pendAcc := table.AccNone
		if sum.PendingAcceptance() > 0 {
			pendAcc = table.AccWarn
		}
		row := &table.Row{ID: s.ID, Version: p.version[s.ID], Cells: cells,
			Accents: []table.Accent{table.AccBold, table.AccNone, StateAccent(s.State), table.AccNone, dnsAcc,
				table.AccNone, table.AccNone, pendAcc, table.AccNone, HealthAccent(h), table.AccDim},
			Haystack: common.Haystack(append(cells, s.ID, s.Name)...)}
		if f.Match(row.Haystack) {
			items = append(items, item{svc: s, row: row, health: h, sum: sum})
		}
	}
	byName := func(a, b item) int { return strings.Compare(a.svc.Label(), b.svc.Label()) }
	var fn func(a, b item) int
	switch p.order.Name() {
	case "name":
		fn = byName
	case "state":
		fn = func(a, b item) int {
			return cmp.Or(strings.Compare(string(a.svc.State), string(b.svc.State)), byName(a, b))
		}
	case "available":
		fn = func(a, b item) int { return cmp.Or(-cmp.Compare(a.sum.Available(), b.sum.Available()), byName(a, b)) }
	case "health":
		fn = func(a, b item) int { return cmp.Or(-cmp.Compare(a.health.Rank(), b.health.Rank()), byName(a, b)) }
	default: // most pending first
		fn = func(a, b item) int {
			return cmp.Or(-cmp.Compare(a.sum.PendingAcceptance(), b.sum.PendingAcceptance()), byName(a, b))
		}
	}
	if p.order.Desc {
		slices.SortStableFunc(items, func(a, b item) int { return fn(b, a) })
	} else {
		slices.SortStableFunc(items, fn)
	}
	rows := make([]*table.Row, len(items))
	for i, it := range items {
		rows[i] = it.row
	}
	p.table.SetRows(rows)
	col := []int{colPending, colName, colState, colAvailable, colHealth}[p.order.Idx]
	natural := []bool{true, false, false, true, true}[p.order.Idx] // most first
	p.table.SetSortIndicator(col, p.order.Desc != natural)
}

func acceptanceText(s model.EndpointService) string {
	if s.AcceptanceRequired {
		return "manual"
	}
	return "auto"
}

// DNSText is a service's private DNS verification in one word, with its colour.
func DNSText(s model.EndpointService) (string, table.Accent) {
	if s.PrivateDNS == nil || s.PrivateDNS.Name == "" {
		return "-", table.AccDim
	}
	switch s.PrivateDNS.State {
	case model.DNSVerified:
		return "verified", table.AccOK
	case model.DNSFailed:
		return "failed", table.AccBad
	}
	return "pending", table.AccWarn
}

// StateAccent colours a service state.
func StateAccent(st model.ServiceState) table.Accent {
	switch st {
	case model.ServiceAvailable:
		return table.AccOK
	case model.ServicePending:
		return table.AccInfo
	case model.ServiceFailed:
		return table.AccBad
	}
	return table.AccDim
}

func shortType(t model.ServiceType) string {
	if t == model.ServiceTypeGateway {
		return "GWLB"
	}
	if t == "" {
		return "-"
	}
	return string(t)
}

// HealthText is a health badge's text.
func HealthText(h model.Health) string {
	switch h {
	case model.HealthCritical:
		return "CRIT"
	case model.HealthWarning:
		return "WARN"
	case model.HealthOK:
		return "OK"
	case store.HealthUnknown:
		return "?"
	}
	return "…"
}

// HealthAccent colours a health badge.
func HealthAccent(h model.Health) table.Accent {
	switch h {
	case model.HealthCritical:
		return table.AccBad
	case model.HealthWarning:
		return table.AccWarn
	case model.HealthOK:
		return table.AccOK
	}
	return table.AccDim
}
