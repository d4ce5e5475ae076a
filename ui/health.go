package ui

import (
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// A service's health badge needs three inputs besides the service itself: its connections
// and its load balancers with target health (both come with every refresh's snapshot) and
// its allowed principals (one ListPrincipals per service, fetched lazily in the background
// with bounded concurrency and cached, so a steady-state refresh reads no principals). Until
// all three are in, the badge says "…" rather than a reassuring OK.

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
	gen        uint64
	serviceID  string
	principals []model.Principal
	err        error
}

// ingestLoadBalancers takes the load balancers a refresh read. After a failed read the
// previous ones stay (the badges say unknown only when none were ever read).
func (m *Root) ingestLoadBalancers(lbs []model.LoadBalancer, err error) tea.Cmd {
	if err != nil {
		var cmd tea.Cmd
		if m.lbErr == nil {
			cmd = m.setFlash("could not read the load balancers: "+err.Error(), flashError)
		}
		m.lbErr = err
		return cmd
	}
	m.lbErr = nil
	m.lbLoaded = true
	cache := make(map[string]model.LoadBalancer, len(lbs))
	for _, lb := range lbs {
		cache[lb.ARN] = lb
	}
	m.lbCache = cache
	if m.detail.ServiceID() != "" {
		m.detail.SetLoadBalancers(m.serviceLBs(m.detail.svc), nil)
	}
	return nil
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
		ps, err := b.ListPrincipals(ctx, id)
		return principalsMsg{gen: gen, serviceID: id, principals: ps, err: err}
	}
}

func (m *Root) onPrincipals(msg principalsMsg) tea.Cmd {
	m.princInFlight = max(m.princInFlight-1, 0)
	if msg.gen != m.princGen {
		return m.schedulePrincipals()
	}
	delete(m.princBusy, msg.serviceID)
	m.storePrincipals(msg.serviceID, msg.principals, msg.err)
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
	m.lbLoaded, m.lbErr = false, nil
	m.newReq(reqRefresh) // an answer still in flight is for the old account
	m.refreshing = false
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
