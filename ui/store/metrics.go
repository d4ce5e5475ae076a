package store

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/tasks"
)

// CloudWatch bills GetMetricData per metric requested, so the store reads metrics for the
// health of the whole fleet on a cadence of its own (FleetMetricsEvery, not every refresh),
// in one batched request of every service's service- and load-balancer-level series (≤500
// queries per call: awsops batches), over FleetWindow. Charts read their own series through
// FetchMetrics, only for what is on screen.

// FleetWindow is the window the fleet's metric findings look at.
var FleetWindow = model.FleetWindow

// FleetMetricsEvery is how often the fleet's metrics are read at most.
const FleetMetricsEvery = time.Minute

// FleetEndpointLimit is how many available connections the fleet read covers one by one
// (for the consumer-gone-silent rule); a larger fleet reads them only for the service on
// screen (SetEndpointBytes).
const FleetEndpointLimit = model.FleetEndpointLimit

// KeyFleetMetrics is the task key of the fleet's metrics read (join: the running read
// answers both).
const KeyFleetMetrics = "metrics/fleet"

// MetricsResult is the answer to FetchMetrics, routed to the page that asked.
type MetricsResult struct {
	Key    string
	Req    model.MetricRequest
	Series []model.MetricSeries
	Err    error
}

// FetchMetrics runs one metric request for a page (owner) under key: a newer request with
// the same key replaces the running one (a window or breakdown change). It counts the
// metrics asked for in the session's total.
func (s *Store) FetchMetrics(key, owner string, req model.MetricRequest) tea.Cmd {
	if len(req.Queries) == 0 {
		return nil
	}
	s.metricsAsked += len(req.Queries)
	b := s.backend
	return s.tasks.Start(key, owner, tasks.CancelOlder, func(ctx contextT) tea.Msg {
		series, err := b.GetMetrics(ctx, req)
		return MetricsResult{Key: key, Req: req, Series: series, Err: err}
	})
}

// MetricsAsked is how many metrics the session has asked CloudWatch for so far.
func (s *Store) MetricsAsked() int { return s.metricsAsked }

// FleetMetrics is the fleet read's answer.
type FleetMetrics struct {
	Loaded   bool
	At       time.Time
	Err      error
	Start    time.Time
	End      time.Time
	Period   time.Duration
	Queries  int // metrics the read asks for: its cost per read
	services map[string]*model.ServiceMetrics
	active   map[string]model.MetricSeries
}

// Service returns what the fleet read holds about one service.
func (f *FleetMetrics) Service(id string) (model.ServiceMetrics, bool) {
	if f == nil || f.services[id] == nil {
		return model.ServiceMetrics{}, false
	}
	return *f.services[id], true
}

// Active is a service's ActiveConnections (Average) series.
func (f *FleetMetrics) Active(id string) model.MetricSeries {
	if f == nil {
		return model.MetricSeries{}
	}
	return f.active[id]
}

type fleetResult struct {
	req     model.MetricRequest
	queries []model.FleetQuery
	series  []model.MetricSeries
	err     error
}

// Fleet is the last fleet metrics read (nil before the first).
func (s *Store) Fleet() *FleetMetrics { return s.fleet }

// fleetQueries builds the fleet read (model.FleetMetricQueries) from what the store holds.
func (s *Store) fleetQueries() ([]model.MetricQuery, []model.FleetQuery) {
	s.derive()
	return model.FleetMetricQueries(model.FleetInput{Services: s.services, LoadBalancers: s.lbs,
		Connections: s.byService, EndpointLimit: FleetEndpointLimit})
}

// ScheduleFleetMetrics reads the fleet's metrics when the health cadence says so (or they
// were never read), the services are in and no read runs. The cadence follows the size of
// the read and the CloudWatch budget (model.MetricsCadence): a fleet of 500 services asks
// for thousands of metrics a read, and CloudWatch bills every one.
func (s *Store) ScheduleFleetMetrics() tea.Cmd {
	now := s.opts.Now()
	if len(s.services) == 0 || s.tasks.Running(KeyFleetMetrics) || !s.fresh[Connections].Loaded {
		return nil
	}
	c := s.cad[Health]
	if s.fleet != nil && s.fleet.Err != nil && !c.BackingOff() {
		// a failed read (not throttled) is tried again at half the interval
		c.Every /= 2
	}
	if s.fleet != nil && !c.Due(now) {
		return nil
	}
	qs, about := s.fleetQueries()
	start, end, period := model.WindowRange(FleetWindow, now)
	req := model.MetricRequest{Start: start, End: end, Period: period, Queries: qs, Now: now}
	s.metricsAsked += len(qs)
	s.setHealthBase(len(qs))
	s.cad[Health].Started(now)
	b := s.backend
	return s.tasks.Start(KeyFleetMetrics, s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		series, err := b.GetMetrics(ctx, req)
		return fleetResult{req: req, queries: about, series: series, err: err}
	})
}

// setHealthBase sets the health cadence's base for a read of n metrics, keeping how far it
// is backing off.
func (s *Store) setHealthBase(n int) {
	s.cad[Health].Rebase(model.MetricsCadence(n, s.opts.CloudWatchBudget, FleetMetricsEvery))
}

// MetricsPerDay is how many CloudWatch metrics a day the fleet's health read requests at
// its cadence now (the figure the CloudWatch budget bounds).
func (s *Store) MetricsPerDay() int {
	if s.fleet == nil || s.fleet.Queries == 0 {
		return 0
	}
	return int(int64(s.fleet.Queries) * int64(24*time.Hour) / int64(s.cad[Health].Every))
}

// onFleet ingests a fleet read. A failed read keeps the previous answer (marked with the
// error), so one throttled read does not blank every badge.
func (s *Store) onFleet(msg fleetResult) bool {
	if !s.sameSession() {
		return false
	}
	now := s.opts.Now()
	s.cad[Health].Finished(msg.err)
	hf := &s.fresh[Health]
	hf.Err = msg.err
	if msg.err == nil {
		hf.Loaded, hf.At = true, now
	}
	if msg.err != nil {
		if s.fleet == nil {
			s.fleet = &FleetMetrics{}
		}
		s.fleet.Err, s.fleet.At = msg.err, now
		s.changed()
		return true
	}
	f := &FleetMetrics{Loaded: true, At: now, Start: msg.req.Start, End: msg.req.End, Period: msg.req.Period,
		Queries: len(msg.req.Queries)}
	f.services, f.active = model.AssembleFleetMetrics(msg.req, msg.queries, msg.series)
	// per-endpoint bytes a page read for its service since stay until the next page read
	for id, eb := range s.endpointBytes {
		if m := f.services[id]; m != nil && m.EndpointBytes == nil && eb.end.Equal(f.End) {
			m.EndpointBytes = eb.series
		}
	}
	s.fleet = f
	s.changed()
	return true
}

// EndpointTraffic is how many bytes an endpoint moved over the fleet read's window, when a
// read has them (ok false: unknown).
func (s *Store) EndpointTraffic(serviceID, endpointID string) (bytes float64, window time.Duration, ok bool) {
	m, found := s.fleet.Service(serviceID)
	if !found || m.EndpointBytes == nil {
		return 0, 0, false
	}
	series, have := m.EndpointBytes[endpointID]
	if !have {
		return 0, 0, false
	}
	for _, v := range series.Values {
		bytes += v
	}
	return bytes, m.End.Sub(m.Start), true
}

// endpointBytesEntry is one service's per-endpoint bytes as a page read them.
type endpointBytesEntry struct {
	end    time.Time
	series map[string]model.MetricSeries
}

// SetEndpointBytes hands the store the per-endpoint BytesProcessed a page read for one
// service over the fleet window (the Top consumers tab does), so the service's diagnosis
// sees consumers that went silent even in a fleet too large to read them all.
func (s *Store) SetEndpointBytes(serviceID string, end time.Time, series map[string]model.MetricSeries) {
	if s.endpointBytes == nil {
		s.endpointBytes = map[string]endpointBytesEntry{}
	}
	s.endpointBytes[serviceID] = endpointBytesEntry{end: end, series: series}
	if s.fleet != nil {
		if m := s.fleet.services[serviceID]; m != nil && m.End.Equal(end) {
			m.EndpointBytes = series
		}
	}
	s.changed()
}

// ZoneMaps are the zone name→id maps of the accounts the console knows: the session's own.
// Nil until the zones are read.
func (s *Store) ZoneMaps() map[string]model.ZoneIndex { return s.zoneMaps }

// ZoneLabel names a zone of the session's account by name and id, "us-east-1a (use1-az1)":
// names are mapped per account, ids are what another account (a consumer, AWS support)
// can compare. A zone the session does not know (zones not read yet) keeps what was given.
func (s *Store) ZoneLabel(nameOrID string) string {
	own := s.zoneMaps[s.identity.Account]
	name, okN := own.Name(nameOrID)
	id, okI := own.ID(nameOrID)
	if !okN || !okI {
		return nameOrID
	}
	return name + " (" + id + ")"
}

// ZoneLabels labels each zone (ZoneLabel).
func (s *Store) ZoneLabels(zs []string) []string {
	out := make([]string, len(zs))
	for i, z := range zs {
		out[i] = s.ZoneLabel(z)
	}
	return out
}

type zonesResult struct {
	zones []model.AvailabilityZone
	err   error
}

// FetchZones reads the session's zones (once: they do not change).
func (s *Store) FetchZones() tea.Cmd {
	if s.zoneMaps != nil {
		return nil
	}
	b := s.backend
	return s.tasks.Start("zones", s.owner, tasks.Join, func(ctx contextT) tea.Msg {
		zs, err := b.AvailabilityZones(ctx)
		return zonesResult{zones: zs, err: err}
	})
}

// metricFindings are a service's findings from its metrics and the age of its requests,
// with the blast radius of its zone findings attached to all of them (config ones too).
func (s *Store) metricFindings(svc model.EndpointService, lbs []model.LoadBalancer, conns []model.Connection, fs []model.Finding) []model.Finding {
	m, ok := s.fleet.Service(svc.ID)
	if !ok {
		// until the fleet's metrics are read, the badge is the configuration's: the metric
		// findings (and the age of requests, which comes with them) join all at once
		return fs
	}
	maps := s.ZoneMaps()
	return model.MetricFindings(svc, s.identity.Region, lbs, conns, m, fs, model.MetricRuleOptions{Now: s.opts.Now()},
		maps[s.identity.Account], maps)
}
