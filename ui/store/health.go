package store

import (
	"context"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/tasks"
)

type contextT = context.Context

// A service's health needs three inputs besides the service itself: its connections and its
// load balancers with target health (both come with every refresh) and its allowed
// principals (one ListPrincipals per service, read lazily in the background with bounded
// concurrency and cached, so a steady-state refresh reads no principals). Until all three
// are in, the diagnosis says it is incomplete rather than giving a reassuring OK.

const (
	// HealthLoading is the badge of a service whose inputs have not all arrived.
	HealthLoading model.Health = ""
	// HealthUnknown is the badge of a service whose inputs could not be read.
	HealthUnknown model.Health = "unknown"
)

// Diagnosis is one service's health and findings, from model.ServiceHealth over what the
// store holds. Complete is false while an input is missing: Health is then HealthLoading or
// HealthUnknown, and Findings are those the inputs at hand show.
type Diagnosis struct {
	Health   model.Health
	Findings []model.Finding
	Complete bool
}

// Diagnose returns one service's diagnosis (computed once per store version).
func (s *Store) Diagnose(id string) Diagnosis {
	s.derive()
	return s.diag[id]
}

// Health is one service's badge.
func (s *Store) Health(id string) model.Health { return s.Diagnose(id).Health }

// derive recomputes what is derived from the inputs when they changed since the last time.
func (s *Store) derive() {
	if s.derivedAt == s.version && s.summaries != nil {
		return
	}
	s.derivedAt = s.version
	only, all := s.deriveOnly, s.deriveAll
	s.deriveOnly, s.deriveAll = nil, false
	if !all && s.summaries != nil {
		// only some services' inputs changed (none: a highlight ended)
		s.deriveServices(only)
		return
	}
	// sized first: 50,000 connections appended into growing slices cost more than the rest
	counts := make(map[string]int, len(s.services))
	for _, e := range s.conns.entries {
		counts[e.C.ServiceID]++
	}
	byService := make(map[string][]model.Connection, len(counts))
	for id, n := range counts {
		byService[id] = make([]model.Connection, 0, n)
	}
	for _, e := range s.conns.entries {
		byService[e.C.ServiceID] = append(byService[e.C.ServiceID], e.C)
	}
	s.byService = byService
	s.summaries = make(map[string]model.ConnectionSummary, len(byService))
	for id, cs := range byService {
		s.summaries[id] = model.Summarize(cs)
	}
	s.diag = make(map[string]Diagnosis, len(s.services))
	for _, svc := range s.services {
		s.diag[svc.ID] = s.diagnose(svc)
	}
}

// deriveServices recomputes what is derived for some services only: a pending read or a
// round-robin step that changed a few services must not cost the whole fleet's diagnosis.
func (s *Store) deriveServices(ids map[string]bool) {
	fresh := make(map[string][]model.Connection, len(ids))
	for id := range ids {
		if n := len(s.byService[id]); n > 0 {
			fresh[id] = make([]model.Connection, 0, n+n/8) // about as many as the last time
		}
	}
	for _, e := range s.conns.entries {
		if ids[e.C.ServiceID] {
			fresh[e.C.ServiceID] = append(fresh[e.C.ServiceID], e.C)
		}
	}
	for id := range ids {
		cs := fresh[id]
		if len(cs) == 0 {
			delete(s.byService, id)
			delete(s.summaries, id)
		} else {
			s.byService[id] = cs
			s.summaries[id] = model.Summarize(cs)
		}
		if svc, known := s.Service(id); known {
			s.diag[id] = s.diagnose(svc)
		}
	}
}

func (s *Store) diagnose(svc model.EndpointService) Diagnosis {
	e, havePrinc := s.princ[svc.ID]
	if d, ok := s.details[svc.ID]; ok && d.loaded {
		svc.Notifications = d.svc.Notifications
	}
	if havePrinc && e.loaded {
		svc.AllowedPrincipals = e.principals
	}
	lbs, lbf := s.LoadBalancersOf(svc)
	if len(lbs) < len(svc.NetworkLoadBalancers)+len(svc.GatewayLoadBalancers) && len(s.lbs) > 0 {
		// an ARN no load balancer answers for: let the diagnosis see the others so it says so
		lbs = lbs[:0:0]
		for _, lb := range s.lbs {
			lbs = append(lbs, lb)
		}
		slices.SortFunc(lbs, func(a, b model.LoadBalancer) int { return compareStrings(a.ARN, b.ARN) })
	}
	fs := model.Diagnose(svc, lbs, s.byService[svc.ID], model.DiagnoseOptions{Now: s.opts.Now(), PendingMaxAge: s.opts.PendingMaxAge})
	fs = s.metricFindings(svc, lbs, s.byService[svc.ID], fs)
	d := Diagnosis{Health: model.HealthOf(fs), Findings: fs, Complete: true}
	connF := s.fresh[Connections]
	switch {
	case lbf.Err != nil && !lbf.Loaded, havePrinc && !e.loaded && e.err != nil, connF.Err != nil && !connF.Loaded:
		// an input that could not be read says unknown, not "loading" for ever
		d.Health, d.Complete = HealthUnknown, false
	case !s.conns.loaded || !lbf.Loaded || !havePrinc || !e.loaded:
		d.Health, d.Complete = HealthLoading, false
	}
	return d
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SchedulePrincipals starts background principal reads for the services whose principals
// are missing or old, at most MaxPrincipalFetches at a time; each answer schedules more.
func (s *Store) SchedulePrincipals() tea.Cmd {
	free := s.opts.MaxPrincipalFetches - s.princRun
	if free <= 0 {
		return nil
	}
	now := s.opts.Now()
	var missing, old []string
	for _, svc := range s.services {
		if s.tasks.Running(keyPrincipals(svc.ID)) {
			continue
		}
		e, ok := s.princ[svc.ID]
		switch {
		case !ok, e.stale: // never read, or changed by us: read at once
			missing = append(missing, svc.ID)
		case e.loaded && now.Sub(e.at) >= s.principalsTTL(),
			!e.loaded && now.Sub(e.at) >= s.opts.PrincipalsRetry:
			old = append(old, svc.ID)
		}
	}
	// expired principals are read again a few per tick (Tick sets the allowance), so a
	// fleet whose principals were all read at start does not read them all again at once
	old = old[:min(len(old), s.princAllowance)]
	s.princAllowance -= len(old)
	var cmds []tea.Cmd
	b := s.backend
	for _, id := range slices.Concat(missing, old) {
		if free == 0 {
			break
		}
		free--
		s.princRun++
		cmds = append(cmds, s.tasks.Start(keyPrincipals(id), s.owner, tasks.Join, func(ctx contextT) tea.Msg {
			ps, err := b.ListPrincipals(ctx, id)
			return principalsResult{id: id, principals: ps, err: err}
		}))
	}
	return tea.Batch(cmds...)
}

// storePrincipals records a principals read (from the background or a detail read).
func (s *Store) storePrincipals(id string, ps []model.Principal, err error) {
	e := s.princ[id]
	e.at, e.err, e.stale = s.opts.Now(), err, false
	if err == nil {
		e.principals, e.loaded = ps, true
	}
	s.princ[id] = e
	f := &s.fresh[Principals]
	f.Err = err
	if err == nil {
		f.At = e.at
		f.Loaded = s.allPrincipalsLoaded()
	}
}

func (s *Store) allPrincipalsLoaded() bool {
	for _, svc := range s.services {
		if e, ok := s.princ[svc.ID]; !ok || !e.loaded {
			return false
		}
	}
	return true
}

// InvalidatePrincipals makes the next schedule read a service's principals again (after a
// change the console made).
func (s *Store) InvalidatePrincipals(id string) {
	if e, ok := s.princ[id]; ok {
		e.stale = true
		s.princ[id] = e
	}
}

// Close cancels every task of the store (its session is being replaced).
func (s *Store) Close() { s.tasks.CancelOwner(s.owner) }
