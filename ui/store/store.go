// Package store holds what the console knows about one AWS session, outside the view tree:
// the endpoint services, every connection, the load balancers with target health, each
// service's allowed principals and details, and the health derived from them. Components
// read it through versioned, read-only views and never fetch for themselves what it holds;
// it fetches through keyed tasks (package tasks) and says when its content changed.
//
// One Store belongs to one session (identity and region): switching profile or region makes
// a new one, and a fleet view may hold several. A result whose identity is not the store's is
// dropped, so data of one session never shows under another's name.
package store

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/tasks"
)

// Part is one kind of data the store reads; each has its own freshness.
type Part int

const (
	Services Part = iota
	Connections
	LoadBalancers
	Principals
	// Pending is the every-tick read of the requests waiting for acceptance (an inventory
	// read counts as one too: it holds them).
	Pending
	// Targets is the fleet's per-target health (DescribeTargetHealth), read round-robin;
	// its freshness is that of the target group read longest ago.
	Targets
	// Health is the fleet's CloudWatch read (host counts, resets, bytes) behind the badges.
	Health
	partCount
)

func (p Part) String() string {
	return [...]string{"services", "connections", "load balancers", "principals", "pending", "targets", "health"}[p]
}

// Freshness is how current one part is.
type Freshness struct {
	Loaded bool      // read successfully at least once
	At     time.Time // the last successful read
	Err    error     // why the latest read failed; nil when it succeeded
}

// Options tunes the store; zero values take the defaults.
type Options struct {
	Now func() time.Time
	// PrincipalsTTL is how long cached principals are used before they are read again
	// (default 5 minutes); PrincipalsRetry how long a failed read waits (default 1 minute).
	PrincipalsTTL, PrincipalsRetry time.Duration
	// MaxPrincipalFetches bounds the background principal reads in flight (default 4).
	MaxPrincipalFetches int
	// PendingMaxAge is how long a request may wait before it is a finding (default 24 h).
	PendingMaxAge time.Duration

	// The refresh tiers (tiers.go). RefreshEvery is the tick: the pending requests are read
	// at it (default 15 s). InventoryEvery is how often every service, connection and load
	// balancer is read (default 5 minutes). SettingsEvery is how long principals and other
	// slow-changing settings are kept before they are read again (default an hour; it is
	// PrincipalsTTL unless that is set). TargetsEvery is how long the round-robin of the
	// fleet's target health takes to go round once (default 30 minutes). CloudWatchBudget
	// is how many CloudWatch metrics a day the fleet's health read may request (default
	// 100,000; negative: no limit, one read a minute).
	RefreshEvery, InventoryEvery, SettingsEvery, TargetsEvery time.Duration
	CloudWatchBudget                                          int
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RefreshEvery <= 0 {
		o.RefreshEvery = DefaultRefreshEvery
	}
	if o.InventoryEvery <= 0 {
		o.InventoryEvery = DefaultInventoryEvery
	}
	if o.SettingsEvery <= 0 {
		o.SettingsEvery = DefaultSettingsEvery
	}
	if o.TargetsEvery <= 0 {
		o.TargetsEvery = DefaultTargetsEvery
	}
	if o.CloudWatchBudget == 0 {
		o.CloudWatchBudget = DefaultCloudWatchBudget
	}
	if o.PrincipalsTTL <= 0 {
		o.PrincipalsTTL = o.SettingsEvery
	}
	if o.PrincipalsRetry <= 0 {
		o.PrincipalsRetry = time.Minute
	}
	if o.MaxPrincipalFetches <= 0 {
		o.MaxPrincipalFetches = 4
	}
	return o
}

// Task keys. Each says what a second start does while one runs:
//   - KeyRefresh joins the running refresh; an explicit refresh asked for meanwhile runs once
//     more when it ends (so `r` pressed ten times costs at most one extra refresh, and the
//     data shown is read after the last press);
//   - detail/<id>, lbs/<id> and principals/<id> join: the running read answers both.
const KeyRefresh = "refresh"

func keyDetail(id string) string     { return "detail/" + id }
func keyLBs(id string) string        { return "lbs/" + id }
func keyPrincipals(id string) string { return "principals/" + id }

// storeSeq numbers stores process-wide (several consoles, or a fleet of sessions, may live in
// one process), so owners never collide.
var storeSeq atomic.Uint64

// Store is one session's data. Use it from Bubble Tea's Update only.
type Store struct {
	owner    string
	backend  Backend
	identity model.Identity
	tasks    *tasks.Runner
	opts     Options

	// version changes with any content change; readers compare it to rebuild.
	version uint64

	services []model.EndpointService
	svcIndex map[string]int
	svcGen   uint64
	conns    connIndex
	lbs      map[string]model.LoadBalancer
	details  map[string]detailEntry
	lbFresh  map[string]Freshness // per service: its own load balancer read (detail)
	princ    map[string]principalsEntry
	princRun int
	// princAllowance is how many expired principals may still be read again before the next
	// tick: the fleet's services go round once per SettingsEvery (tiers.go)
	princAllowance int
	princSeen      int // principal reads answered, for principalsBatch
	fresh          [partCount]Freshness
	cad            [partCount]model.Cadence // how often each part is read now (tiers.go)
	targets        targetRound              // the round-robin of the fleet's target health (tiers.go)

	refreshAgain bool
	// lastFull is when services and connections were last both read; fullErr why the last
	// refresh could not read one of them.
	lastFull time.Time
	fullErr  error

	// metrics (metrics.go)
	metricsAsked  int
	fleet         *FleetMetrics
	endpointBytes map[string]endpointBytesEntry
	zoneMaps      map[string]model.ZoneIndex // the session's zones by account (ZoneMaps), once read
	policy        policyCache                // the approval policy's suggestions and the access audit (access.go)

	derivedAt  uint64          // version the derived data below was computed at
	deriveAll  bool            // since then, something every service depends on changed
	deriveOnly map[string]bool // since then, only these services' inputs changed
	summaries  map[string]model.ConnectionSummary
	byService  map[string][]model.Connection
	diag       map[string]Diagnosis
}

// detailEntry is one service read with ServiceDetail: principals and notifications.
type detailEntry struct {
	svc    model.EndpointService
	loaded bool
	err    error
	at     time.Time
}

// principalsEntry is one service's cached allowed principals.
type principalsEntry struct {
	principals []model.Principal
	loaded     bool // principals hold a successful read
	at         time.Time
	err        error
	stale      bool // changed by us: read again at the next chance
}

// New makes the store of one session. It does no I/O; call Refresh.
func New(b Backend, identity model.Identity, runner *tasks.Runner, opts Options) *Store {
	s := &Store{
		owner: fmt.Sprintf("store#%d", storeSeq.Add(1)), backend: b, identity: identity, tasks: runner,
		opts: opts.withDefaults(), svcIndex: map[string]int{}, lbs: map[string]model.LoadBalancer{},
		details: map[string]detailEntry{}, lbFresh: map[string]Freshness{}, princ: map[string]principalsEntry{},
		version: 1,
	}
	s.initCadences()
	return s
}

// Owner is the store's task owner: results of its tasks carry it.
func (s *Store) Owner() string { return s.owner }

// Identity is the session the store belongs to.
func (s *Store) Identity() model.Identity { return s.identity }

// Backend is the session's backend (writes go through it).
func (s *Store) Backend() Backend { return s.backend }

// Version changes whenever anything the store holds changes.
func (s *Store) Version() uint64 { return s.version }

// Freshness says how current one part is. Principals' is the worst of the services': loaded
// when every service's principals were read, with the latest failure.
func (s *Store) Freshness(p Part) Freshness { return s.fresh[p] }

// LastFull is when services and connections were last read together, and why the latest
// refresh could not read one of them (nil: it could).
func (s *Store) LastFull() (time.Time, error) { return s.lastFull, s.fullErr }

// Refreshing says whether a refresh is in flight.
func (s *Store) Refreshing() bool { return s.tasks.Running(KeyRefresh) }

func (s *Store) changed() { s.version++; s.deriveAll = true }

// changedServices is changed for a change that touched only these services' connections
// or load balancers: the next derive recomputes only their summaries and diagnoses.
func (s *Store) changedServices(ids map[string]bool) {
	s.version++
	if s.deriveOnly == nil {
		s.deriveOnly = map[string]bool{}
	}
	for id := range ids {
		s.deriveOnly[id] = true
	}
}

// ---- read views ---------------------------------------------------------------------------

// Services returns every endpoint service, in the order AWS listed them. Read-only.
func (s *Store) Services() []model.EndpointService { return s.services }

// ServicesGen changes whenever the list of services is read again (names may have changed).
func (s *Store) ServicesGen() uint64 { return s.svcGen }

// Service returns one service as the list read it (without principals and notifications).
func (s *Store) Service(id string) (model.EndpointService, bool) {
	i, ok := s.svcIndex[id]
	if !ok {
		return model.EndpointService{}, false
	}
	return s.services[i], true
}

// Label is a service's name for people: its Name tag, else its id.
func (s *Store) Label(id string) string {
	if svc, ok := s.Service(id); ok {
		return svc.Label()
	}
	return id
}

// Connections is every connection of the session. Read-only.
func (s *Store) Connections() ConnView {
	return ConnView{Entries: s.conns.entries, Gen: s.conns.gen, Loaded: s.conns.loaded}
}

// ConnChangesSince returns the keys of the connections added, changed, removed or marked
// seen since generation gen (ConnView.Gen), each at least once; ok is false when the store no
// longer knows (too far behind, a first read, another session): rebuild from Connections.
// Look each key up with ConnectionEntry: a key it does not find was removed.
func (s *Store) ConnChangesSince(gen uint64) (keys []string, ok bool) {
	return s.conns.log.since(gen)
}

// ConnectionEntry returns the store's entry for a key (model.Connection.Key). Read-only.
func (s *Store) ConnectionEntry(key string) (*ConnEntry, bool) {
	e, ok := s.conns.byKey[key]
	return e, ok
}

// NewConnections is how many connections arrived since the first read and are not seen yet.
func (s *Store) NewConnections() int { return s.conns.news }

// MarkSeen ends the "new" highlight of connections the user has looked at (the cursor was
// on them, or an action or a page took them).
func (s *Store) MarkSeen(keys ...string) {
	if s.conns.markSeen(keys) {
		s.changedServices(nil) // nothing derived depends on what is new
	}
}

// Connection returns the connection with this key (model.Connection.Key).
func (s *Store) Connection(key string) (model.Connection, bool) {
	e, ok := s.conns.byKey[key]
	if !ok {
		return model.Connection{}, false
	}
	return e.C, true
}

// ServiceConnections returns one service's connections. Read-only.
func (s *Store) ServiceConnections(id string) []model.Connection {
	s.derive()
	return s.byService[id]
}

// Summary counts one service's connections by state (model owns the counting).
func (s *Store) Summary(id string) model.ConnectionSummary {
	s.derive()
	return s.summaries[id]
}

// Detail returns a service with its principals and notifications when ServiceDetail has
// read them: loaded says so, err why the latest read failed. The list's fields are the
// newest of the two reads.
func (s *Store) Detail(id string) (svc model.EndpointService, loaded bool, err error) {
	svc, _ = s.Service(id)
	d, ok := s.details[id]
	if !ok {
		return svc, false, nil
	}
	if svc.ID == "" {
		svc = d.svc
	}
	if d.loaded {
		svc.AllowedPrincipals = d.svc.AllowedPrincipals
		svc.Notifications = d.svc.Notifications
	}
	return svc, d.loaded, d.err
}

// LoadBalancersOf returns the load balancers a service uses, in the service's order, and how
// fresh they are (the fleet-wide read or the service's own, whichever is newer).
func (s *Store) LoadBalancersOf(svc model.EndpointService) ([]model.LoadBalancer, Freshness) {
	out := model.ServiceLoadBalancers(svc, s.lbs)
	f := s.fresh[LoadBalancers]
	if own, ok := s.lbFresh[svc.ID]; ok && (own.At.After(f.At) || !f.Loaded) {
		f = own
	}
	return out, f
}

// ---- refresh and reads --------------------------------------------------------------------

type snapshotResult struct {
	snap model.Snapshot
	err  error
	req  model.RefreshRequest
}

type detailResult struct {
	id  string
	svc model.EndpointService
	err error
}

type lbsResult struct {
	id  string
	lbs []model.LoadBalancer
	err error
}

type principalsResult struct {
	id         string
	principals []model.Principal
	err        error
}

// Refresh reads the inventory: services, connections and load balancers (one
// Backend.Refresh). While one runs it starts nothing; explicit (the user asked) makes one
// more run after it. Tick calls it when the inventory is due; `r` calls it at once.
func (s *Store) Refresh(explicit bool) tea.Cmd {
	if s.tasks.Running(KeyRefresh) {
		if explicit {
			s.refreshAgain = true
		}
		return nil
	}
	b := s.backend
	s.cad[Connections].Started(s.opts.Now())
	// the fleet's target health is read once with the first inventory (the badges need
	// it); after that the round-robin keeps it current at a fraction of the cost
	req := model.RefreshRequest{LoadBalancers: true, SkipTargetHealth: s.fresh[Targets].Loaded}
	return s.tasks.Start(KeyRefresh, s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		snap, err := b.Refresh(ctx, req)
		return snapshotResult{snap: snap, err: err, req: req}
	})
}

// FetchDetail reads one service's principals and notifications and, with lbs, its load
// balancers with fresh target health (a refresh reads those fleet-wide already).
func (s *Store) FetchDetail(id string, lbs bool) tea.Cmd {
	b := s.backend
	cmds := []tea.Cmd{s.tasks.Start(keyDetail(id), s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		svc, err := b.ServiceDetail(ctx, id)
		return detailResult{id: id, svc: svc, err: err}
	})}
	if svc, ok := s.Service(id); ok && lbs {
		arns := slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers)
		if len(arns) == 0 {
			s.lbFresh[id] = Freshness{Loaded: true, At: s.opts.Now()}
		} else {
			cmds = append(cmds, s.tasks.Start(keyLBs(id), s.owner, tasks.Join, func(ctx contextT) tea.Msg {
				lbs, err := b.ListLoadBalancers(ctx, arns)
				return lbsResult{id: id, lbs: lbs, err: err}
			}))
		}
	}
	return tea.Batch(cmds...)
}

// Update takes in the result of one of the store's tasks (the root routes them here after
// tasks.Runner.Finish). It returns whether the content changed, and follow-up work.
func (s *Store) Update(msg tea.Msg) (bool, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotResult:
		return s.onSnapshot(msg)
	case detailResult:
		if !s.sameSession() {
			return false, nil
		}
		d := detailEntry{svc: msg.svc, err: msg.err, at: s.opts.Now(), loaded: msg.err == nil}
		if msg.err != nil {
			if old, ok := s.details[msg.id]; ok && old.loaded {
				old.err = msg.err
				d = old
			}
		} else {
			s.storePrincipals(msg.id, msg.svc.AllowedPrincipals, nil)
		}
		s.details[msg.id] = d
		s.changed()
		return true, nil
	case lbsResult:
		if !s.sameSession() {
			return false, nil
		}
		f := s.lbFresh[msg.id]
		f.Err = msg.err
		if msg.err == nil {
			f.Loaded, f.At = true, s.opts.Now()
			for _, lb := range msg.lbs {
				s.lbs[lb.ARN] = lb
				s.targets.read(lb, f.At)
			}
			s.markTargets()
		}
		s.lbFresh[msg.id] = f
		s.changed()
		return true, nil
	case fleetResult:
		return s.onFleet(msg), nil
	case zonesResult:
		if msg.err != nil || !s.sameSession() {
			return false, nil
		}
		s.zoneMaps = map[string]model.ZoneIndex{s.identity.Account: model.NewZoneIndex(msg.zones)}
		s.changed()
		return true, nil
	case pendingResult:
		return s.onPending(msg)
	case servicesConnsResult:
		return s.onServicesConns(msg)
	case targetsResult:
		return s.onTargets(msg), nil
	case principalsResult:
		s.princRun = max(s.princRun-1, 0)
		s.cad[Principals].Finished(msg.err)
		if !s.sameSession() {
			return false, nil
		}
		old, had := s.princ[msg.id]
		s.storePrincipals(msg.id, msg.principals, msg.err)
		if had && old.loaded && msg.err == nil && samePrincipals(old.principals, msg.principals) {
			// read again, unchanged: nothing derived from them changes
			return false, s.SchedulePrincipals()
		}
		s.changed()
		// a fleet's first load answers hundreds of principal reads one by one, and each
		// change makes the pages derive every service's diagnosis again: say so every
		// principalsBatch answers and when the last in flight lands, not on each
		s.princSeen++
		next := s.SchedulePrincipals()
		return s.princRun == 0 || s.princSeen%principalsBatch == 0, next
	}
	return false, nil
}

// sameSession says whether the backend still acts in the store's session: a result read
// after a switch belongs to another identity and is dropped.
func (s *Store) sameSession() bool { return sameIdentity(s.backend.Identity(), s.identity) }

func sameIdentity(a, b model.Identity) bool {
	return a.Account == b.Account && a.Region == b.Region && a.Profile == b.Profile
}

// onSnapshot ingests a refresh part by part: a part that could not be read keeps what the
// previous refresh read, and says why in its freshness.
func (s *Store) onSnapshot(msg snapshotResult) (bool, tea.Cmd) {
	var again tea.Cmd
	if s.refreshAgain {
		s.refreshAgain = false
		again = s.Refresh(false)
	}
	if msg.err == nil && !sameIdentity(msg.snap.Identity, s.identity) {
		return false, again // read in another session
	}
	var unread []model.TargetGroup // target groups an inventory without target health found new
	errs := msg.snap.Errors
	if msg.err != nil && errs.Err() == nil {
		// an error that names no part (the refresh was cancelled or timed out) fails each
		errs = model.RefreshErrors{Services: msg.err, Connections: msg.err, LoadBalancers: msg.err}
	}
	now := s.opts.Now()
	mark := func(p Part, err error) {
		f := &s.fresh[p]
		f.Err = err
		if err == nil {
			f.Loaded, f.At = true, now
		}
	}
	s.cad[Connections].Finished(errors.Join(errs.Services, errs.Connections, errs.LoadBalancers))
	mark(Services, errs.Services)
	mark(Connections, errs.Connections)
	if errs.Connections == nil {
		// the inventory holds every pending request: it is as good as a pending read
		mark(Pending, nil)
	}
	// an inventory that finds the services and load balancers as they were changes only the
	// services whose connections changed: the fleet's diagnosis is not redone for them all
	same := errs.Services == nil && errs.LoadBalancers == nil && s.derivedAt > 0 &&
		reflect.DeepEqual(s.services, msg.snap.Services)
	if errs.Services == nil && !same {
		s.services = msg.snap.Services
		s.svcGen++
		s.svcIndex = make(map[string]int, len(s.services))
		for i, svc := range s.services {
			s.svcIndex[svc.ID] = i
		}
	}
	if errs.Connections == nil {
		s.conns.ingest(msg.snap.Connections)
	}
	if errs.Services == nil || errs.LoadBalancers != nil {
		mark(LoadBalancers, errs.LoadBalancers)
	}
	if errs.Services == nil && errs.LoadBalancers == nil {
		lbs := make(map[string]model.LoadBalancer, len(msg.snap.LoadBalancers))
		for _, lb := range msg.snap.LoadBalancers {
			if msg.req.SkipTargetHealth {
				lb = s.keepTargets(lb)
			}
			lbs[lb.ARN] = lb
		}
		same = same && reflect.DeepEqual(s.lbs, lbs)
		s.lbs = lbs
		s.targets.rebuild(lbs, !msg.req.SkipTargetHealth, now)
		s.markTargets()
		unread = s.targets.unread()
	}
	s.fullErr = errors.Join(errs.Services, errs.Connections)
	if s.fullErr == nil {
		s.lastFull = now
	}
	if same && errs.Err() == nil && msg.err == nil {
		s.changedServices(s.conns.touched)
	} else {
		s.changed()
	}
	return true, tea.Batch(again, s.SchedulePrincipals(), s.ScheduleFleetMetrics(), s.FetchZones(), s.readTargets(unread))
}

func samePrincipals(a, b []model.Principal) bool {
	return slices.EqualFunc(a, b, func(x, y model.Principal) bool {
		return x.ARN == y.ARN && x.Type == y.Type && x.ID == y.ID && maps.Equal(x.Tags, y.Tags)
	})
}

// principalsBatch is how many principal answers make the pages rebuild, at most.
const principalsBatch = 50
