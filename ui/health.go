package ui

import (
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// A service's health badge needs three inputs besides the service itself: its connections
// (the refresh reads them), its load balancers with target health (read once per refresh
// for every service's ARNs) and its allowed principals (one permissions read per service,
// fetched lazily in the background with bounded concurrency and cached). Until all three
// are in, the badge says "…" rather than a reassuring OK.

const (
	// healthLoading is the badge of a service whose inputs have not all arrived.
	healthLoading model.Health = ""
	// healthUnknown is the badge of a service whose inputs could not be read.
	healthUnknown model.Health = "unknown"

	// maxPrincipalFetches bounds the background permission reads in flight.
	maxPrincipalFetches = 4
	// principalsTTL is how long cached principals are used before they are read again.
	principalsTTL = 5 * time.Minute
	// principalsRetry is how long a failed read waits before it is tried again.
	principalsRetry = time.Minute
)

// principalsEntry is one service's cached allowed principals.
type principalsEntry struct {
	principals []model.Principal
	loaded     bool // principals hold a successful read
	at         time.Time
	err        error
	stale      bool // changed by us: read again at the next chance
}

type principalsMsg struct {
	gen       uint64
	serviceID string
	svc       model.EndpointService
	err       error
}

type fleetLBsMsg struct {
	req uint64
	lbs []model.LoadBalancer
	err error
}

// lbARNs is every load balancer the services use, sorted and without duplicates.
func (m *Root) lbARNs() []string {
	var arns []string
	for _, s := range m.services {
		arns = append(arns, s.NetworkLoadBalancers...)
		arns = append(arns, s.GatewayLoadBalancers...)
	}
	slices.Sort(arns)
	return slices.Compact(arns)
}

// fetchFleetLBs reads the load balancers of every service, once per refresh. A read still
// in flight is not abandoned (on a large account it may take longer than the refresh
// interval); the next one starts when it lands.
func (m *Root) fetchFleetLBs() tea.Cmd {
	if m.lbBusy {
		m.lbAgain = true
		return nil
	}
	req := m.newReq(reqFleetLBs)
	arns := m.lbARNs()
	if len(arns) == 0 {
		return func() tea.Msg { return fleetLBsMsg{req: req} }
	}
	m.lbBusy = true
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		lbs, err := b.ListLoadBalancers(ctx, arns)
		return fleetLBsMsg{req: req, lbs: lbs, err: err}
	}
}

func (m *Root) onFleetLBs(msg fleetLBsMsg) tea.Cmd {
	if msg.req != m.latest[reqFleetLBs] {
		return nil
	}
	m.lbBusy = false
	var cmds []tea.Cmd
	if msg.err != nil {
		if m.lbErr == nil {
			cmds = append(cmds, m.setFlash("could not read the load balancers: "+msg.err.Error(), flashError))
		}
		m.lbErr = msg.err
	} else {
		m.lbErr = nil
		m.lbLoaded = true
		cache := make(map[string]model.LoadBalancer, len(msg.lbs))
		for _, lb := range msg.lbs {
			cache[lb.ARN] = lb
		}
		m.lbCache = cache
		if id := m.detail.ServiceID(); id != "" {
			m.detail.SetLoadBalancers(m.serviceLBs(m.detail.svc), nil)
		}
	}
	m.recomputeHealth()
	if m.lbAgain {
		m.lbAgain = false
		cmds = append(cmds, m.fetchFleetLBs())
	}
	return tea.Batch(cmds...)
}

// serviceLBs returns the cached load balancers a service uses, in the service's order.
func (m *Root) serviceLBs(s model.EndpointService) []model.LoadBalancer {
	var out []model.LoadBalancer
	for _, arn := range slices.Concat(s.NetworkLoadBalancers, s.GatewayLoadBalancers) {
		if lb, ok := m.lbCache[arn]; ok {
			out = append(out, lb)
		}
	}
	return out
}

// schedulePrincipals starts background permission reads for the services whose principals
// are missing or old, at most maxPrincipalFetches at a time; each answer schedules more.
func (m *Root) schedulePrincipals() tea.Cmd {
	free := maxPrincipalFetches - m.princInFlight
	if free <= 0 {
		return nil
	}
	now := m.ctx.Now()
	var missing, old []string
	for _, s := range m.services {
		if m.princBusy[s.ID] {
			continue
		}
		e, ok := m.princ[s.ID]
		switch {
		case !ok:
			missing = append(missing, s.ID)
		case e.stale,
			e.loaded && now.Sub(e.at) >= principalsTTL,
			!e.loaded && now.Sub(e.at) >= principalsRetry:
			old = append(old, s.ID)
		}
	}
	var cmds []tea.Cmd
	for _, id := range slices.Concat(missing, old) {
		if free == 0 {
			break
		}
		free--
		cmds = append(cmds, m.fetchPrincipals(id))
	}
	return tea.Batch(cmds...)
}

func (m *Root) fetchPrincipals(id string) tea.Cmd {
	m.princBusy[id] = true
	m.princInFlight++
	gen := m.princGen
	b := m.backend
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		svc, err := b.ServiceDetail(ctx, id)
		return principalsMsg{gen: gen, serviceID: id, svc: svc, err: err}
	}
}

func (m *Root) onPrincipals(msg principalsMsg) tea.Cmd {
	m.princInFlight = max(m.princInFlight-1, 0)
	if msg.gen != m.princGen {
		return m.schedulePrincipals()
	}
	delete(m.princBusy, msg.serviceID)
	m.storePrincipals(msg.serviceID, msg.svc.AllowedPrincipals, msg.err)
	m.updateHealth(msg.serviceID)
	return m.schedulePrincipals()
}

// storePrincipals records a permissions read (from the background or the detail view).
func (m *Root) storePrincipals(id string, ps []model.Principal, err error) {
	e := m.princ[id]
	e.at, e.err, e.stale = m.ctx.Now(), err, false
	if err == nil {
		e.principals, e.loaded = ps, true
	}
	m.princ[id] = e
}

// invalidatePrincipals makes the next schedule read a service's principals again.
func (m *Root) invalidatePrincipals(id string) {
	if e, ok := m.princ[id]; ok {
		e.stale = true
		m.princ[id] = e
	}
}

// resetHealthInputs forgets what belonged to the previous profile or region.
func (m *Root) resetHealthInputs() {
	m.lbCache = map[string]model.LoadBalancer{}
	m.lbLoaded, m.lbErr, m.lbBusy, m.lbAgain = false, nil, false, false
	m.newReq(reqFleetLBs) // an answer still in flight is for the old account
	m.princ = map[string]principalsEntry{}
	m.princBusy = map[string]bool{}
	m.princGen++
}

// pendingByService groups the pending connections per service, recomputed only when the
// connection store changed.
func (m *Root) pendingByService() map[string][]model.Connection {
	if m.pendingGen == m.store.gen && m.pending != nil {
		return m.pending
	}
	by := map[string][]model.Connection{}
	for _, e := range m.store.entries {
		if e.c.State == model.StatePendingAcceptance {
			by[e.c.ServiceID] = append(by[e.c.ServiceID], e.c)
		}
	}
	m.pending, m.pendingGen = by, m.store.gen
	return by
}

// healthOf is one service's badge, or healthLoading / healthUnknown while its inputs are
// missing.
func (m *Root) healthOf(s model.EndpointService) model.Health {
	e, ok := m.princ[s.ID]
	switch {
	case m.lbErr != nil && !m.lbLoaded, ok && !e.loaded && e.err != nil:
		return healthUnknown
	case !m.store.loaded || !m.lbLoaded || !ok || !e.loaded:
		return healthLoading
	}
	s.AllowedPrincipals = e.principals
	lbs := m.serviceLBs(s)
	if len(lbs) < len(s.NetworkLoadBalancers)+len(s.GatewayLoadBalancers) && len(m.lbCache) > 0 {
		// an ARN no load balancer answers for: let Diagnose see the others so it reports it
		lbs = lbs[:0:0]
		for _, lb := range m.lbCache {
			lbs = append(lbs, lb)
		}
	}
	h, _ := model.ServiceHealth(s, lbs, m.pendingByService()[s.ID], model.DiagnoseOptions{Now: m.ctx.Now()})
	return h
}

// recomputeHealth re-derives every badge (services, connections or load balancers changed).
func (m *Root) recomputeHealth() {
	health := make(map[string]model.Health, len(m.services))
	for _, s := range m.services {
		health[s.ID] = m.healthOf(s)
	}
	m.health = health
	m.pushServices()
}

// updateHealth re-derives one service's badge (its principals arrived).
func (m *Root) updateHealth(id string) {
	for _, s := range m.services {
		if s.ID == id {
			m.health[id] = m.healthOf(s)
			m.pushServices()
			return
		}
	}
}

func (m *Root) pushServices() {
	if m.countsGen != m.store.gen || m.counts == nil {
		m.counts, m.countsGen = m.store.counts(), m.store.gen
	}
	m.svcView.SetData(m.services, m.counts, m.health, m.store.loaded && len(m.services) > 0)
}
