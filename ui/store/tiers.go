package store

import (
	"context"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/tasks"
)

// The refresh tiers. A console left open on a fleet must cost the account almost nothing,
// so each part is read at the rate the screen needs it, not all of it on every tick:
//
//   - Pending: every tick (Options.RefreshEvery), one filtered read of the requests waiting
//     for acceptance. A request that is no longer pending (accepted, rejected, deleted) has
//     its service's connections read again (service-id filter), so it never lingers as
//     pending and a non-pending connection is never dropped by a pending read.
//   - Connections (the inventory: services, connections, load balancers): every
//     InventoryEvery and on `r` (Refresh), merged as a diff.
//   - Targets: the fleet's per-target health, round-robin, a few target groups per tick so
//     that the whole fleet goes round in TargetsEvery; the service whose load balancers are
//     on screen reads its own at every tick (FetchLoadBalancers).
//   - Health: the fleet's CloudWatch read, as often as CloudWatchBudget allows
//     (model.MetricsCadence) and never more than once a minute.
//   - Principals: kept SettingsEvery, then read again in the background a few per tick (the
//     fleet goes round once per SettingsEvery), and when a service opens.
//
// A read that AWS throttles slows its part (model.Cadence), and the header says so.

// Defaults of the tiers' cadences.
const (
	DefaultRefreshEvery     = 15 * time.Second
	DefaultInventoryEvery   = 5 * time.Minute
	DefaultSettingsEvery    = time.Hour
	DefaultTargetsEvery     = 30 * time.Minute
	DefaultCloudWatchBudget = 100_000
)

// Task keys of the tiers: each joins a running read of its own kind.
const (
	KeyPending      = "refresh/pending"
	KeyServiceConns = "refresh/service-connections"
	KeyTargets      = "refresh/targets"
)

// TargetHealthReader reads the target health of chosen target groups without listing the
// load balancers again: the round-robin asks for it by type, so a backend without it keeps
// the first read's targets (and says how old they are).
type TargetHealthReader interface {
	TargetHealth(ctx context.Context, groups []model.TargetGroup) (map[string][]model.Target, error)
}

func (s *Store) initCadences() {
	s.cad[Pending] = model.NewCadence(s.opts.RefreshEvery)
	s.cad[Connections] = model.NewCadence(s.opts.InventoryEvery) // Services and LoadBalancers come with it
	s.cad[Targets] = model.NewCadence(s.opts.TargetsEvery)
	s.cad[Health] = model.NewCadence(FleetMetricsEvery)
	s.cad[Principals] = model.NewCadence(s.opts.PrincipalsTTL)
}

// Cadence is how often a part is read now: its configured interval, or more while AWS
// throttles it. Services and load balancers are read with the connections (the inventory).
func (s *Store) Cadence(p Part) model.Cadence {
	if p == Services || p == LoadBalancers {
		p = Connections
	}
	return s.cad[p]
}

func (s *Store) principalsTTL() time.Duration { return s.cad[Principals].Every }

// Tick is one refresh tick: it starts the reads that are due. Before the first inventory
// it reads the inventory; while the inventory runs, no pending read is needed (it holds the
// pending requests).
// SetRefreshEvery changes the tick (:refresh 30s): the pending requests are read at the new
// interval, and the round-robins spread their reads over ticks of that length. Zero (auto-
// refresh off) keeps what the store had: no tick comes to use it.
func (s *Store) SetRefreshEvery(d time.Duration) {
	if d <= 0 {
		return
	}
	s.opts.RefreshEvery = d
	s.cad[Pending].Rebase(d)
}

func (s *Store) Tick() tea.Cmd {
	now := s.opts.Now()
	if !s.fresh[Connections].Loaded && !s.fresh[Services].Loaded {
		if s.tasks.Running(KeyRefresh) || (!s.cad[Connections].Last.IsZero() && !s.cad[Connections].Due(now)) {
			return nil
		}
		return s.Refresh(false)
	}
	var cmds []tea.Cmd
	if n := len(s.services); n > 0 {
		ttl := s.principalsTTL()
		s.princAllowance = max(1, int((int64(n)*int64(s.opts.RefreshEvery)+int64(ttl)-1)/int64(ttl)))
	}
	switch {
	case s.cad[Connections].Due(now) && !s.tasks.Running(KeyRefresh):
		cmds = append(cmds, s.Refresh(false))
	case s.cad[Pending].Due(now) && !s.tasks.Running(KeyRefresh):
		cmds = append(cmds, s.refreshPending())
	}
	cmds = append(cmds, s.scheduleTargets(), s.ScheduleFleetMetrics(), s.SchedulePrincipals())
	return tea.Batch(cmds...)
}

type pendingResult struct {
	snap model.Snapshot
	err  error
}

type servicesConnsResult struct {
	ids  []string
	snap model.Snapshot
	err  error
}

// refreshPending reads the requests waiting for acceptance (one or two requests).
func (s *Store) refreshPending() tea.Cmd {
	if s.tasks.Running(KeyPending) {
		return nil
	}
	s.cad[Pending].Started(s.opts.Now())
	b := s.backend
	return s.tasks.Start(KeyPending, s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		snap, err := b.Refresh(ctx, model.RefreshRequest{PendingOnly: true})
		return pendingResult{snap: snap, err: err}
	})
}

// onPending merges a pending read into the inventory. A connection the store holds as
// pending that the read does not list has left pendingAcceptance (accepted, rejected, its
// endpoint deleted): its service's connections are read again to learn which.
func (s *Store) onPending(msg pendingResult) (bool, tea.Cmd) {
	s.cad[Pending].Finished(msg.err)
	if msg.err == nil && !sameIdentity(msg.snap.Identity, s.identity) || !s.sameSession() {
		return false, nil
	}
	f := &s.fresh[Pending]
	f.Err = msg.err
	if msg.err != nil {
		s.changed()
		return true, nil
	}
	f.Loaded, f.At = true, s.opts.Now()
	isPending := func(c model.Connection) bool { return c.State == model.StatePendingAcceptance }
	gen := s.conns.gen
	left, _ := s.conns.merge(msg.snap.Connections, isPending, false)
	changed := s.conns.gen != gen
	if !changed && len(left) == 0 {
		// nothing new: the header shows the freshness; the pages and everything derived
		// from the connections (every service's diagnosis) stay as they are
		return false, nil
	}
	if changed {
		s.changedServices(s.conns.touched)
	}
	var ids []string
	for _, c := range left {
		if !slices.Contains(ids, c.ServiceID) {
			ids = append(ids, c.ServiceID)
		}
	}
	return changed, s.refreshServices(ids)
}

// refreshServices reads every connection of the given services (service-id filter).
func (s *Store) refreshServices(ids []string) tea.Cmd {
	if len(ids) == 0 {
		return nil
	}
	b := s.backend
	return s.tasks.Start(KeyServiceConns, s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		snap, err := b.Refresh(ctx, model.RefreshRequest{ConnectionsOf: ids})
		return servicesConnsResult{ids: ids, snap: snap, err: err}
	})
}

// onServicesConns replaces the named services' connections with what was read: the read is
// the whole truth about them, so one it does not list is gone.
func (s *Store) onServicesConns(msg servicesConnsResult) (bool, tea.Cmd) {
	if msg.err != nil || !sameIdentity(msg.snap.Identity, s.identity) || !s.sameSession() {
		if msg.err != nil {
			// the inventory will tell: make it due at the next tick
			s.cad[Connections].Last = time.Time{}
			s.cad[Connections].Finished(msg.err)
		}
		return false, nil
	}
	inScope := func(c model.Connection) bool { return slices.Contains(msg.ids, c.ServiceID) }
	s.conns.merge(msg.snap.Connections, inScope, true)
	s.changedServices(s.conns.touched)
	return true, nil
}

// ---- the round-robin of target health ----------------------------------------------------

// targetRound is the fleet's target groups in the order the round-robin reads them, and
// when each was read last.
type targetRound struct {
	order    []model.TargetGroup
	next     int
	lastStep time.Time            // when the latest step started
	readAt   map[string]time.Time // target group ARN → its last target health read
}

// rebuild takes the target groups of a new inventory. withHealth: the inventory read their
// health too.
func (r *targetRound) rebuild(lbs map[string]model.LoadBalancer, withHealth bool, now time.Time) {
	r.order = r.order[:0]
	old := r.readAt
	r.readAt = make(map[string]time.Time, len(old))
	arns := make([]string, 0, len(lbs))
	for arn := range lbs {
		arns = append(arns, arn)
	}
	slices.Sort(arns)
	for _, arn := range arns {
		for _, tg := range lbs[arn].TargetGroups {
			r.order = append(r.order, tg)
			switch at, ok := old[tg.ARN]; {
			case withHealth:
				r.readAt[tg.ARN] = now
			case ok:
				r.readAt[tg.ARN] = at
			}
		}
	}
	if r.next >= len(r.order) {
		r.next = 0
	}
}

func (r *targetRound) read(lb model.LoadBalancer, at time.Time) {
	if r.readAt == nil {
		r.readAt = map[string]time.Time{}
	}
	for _, tg := range lb.TargetGroups {
		r.readAt[tg.ARN] = at
	}
}

// unread are the target groups whose health was never read (new since the last read).
func (r *targetRound) unread() []model.TargetGroup {
	var out []model.TargetGroup
	for _, tg := range r.order {
		if _, ok := r.readAt[tg.ARN]; !ok {
			out = append(out, tg)
		}
	}
	return out
}

// readTargets reads the health of target groups the round-robin has not reached yet (a load
// balancer the inventory found new): until then its service's diagnosis would see a target
// group without targets.
func (s *Store) readTargets(groups []model.TargetGroup) tea.Cmd {
	reader, ok := s.backend.(TargetHealthReader)
	if !ok || len(groups) == 0 || s.tasks.Running(KeyTargets) {
		return nil
	}
	return s.tasks.Start(KeyTargets, s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		ts, err := reader.TargetHealth(ctx, groups)
		return targetsResult{groups: groups, targets: ts, err: err}
	})
}

// oldest is when the target group read longest ago was read (zero when one never was).
func (r *targetRound) oldest() time.Time {
	var t time.Time
	for _, tg := range r.order {
		at, ok := r.readAt[tg.ARN]
		if !ok {
			return time.Time{}
		}
		if t.IsZero() || at.Before(t) {
			t = at
		}
	}
	return t
}

func (s *Store) markTargets() {
	f := &s.fresh[Targets]
	if at := s.targets.oldest(); !at.IsZero() {
		f.Loaded, f.At = true, at
	}
}

// keepTargets gives a load balancer read without target health the targets the store holds
// for its target groups.
func (s *Store) keepTargets(lb model.LoadBalancer) model.LoadBalancer {
	old, ok := s.lbs[lb.ARN]
	if !ok {
		return lb
	}
	for i, tg := range lb.TargetGroups {
		for _, o := range old.TargetGroups {
			if o.ARN == tg.ARN {
				lb.TargetGroups[i].Targets = o.Targets
			}
		}
	}
	return lb
}

type targetsResult struct {
	groups  []model.TargetGroup
	targets map[string][]model.Target
	err     error
}

// scheduleTargets reads the next target groups' health when a step of the round-robin is
// due: the fleet's n groups go round once in the targets cadence (longer while throttled),
// so a step reads ⌈n·tick/every⌉ groups and steps come every/n apart, never more often than
// the tick: a small fleet reads one group now and then, a large one a few per tick.
func (s *Store) scheduleTargets() tea.Cmd {
	_, ok := s.backend.(TargetHealthReader)
	n := len(s.targets.order)
	if !ok || n == 0 || s.tasks.Running(KeyTargets) || !s.fresh[Targets].Loaded {
		return nil
	}
	now := s.opts.Now()
	every := s.cad[Targets].Every
	step := max(every/time.Duration(n), s.opts.RefreshEvery)
	if last := s.targets.lastStep; !last.IsZero() && now.Sub(last) < step-min(step/10, time.Second) {
		return nil
	}
	if s.targets.lastStep.IsZero() {
		// the first step waits one step after the read that loaded the targets
		s.targets.lastStep = now
		return nil
	}
	per := int((int64(n)*int64(step) + int64(every) - 1) / int64(every))
	per = min(max(per, 1), n)
	groups := make([]model.TargetGroup, 0, per)
	for i := 0; i < per; i++ {
		groups = append(groups, s.targets.order[(s.targets.next+i)%n])
	}
	s.targets.next = (s.targets.next + len(groups)) % n
	s.targets.lastStep = now
	s.cad[Targets].Started(now)
	return s.readTargets(groups)
}

// onTargets puts the round-robin's answer into the load balancers the store holds. Load
// balancers are values shared with readers: a changed one is copied, never modified.
func (s *Store) onTargets(msg targetsResult) bool {
	s.cad[Targets].Finished(msg.err)
	if !s.sameSession() {
		return false
	}
	if msg.err != nil {
		s.fresh[Targets].Err = msg.err
		s.changed()
		return true
	}
	s.fresh[Targets].Err = nil
	now := s.opts.Now()
	differ := map[string]bool{} // load balancer ARNs whose targets changed
	for arn, lb := range s.lbs {
		var tgs []model.TargetGroup
		for i, tg := range lb.TargetGroups {
			ts, ok := msg.targets[tg.ARN]
			if !ok {
				continue
			}
			s.targets.readAt[tg.ARN] = now
			if slices.Equal(ts, tg.Targets) {
				continue
			}
			differ[arn] = true
			if tgs == nil {
				tgs = slices.Clone(lb.TargetGroups)
			}
			tgs[i].Targets = ts
		}
		if tgs != nil {
			lb.TargetGroups = tgs
			s.lbs[arn] = lb
		}
	}
	s.markTargets()
	if len(differ) == 0 {
		return false // the same targets, read again: only their freshness moved
	}
	touched := map[string]bool{}
	for _, svc := range s.services {
		for _, arn := range slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers) {
			if differ[arn] {
				touched[svc.ID] = true
			}
		}
	}
	s.changedServices(touched)
	return true
}

// FetchLoadBalancers reads one service's load balancers with their target health (the
// load-balancer tab reads it at every tick while it is on screen).
func (s *Store) FetchLoadBalancers(id string) tea.Cmd {
	svc, ok := s.Service(id)
	if !ok {
		return nil
	}
	arns := slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers)
	if len(arns) == 0 {
		return nil
	}
	b := s.backend
	return s.tasks.Start(keyLBs(id), s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		lbs, err := b.ListLoadBalancers(ctx, arns)
		return lbsResult{id: id, lbs: lbs, err: err}
	})
}
