package ui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

const (
	svcColName = iota
	svcColType
	svcColState
	svcColAcceptance
	svcColDNS
	svcColNLBs
	svcColAZs
	svcColPending
	svcColAvailable
	svcColHealth
)

var serviceSortNames = []string{"pending", "name", "state", "available", "health"}

// ServicesView lists every endpoint service, most pending connections first.
type ServicesView struct {
	ctx         *Context
	table       *Table
	services    []model.EndpointService
	counts      map[string][2]int
	health      map[string]model.Health
	countsReady bool
	loaded      bool  // a list of the services has been read
	loadErr     error // the last read failed
	filter      string
	sortIdx     int
	sortDesc    bool
	version     map[string]uint64
	cells       map[string][]string
	seq         uint64
}

func NewServicesView(ctx *Context) *ServicesView {
	t := NewTable(ctx, []Column{
		{Title: "NAME / ID", Width: 22, Flex: 1, Min: 12},
		{Title: "TYPE", Width: 9, Drop: 3},
		{Title: "STATE", Width: 9},
		{Title: "ACCEPT", Width: 6},
		{Title: "PRIVATE DNS", Width: 11},
		{Title: "NLB", Width: 3, Right: true, Drop: 2},
		{Title: "AZ", Width: 2, Right: true, Drop: 1},
		{Title: "PEND", Width: 5, Right: true},
		{Title: "AVAIL", Width: 6, Right: true},
		{Title: "HEALTH", Width: 7},
	})
	t.Empty = "loading…"
	return &ServicesView{ctx: ctx, table: t, version: map[string]uint64{}, cells: map[string][]string{}}
}

func (v *ServicesView) Title() string    { return "Services" }
func (v *ServicesView) SetSize(w, h int) { v.table.SetSize(w, h) }
func (v *ServicesView) View() string     { return v.table.View() }
func (v *ServicesView) Filter() string   { return v.filter }
func (v *ServicesView) SetFilter(f string) {
	v.filter = f
	v.SetLoadState(v.loaded, v.loadErr)
	v.rebuild()
}

// SetData replaces the services and the per-service connection counts.
// countsReady says the connection counts are real (the connections have loaded): the
// first time they are, the cursor goes to the top of the new order (most pending first).
// SetLoadState says whether the services were ever read and why the last read failed, so an
// empty table tells "could not load" and "loading" apart from "there are none".
func (v *ServicesView) SetLoadState(loaded bool, err error) {
	v.loaded, v.loadErr = loaded, err
	v.table.Empty = emptyText(loaded, err, v.filter, "endpoint services", "no endpoint services in this region")
}

func (v *ServicesView) SetData(services []model.EndpointService, counts map[string][2]int, health map[string]model.Health, countsReady bool) {
	v.services = services
	v.counts = counts
	v.health = health
	first := countsReady && !v.countsReady
	v.countsReady = countsReady
	v.rebuild()
	if first {
		v.table.Top()
	}
}

func acceptanceText(s model.EndpointService) string {
	if s.AcceptanceRequired {
		return "manual"
	}
	return "auto"
}

func dnsText(s model.EndpointService) (string, accent) {
	if s.PrivateDNS == nil || s.PrivateDNS.Name == "" {
		return "-", accDim
	}
	switch s.PrivateDNS.State {
	case model.DNSVerified:
		return "verified", accOK
	case model.DNSFailed:
		return "failed", accBad
	}
	return "pending", accWarn
}

func serviceStateAccent(st model.ServiceState) accent {
	switch st {
	case model.ServiceAvailable:
		return accOK
	case model.ServicePending:
		return accInfo
	case model.ServiceFailed:
		return accBad
	}
	return accDim
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

func (v *ServicesView) rebuild() {
	f := compileFilter(v.filter)
	type item struct {
		svc    model.EndpointService
		row    *Row
		health model.Health
	}
	items := make([]item, 0, len(v.services))
	for _, s := range v.services {
		c := v.counts[s.ID]
		h := v.health[s.ID]
		dns, dnsAcc := dnsText(s)
		lbs := len(s.NetworkLoadBalancers) + len(s.GatewayLoadBalancers)
		pend, avail := itoa(c[0]), itoa(c[1])
		if !v.countsReady {
			// until the first connections read lands, 0 would read as "nobody is waiting"
			pend, avail = "…", "…"
		}
		cells := []string{s.Label(), shortType(s.Type), string(s.State), acceptanceText(s), dns,
			itoa(lbs), itoa(len(s.AvailabilityZones)), pend, avail, healthText(h)}
		if !slices.Equal(cells, v.cells[s.ID]) {
			v.seq++
			v.version[s.ID] = v.seq
			v.cells[s.ID] = cells
		}
		pendAcc := accNone
		if c[0] > 0 {
			pendAcc = accWarn
		}
		row := &Row{ID: s.ID, Version: v.version[s.ID], Cells: cells,
			Accents:  []accent{accBold, accNone, serviceStateAccent(s.State), accNone, dnsAcc, accNone, accNone, pendAcc, accNone, healthAccent(h)},
			Haystack: haystack(append(cells, s.ID, s.Name)...)}
		if f.match(row.Haystack) {
			items = append(items, item{svc: s, row: row, health: h})
		}
	}
	byName := func(a, b item) int { return strings.Compare(a.svc.Label(), b.svc.Label()) }
	var fn func(a, b item) int
	switch serviceSortNames[v.sortIdx] {
	case "name":
		fn = byName
	case "state":
		fn = func(a, b item) int {
			return cmp.Or(strings.Compare(string(a.svc.State), string(b.svc.State)), byName(a, b))
		}
	case "available":
		fn = func(a, b item) int {
			return cmp.Or(-cmp.Compare(v.counts[a.svc.ID][1], v.counts[b.svc.ID][1]), byName(a, b))
		}
	case "health":
		fn = func(a, b item) int { return cmp.Or(-cmp.Compare(a.health.Rank(), b.health.Rank()), byName(a, b)) }
	default: // most pending first
		fn = func(a, b item) int {
			return cmp.Or(-cmp.Compare(v.counts[a.svc.ID][0], v.counts[b.svc.ID][0]), byName(a, b))
		}
	}
	if v.sortDesc {
		slices.SortStableFunc(items, func(a, b item) int { return fn(b, a) })
	} else {
		slices.SortStableFunc(items, fn)
	}
	rows := make([]*Row, len(items))
	for i, it := range items {
		rows[i] = it.row
	}
	v.table.SetRows(rows)
	col := []int{svcColPending, svcColName, svcColState, svcColAvailable, svcColHealth}[v.sortIdx]
	natural := []bool{true, false, false, true, true}[v.sortIdx] // most first
	v.table.SetSortIndicator(col, v.sortDesc != natural)
}

// Current returns the service under the cursor.
func (v *ServicesView) Current() (model.EndpointService, bool) {
	r := v.table.Current()
	if r == nil {
		return model.EndpointService{}, false
	}
	for _, s := range v.services {
		if s.ID == r.ID {
			return s, true
		}
	}
	return model.EndpointService{}, false
}

func (v *ServicesView) HandleKey(msg tea.KeyMsg) (action, bool) {
	k := v.ctx.Keys
	if navigate(k, v.table, msg) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.SortNext):
		v.sortIdx = (v.sortIdx + 1) % len(serviceSortNames)
		v.sortDesc = false
		v.rebuild()
		return actFlash{text: "sorted by " + serviceSortNames[v.sortIdx], level: flashInfo}, true
	case key.Matches(msg, k.SortReverse):
		v.sortDesc = !v.sortDesc
		v.rebuild()
	case key.Matches(msg, k.Enter):
		if s, ok := v.Current(); ok {
			return actOpenService{id: s.ID}, true
		}
	case key.Matches(msg, k.DeleteService):
		if s, ok := v.Current(); ok {
			return actDeleteService{svc: s}, true
		}
	default:
		return nil, false
	}
	return nil, true
}

func (v *ServicesView) ShortHelp() []*key.Binding {
	k := v.ctx.Keys
	return []*key.Binding{&k.Enter, &k.Inbox, &k.Filter, &k.SortNext, &k.Refresh, &k.DeleteService}
}

func (v *ServicesView) Status() string {
	return itoa(v.table.Len()) + "/" + itoa(len(v.services)) + " services"
}

func healthText(h model.Health) string {
	switch h {
	case model.HealthCritical:
		return "CRIT"
	case model.HealthWarning:
		return "WARN"
	case model.HealthOK:
		return "OK"
	case healthUnknown:
		return "?"
	}
	return "…"
}

func healthAccent(h model.Health) accent {
	switch h {
	case model.HealthCritical:
		return accBad
	case model.HealthWarning:
		return accWarn
	case model.HealthOK:
		return accOK
	}
	return accDim
}

// emptyText is what an empty list says: why nothing was loaded, that it is loading, that the
// filter hides everything, or that there is nothing (none).
func emptyText(loaded bool, err error, filter, what, none string) string {
	switch {
	case !loaded && err != nil:
		return "could not load the " + what + ": " + err.Error()
	case !loaded:
		return "loading…"
	case filter != "":
		return "nothing matches the filter"
	}
	return none
}
