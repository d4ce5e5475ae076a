package sim

import (
	"math"
	"slices"
	"sort"
	"time"
)

// CloudWatch series of the simulated region, computed on demand from the same world state the
// EC2 and ELBv2 handlers show, so that metrics agree with connections and target health:
//
//   - Traffic flows only through endpoints that were available at the sampled instant. Each
//     endpoint's per-minute load comes from its TrafficProfile: a diurnal curve times noise
//     hashed from (profile seed, minute) — deterministic, with no RNG state.
//   - An endpoint's traffic enters its service's load balancer in the zones of its network
//     interfaces, split as integers so that every dimension set sums to the same total
//     (service = Σ zones = Σ load balancers = Σ endpoints, per minute, exactly).
//   - A zone whose load balancer node reaches no healthy target (target health history,
//     cross-zone setting) carries no bytes and no active connections: every new connection
//     there is reset by the load balancer.
//
// Data is kept at CloudWatch's resolutions: one sample a minute for the last 15 days, one per
// 5 minutes until 63 days, one per hour until 455 days. A sample stands for every minute it
// covers (Sum and SampleCount weigh it by its width).

// Quantities computed per endpoint and minute.
const (
	qActive    = iota // concurrent connections
	qNew              // new connections in the minute
	qBytes            // bytes processed in the minute
	qRstTarget        // RSTs from targets, passed on to the consumer
	qRstELB           // RSTs from the load balancer (no healthy target in the zone)
	qDropped          // packets dropped by the endpoint (consumer side)
	nQ
)

// Metric namespaces and the dimension names the simulated region publishes.
const (
	nsPLServices  = "AWS/PrivateLinkServices"
	nsPLEndpoints = "AWS/PrivateLinkEndpoints"
	nsNetworkELB  = "AWS/NetworkELB"

	dimServiceID    = "Service Id"
	dimAz           = "Az"
	dimLBArn        = "Load Balancer Arn"
	dimEndpointID   = "VPC Endpoint Id"
	dimEndpointType = "Endpoint Type"
	dimServiceName  = "Service Name"
	dimVpcID        = "VPC Id"
	dimSubnetID     = "Subnet Id"
	dimLoadBalancer = "LoadBalancer"
	dimTargetGroup  = "TargetGroup"
	dimAZ           = "AvailabilityZone"
)

// metricDef is one metric name of a namespace: its unit and how it is computed.
type metricDef struct {
	Name string
	Unit string
	q    int // quantity, or one of the special kinds below
}

const (
	qEndpointsCount = 100 + iota
	qRstAll
	qHealthy
	qUnhealthy
	qZero
	qPortErrors
)

// PortLimit is about how many concurrent connections an NLB keeps to one target before it
// runs out of source ports; new connections to a target past it fail and count in
// PortAllocationErrorCount.
const PortLimit = 55000

var (
	plsMetrics = []metricDef{
		{"ActiveConnections", "Count", qActive},
		{"BytesProcessed", "Bytes", qBytes},
		{"NewConnections", "Count", qNew},
		{"RstPacketsSent", "Count", qRstAll},
	}
	plsEndpointsCount = metricDef{"EndpointsCount", "Count", qEndpointsCount}
	pleMetrics        = []metricDef{
		{"ActiveConnections", "Count", qActive},
		{"BytesProcessed", "Bytes", qBytes},
		{"NewConnections", "Count", qNew},
		{"PacketsDropped", "Count", qDropped},
		{"RstPacketsReceived", "Count", qRstAll},
	}
	nlbFlowMetrics = []metricDef{
		{"ActiveFlowCount", "Count", qActive},
		{"NewFlowCount", "Count", qNew},
		{"ProcessedBytes", "Bytes", qBytes},
		{"TCP_Client_Reset_Count", "Count", qZero},
		{"TCP_ELB_Reset_Count", "Count", qRstELB},
		{"TCP_Target_Reset_Count", "Count", qRstTarget},
		{"PortAllocationErrorCount", "Count", qPortErrors},
	}
	nlbHostMetrics = []metricDef{
		{"HealthyHostCount", "Count", qHealthy},
		{"UnHealthyHostCount", "Count", qUnhealthy},
	}
)

func findMetric(defs []metricDef, name string) (metricDef, bool) {
	for _, d := range defs {
		if d.Name == name {
			return d, true
		}
	}
	return metricDef{}, false
}

// Retention of CloudWatch resolutions.
const (
	retention1Min  = 15 * 24 * time.Hour
	retention5Min  = 63 * 24 * time.Hour
	retention1Hour = 455 * 24 * time.Hour
)

// ---- deterministic traffic -------------------------------------------------------------------

// cosTable[i] = cos(2π i / 1440): the diurnal curve by minute of day.
var cosTable = func() [1440]float64 {
	var t [1440]float64
	for i := range t {
		t[i] = math.Cos(2 * math.Pi * float64(i) / 1440)
	}
	return t
}()

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unit maps 16 bits of h to [0, 1).
func unit16(h uint64, shift uint) float64 { return float64((h>>shift)&0xffff) / 65536 }

// trafficAt is one endpoint's load in the minute starting at unix minute m: concurrent
// connections, new connections, bytes, target resets and dropped packets (integers), and
// the hash the zone split rotates by.
func trafficAt(p *TrafficProfile, m int64) (q [nQ]float64, h uint64) {
	h = splitmix(p.Noise ^ uint64(m)*0xd1342543de82ef95)
	if p.SilentFrom != 0 && m >= p.SilentFrom {
		return q, h
	}
	mod := int((m - int64(p.DiurnalPhase*60)) % 1440)
	if mod < 0 {
		mod += 1440
	}
	d := 1 + p.DiurnalAmplitude*cosTable[mod]
	n1 := 0.85 + 0.3*unit16(h, 0)
	n2 := 0.8 + 0.4*unit16(h, 16)
	n3 := 0.85 + 0.3*unit16(h, 32)
	q[qActive] = math.Round(p.MeanActive * d * n1)
	q[qNew] = math.Round(p.NewConnsPerSec * 60 * d * n2)
	q[qBytes] = math.Round(p.BytesPerSec * 60 * d * n3)
	if p.SurgeFrom != 0 && m >= p.SurgeFrom {
		surge := p.SurgeActive * (0.9 + 0.2*unit16(h, 8))
		q[qActive] += math.Round(surge)
		q[qNew] += math.Round(surge / 600) // the surge's connections live about ten minutes
	}
	u4 := unit16(h, 48)
	q[qRstTarget] = math.Floor(q[qNew]*p.ResetRatio + u4)
	if (p.Noise>>20)%11 == 0 { // a consumer sending jumbo frames over the 8,500-byte MTU
		q[qDropped] = math.Floor(q[qNew] * (0.2 + u4))
	}
	return q, h
}

// ---- timeline --------------------------------------------------------------------------------

// mstep is one stored sample: it starts at unix second start, covers width minutes and shows
// the world as it was at `at` (the end of its span, or now for the running minute).
type mstep struct {
	start int64
	width int64 // minutes: 1, 5 or 60
	at    time.Time
}

// buildTimeline lists the samples that exist in [from, to) (unix seconds, from aligned to a
// minute) at CloudWatch's resolution for their age, up to now.
func buildTimeline(from, to int64, now time.Time) []mstep {
	nowSec := now.Unix()
	if to > nowSec+1 {
		to = nowSec + 1 // the running minute exists; later ones do not
	}
	var out []mstep
	m := from - from%60
	for m < to {
		age := now.Sub(time.Unix(m, 0))
		var w int64 = 1
		switch {
		case age > retention1Hour:
			// Nothing is kept this long: skip to the first hour still retained.
			next := now.Add(-retention1Hour).Unix()
			next += (3600 - next%3600) % 3600
			if next <= m {
				next = m + 60
			}
			m = next
			continue
		case age > retention5Min:
			w = 60
		case age > retention1Min:
			w = 5
		}
		if m%(w*60) != 0 {
			w = 1
			if m%300 == 0 {
				w = 5
			}
		}
		end := m + w*60
		at := time.Unix(end, 0).Add(-time.Nanosecond).UTC()
		if at.After(now) {
			at = now
		}
		out = append(out, mstep{start: m, width: w, at: at})
		m = end
	}
	return out
}

// stepIndexAt returns the first step whose sample instant is not before t.
func stepIndexAt(steps []mstep, t time.Time) int {
	return sort.Search(len(steps), func(i int) bool { return !steps[i].at.Before(t) })
}

// ---- per-request evaluation ----------------------------------------------------------------------

// metricsEval evaluates series over one timeline for one caller. The world's read lock is
// held for its whole life.
type metricsEval struct {
	w     *World
	acct  *Account
	steps []mstep
	up    map[*LoadBalancer][][]bool // [zone][step]: the zone's node reaches a healthy target
	svc   *svcTraffic                // the service most recently aggregated
	// lbByDim indexes the caller's NLBs by dimension value (built on first use).
	lbByDim map[string]*LoadBalancer
}

func newMetricsEval(w *World, acct *Account, steps []mstep) *metricsEval {
	return &metricsEval{w: w, acct: acct, steps: steps, up: map[*LoadBalancer][][]bool{}}
}

// healthCounts counts tg's targets in zone az ("" = every zone) that were healthy /
// unhealthy at each step.
func (ev *metricsEval) healthCounts(tg *TargetGroup, az string, unhealthy bool) []float64 {
	out := make([]float64, len(ev.steps))
	for _, t := range tg.Targets {
		if az != "" && t.AZ != az {
			continue
		}
		h := t.History
		j := 0
		for i, st := range ev.steps {
			for j < len(h) && !h[j].At.After(st.at) {
				j++
			}
			var state string
			if j > 0 {
				state = h[j-1].State
			} else if len(h) == 0 && !t.RegisteredAt.After(st.at) {
				state = t.State // no history kept: assume the current state
			}
			if unhealthy {
				if state == TargetUnhealthy || state == TargetUnhealthyDraining {
					out[i]++
				}
			} else if state == TargetHealthy {
				out[i]++
			}
		}
	}
	return out
}

// zonesUp says, per zone of lb and step, whether the zone's node can reach a healthy target.
func (ev *metricsEval) zonesUp(lb *LoadBalancer) [][]bool {
	if up, ok := ev.up[lb]; ok {
		return up
	}
	up := make([][]bool, len(lb.Zones))
	for z := range up {
		up[z] = make([]bool, len(ev.steps))
	}
	if lb.State != LBProvisioning && lb.State != LBFailed {
		for _, tg := range lb.TargetGroups {
			cross := tg.CrossZoneEffective(lb)
			var any []float64
			if cross {
				any = make([]float64, len(ev.steps))
			}
			perZone := make([][]float64, len(lb.Zones))
			for z, zone := range lb.Zones {
				perZone[z] = ev.healthCounts(tg, zone.AZ, false)
				if cross {
					for i, v := range perZone[z] {
						any[i] += v
					}
				}
			}
			for z := range lb.Zones {
				for i := range ev.steps {
					if perZone[z][i] > 0 || (cross && any[i] > 0) {
						up[z][i] = true
					}
				}
			}
		}
	}
	ev.up[lb] = up
	return up
}

// epRoute is where one endpoint's traffic goes: a load balancer of its service and the
// zones (indices into lb.Zones) its interfaces sit in.
type epRoute struct {
	ep    *Endpoint
	lb    *LoadBalancer
	lbIdx int
	zones []int
	from  int // steps [from, to) are the ones the endpoint was available at
	to    int
}

func (ev *metricsEval) serviceLBs(svc *Service) []*LoadBalancer {
	arns := svc.NLBARNs
	if len(arns) == 0 {
		arns = svc.GWLBARNs
	}
	var out []*LoadBalancer
	for _, a := range arns {
		if lb := ev.w.LoadBalancer(a); lb != nil {
			out = append(out, lb)
		}
	}
	return out
}

// route resolves an endpoint's path; ok is false when it never carried traffic in the window.
func (ev *metricsEval) route(ep *Endpoint, lbs []*LoadBalancer) (epRoute, bool) {
	r := epRoute{ep: ep}
	if len(lbs) == 0 || ep.Service == nil {
		return r, false
	}
	from, to := ep.AvailableInterval()
	if from.IsZero() {
		return r, false
	}
	r.from = stepIndexAt(ev.steps, from)
	r.to = len(ev.steps)
	if !to.IsZero() {
		r.to = stepIndexAt(ev.steps, to)
	}
	if r.from >= r.to {
		return r, false
	}
	r.lbIdx = int(fnv64(ep.ID) % uint64(len(lbs)))
	r.lb = lbs[r.lbIdx]
	if ep.Region == ev.w.Region {
		owner := ev.w.Account(r.lb.OwnerID)
		for _, n := range ep.ENIs {
			name := ev.w.AZName(owner, n.AZID)
			for z := range r.lb.Zones {
				if r.lb.Zones[z].AZ == name {
					r.zones = append(r.zones, z)
				}
			}
		}
	}
	if len(r.zones) == 0 { // cross-region: spread over every zone of the load balancer
		for z := range r.lb.Zones {
			r.zones = append(r.zones, z)
		}
	}
	return r, len(r.zones) > 0
}

// contrib computes the endpoint's traffic at step i, split over its zones: out[k] is the
// share of zone r.zones[k]. The load balancer's zone health is applied. The split is in
// integers (zone shares add up to the whole exactly), rotated by the minute's hash so no
// zone is always the one that gets the remainder.
func (ev *metricsEval) contrib(r *epRoute, i int, up [][]bool, out *[8][nQ]float64) int {
	st := ev.steps[i]
	q, h := trafficAt(&r.ep.Traffic, st.start/60)
	k := min(len(r.zones), len(out))
	if k == 1 {
		out[0] = q
	} else {
		rot := int(h>>32) * k >> 32 // h's top bits scaled to [0, k) without a division
		fk, inv := float64(k), 1/float64(k)
		for x := 0; x < nQ; x++ {
			v := q[x]
			if v == 0 {
				for j := 0; j < k; j++ {
					out[j][x] = 0
				}
				continue
			}
			// base = ⌊v/k⌋ by a multiplication, corrected for rounding (v is an integer < 2^53).
			base := math.Floor(v * inv)
			if base*fk > v {
				base--
			} else if (base+1)*fk <= v {
				base++
			}
			rem := int(v - base*fk)
			j := rot + x
			for j >= k {
				j -= k
			}
			for jj := 0; jj < k; jj++ {
				out[jj][x] = base
			}
			for e := 0; e < rem; e++ {
				out[j][x]++
				if j++; j == k {
					j = 0
				}
			}
		}
	}
	for j := 0; j < k; j++ {
		if !up[r.zones[j]][i] {
			// No healthy target behind this zone's node: connections are reset.
			z := &out[j]
			z[qRstELB] = z[qNew]
			z[qActive], z[qBytes], z[qRstTarget] = 0, 0, 0
		}
	}
	return k
}

// svcTraffic is a service's traffic per step: in total, and (computed only when a query
// asks for a zone or load balancer breakdown) per (load balancer, zone) cell.
type svcTraffic struct {
	svc    *Service
	lbs    []*LoadBalancer
	routes []epRoute
	total  [nQ][]float64
	cells  [][][nQ][]float64 // [lb][zone][q][step]; nil until needed
	count  []float64         // endpoints available per step
	exists []bool            // the service existed at the step
}

// traffic aggregates svc's endpoints; withCells also fills the per-cell breakdown.
func (ev *metricsEval) traffic(svc *Service, withCells bool) *svcTraffic {
	t := ev.svc
	if t == nil || t.svc != svc {
		t = ev.serviceTotals(svc)
		ev.svc = t
	}
	if withCells && t.cells == nil {
		ev.serviceCells(t)
	}
	return t
}

// serviceTotals sums the service's traffic over zones. A step where every zone of an
// endpoint is up needs no zone split: only the rare steps with a dead zone pay for one.
func (ev *metricsEval) serviceTotals(svc *Service) *svcTraffic {
	n := len(ev.steps)
	t := &svcTraffic{svc: svc, lbs: ev.serviceLBs(svc), count: make([]float64, n), exists: make([]bool, n)}
	for i, st := range ev.steps {
		t.exists[i] = !svc.CreatedAt.After(st.at)
	}
	for q := 0; q < nQ; q++ {
		t.total[q] = make([]float64, n)
	}
	var buf [8][nQ]float64
	for _, ep := range svc.Endpoints {
		r, ok := ev.route(ep, t.lbs)
		if !ok {
			continue
		}
		t.routes = append(t.routes, r)
		up := ev.zonesUp(r.lb)
		for i := r.from; i < r.to; i++ {
			t.count[i]++
			allUp := true
			for _, z := range r.zones {
				if !up[z][i] {
					allUp = false
					break
				}
			}
			if allUp {
				q, _ := trafficAt(&r.ep.Traffic, ev.steps[i].start/60)
				for x := 0; x < nQ; x++ {
					t.total[x][i] += q[x]
				}
				continue
			}
			k := ev.contrib(&r, i, up, &buf)
			for j := 0; j < k; j++ {
				for x := 0; x < nQ; x++ {
					t.total[x][i] += buf[j][x]
				}
			}
		}
	}
	return t
}

func (ev *metricsEval) serviceCells(t *svcTraffic) {
	n := len(ev.steps)
	t.cells = make([][][nQ][]float64, len(t.lbs))
	for l, lb := range t.lbs {
		t.cells[l] = make([][nQ][]float64, len(lb.Zones))
		for z := range lb.Zones {
			for q := 0; q < nQ; q++ {
				t.cells[l][z][q] = make([]float64, n)
			}
		}
	}
	var buf [8][nQ]float64
	for ri := range t.routes {
		r := &t.routes[ri]
		up := ev.zonesUp(r.lb)
		cells := t.cells[r.lbIdx]
		for i := r.from; i < r.to; i++ {
			k := ev.contrib(r, i, up, &buf)
			for j := 0; j < k; j++ {
				c := &cells[r.zones[j]]
				for q := 0; q < nQ; q++ {
					c[q][i] += buf[j][q]
				}
			}
		}
	}
}

// totalValue is cellValue for the service totals.
func totalValue(c *[nQ][]float64, q, i int) float64 { return cellValue(c, q, i) }

// value of quantity q in a cell at step i (qRstAll = both kinds of resets).
func cellValue(c *[nQ][]float64, q, i int) float64 {
	switch q {
	case qRstAll:
		return c[qRstTarget][i] + c[qRstELB][i]
	case qZero:
		return 0
	}
	return c[q][i]
}

// ---- resolving a metric to a series -------------------------------------------------------------

// dimMap holds a query's dimensions by name.
type dimMap map[string]string

func (d dimMap) has(names ...string) bool {
	if len(d) != len(names) {
		return false
	}
	for _, n := range names {
		if _, ok := d[n]; !ok {
			return false
		}
	}
	return true
}

// series fills out (len = steps) with the metric's samples; NaN marks a step without data.
// unit is the metric's unit; found is false when the caller has no such metric.
func (ev *metricsEval) series(ns, name string, dims dimMap, out []float64) (unit string, found bool) {
	for i := range out {
		out[i] = math.NaN()
	}
	switch ns {
	case nsPLServices:
		return ev.plsSeries(name, dims, out)
	case nsPLEndpoints:
		return ev.pleSeries(name, dims, out)
	case nsNetworkELB:
		return ev.nlbSeries(name, dims, out)
	}
	return "", false
}

func (ev *metricsEval) ownService(id string) *Service {
	svc := ev.w.Service(id)
	if svc == nil || svc.OwnerID != ev.acct.ID {
		return nil
	}
	return svc
}

func (ev *metricsEval) plsSeries(name string, dims dimMap, out []float64) (string, bool) {
	svc := ev.ownService(dims[dimServiceID])
	if svc == nil {
		return "", false
	}
	if name == plsEndpointsCount.Name {
		if !dims.has(dimServiceID) {
			return "", false
		}
		t := ev.traffic(svc, false)
		for i := range out {
			if t.exists[i] {
				out[i] = t.count[i]
			}
		}
		return plsEndpointsCount.Unit, true
	}
	def, ok := findMetric(plsMetrics, name)
	if !ok {
		return "", false
	}
	switch {
	case dims.has(dimServiceID, dimEndpointID):
		ep := ev.w.Endpoint(dims[dimEndpointID])
		if ep == nil || ep.Service != svc {
			return "", false
		}
		ev.endpointSeries(ep, def.q, "", out)
		return def.Unit, true
	case dims.has(dimServiceID), dims.has(dimServiceID, dimAz), dims.has(dimServiceID, dimLBArn), dims.has(dimServiceID, dimAz, dimLBArn):
	default:
		return "", false
	}
	az, wantAZ := dims[dimAz]
	lbARN, wantLB := dims[dimLBArn]
	t := ev.traffic(svc, wantAZ || wantLB)
	if wantAZ && !metricsHas(svc.AZs, az) {
		return "", false
	}
	if wantLB && !metricsHas(svc.NLBARNs, lbARN) && !metricsHas(svc.GWLBARNs, lbARN) {
		return "", false
	}
	if !wantAZ && !wantLB {
		for i := range out {
			if t.exists[i] {
				out[i] = totalValue(&t.total, def.q, i)
			}
		}
		return def.Unit, true
	}
	for i := range out {
		if t.exists[i] {
			out[i] = 0
		}
	}
	for l, lb := range t.lbs {
		if wantLB && lb.ARN != lbARN {
			continue
		}
		for z := range lb.Zones {
			if wantAZ && lb.Zones[z].AZ != az {
				continue
			}
			c := &t.cells[l][z]
			for i := range out {
				if t.exists[i] {
					out[i] += cellValue(c, def.q, i)
				}
			}
		}
	}
	return def.Unit, true
}

// endpointSeries is one endpoint's share of a quantity: in every zone, or in zone az only.
func (ev *metricsEval) endpointSeries(ep *Endpoint, q int, az string, out []float64) {
	svc := ep.Service
	if svc == nil || ev.w.Service(svc.ID) != svc {
		return
	}
	r, ok := ev.route(ep, ev.serviceLBs(svc))
	if !ok {
		return
	}
	up := ev.zonesUp(r.lb)
	var buf [8][nQ]float64
	for i := r.from; i < r.to; i++ {
		k := ev.contrib(&r, i, up, &buf)
		v := 0.0
		for j := 0; j < k; j++ {
			if az != "" && r.lb.Zones[r.zones[j]].AZ != az {
				continue
			}
			switch q {
			case qRstAll:
				v += buf[j][qRstTarget] + buf[j][qRstELB]
			case qZero:
			default:
				v += buf[j][q]
			}
		}
		out[i] = v
	}
}

func (ev *metricsEval) pleSeries(name string, dims dimMap, out []float64) (string, bool) {
	def, ok := findMetric(pleMetrics, name)
	if !ok {
		return "", false
	}
	if !dims.has(dimEndpointType, dimServiceName, dimEndpointID, dimVpcID) &&
		!dims.has(dimEndpointType, dimServiceName, dimEndpointID, dimVpcID, dimSubnetID) {
		return "", false
	}
	ep := ev.w.Endpoint(dims[dimEndpointID])
	if ep == nil || ep.OwnerID != ev.acct.ID || ep.Region != ev.w.Region || ep.Service == nil ||
		dims[dimEndpointType] != ep.Type || dims[dimServiceName] != ep.ServiceName || dims[dimVpcID] != ep.VpcID {
		return "", false
	}
	az := ""
	if sn, ok := dims[dimSubnetID]; ok {
		var eni *ENI
		for i := range ep.ENIs {
			if ep.ENIs[i].SubnetID == sn {
				eni = &ep.ENIs[i]
			}
		}
		if eni == nil {
			return "", false
		}
		// The zone, in the load balancer owner's names, this subnet's interface feeds.
		az = ev.w.AZName(ev.w.Account(ep.Service.OwnerID), eni.AZID)
		if az == "" {
			return "", false
		}
	}
	ev.endpointSeries(ep, def.q, az, out)
	return def.Unit, true
}

// ownLB finds the caller's NLB by its metric dimension value ("net/<name>/<id>").
func (ev *metricsEval) ownLB(dimValue string) *LoadBalancer {
	if ev.lbByDim == nil {
		ev.lbByDim = map[string]*LoadBalancer{}
		for _, lb := range ev.w.LoadBalancerList {
			if lb.OwnerID == ev.acct.ID && lb.Type == LBTypeNetwork {
				ev.lbByDim[lbDimensionValue(lb.ARN)] = lb
			}
		}
	}
	return ev.lbByDim[dimValue]
}

func (ev *metricsEval) nlbSeries(name string, dims dimMap, out []float64) (string, bool) {
	lb := ev.ownLB(dims[dimLoadBalancer])
	if lb == nil {
		return "", false
	}
	az, wantAZ := dims[dimAZ]
	if wantAZ && lb.Zone(az) == nil {
		return "", false
	}
	exists := func(i int) bool { return !lb.CreatedAt.After(ev.steps[i].at) }
	if def, ok := findMetric(nlbHostMetrics, name); ok {
		if !dims.has(dimLoadBalancer, dimTargetGroup) && !dims.has(dimLoadBalancer, dimTargetGroup, dimAZ) {
			return "", false
		}
		var tg *TargetGroup
		for _, g := range lb.TargetGroups {
			if tgDimensionValue(g.ARN) == dims[dimTargetGroup] {
				tg = g
			}
		}
		if tg == nil {
			return "", false
		}
		counts := ev.healthCounts(tg, az, def.q == qUnhealthy)
		for i := range out {
			if exists(i) {
				out[i] = counts[i]
			}
		}
		return def.Unit, true
	}
	def, ok := findMetric(nlbFlowMetrics, name)
	if !ok || (!dims.has(dimLoadBalancer) && !dims.has(dimLoadBalancer, dimAZ)) {
		return "", false
	}
	if def.q == qPortErrors {
		ev.portErrorSeries(lb, az, exists, out)
		return def.Unit, true
	}
	for i := range out {
		if exists(i) {
			out[i] = 0
		}
	}
	svc := ev.w.Service(lb.ServiceID)
	if svc == nil {
		return def.Unit, true
	}
	if len(ev.serviceLBs(svc)) == 1 && !wantAZ {
		t := ev.traffic(svc, false)
		for i := range out {
			if exists(i) {
				out[i] = 0
				if t.lbs[0] == lb {
					out[i] = totalValue(&t.total, def.q, i)
				}
			}
		}
		return def.Unit, true
	}
	t := ev.traffic(svc, true)
	for l, b := range t.lbs {
		if b != lb {
			continue
		}
		for z := range b.Zones {
			if wantAZ && b.Zones[z].AZ != az {
				continue
			}
			c := &t.cells[l][z]
			for i := range out {
				if exists(i) {
					out[i] += cellValue(c, def.q, i)
				}
			}
		}
	}
	return def.Unit, true
}

// ---- catalog (ListMetrics) ---------------------------------------------------------------------

// catalogMetric is one metric of the catalog; Dims is sorted by name and only valid during
// the callback.
type catalogMetric struct {
	Namespace string
	Name      string
	Dims      []cwDimension
}

// cwDimension is a CloudWatch dimension.
type cwDimension struct {
	Name  string
	Value string
}

// eachMetric enumerates, in a stable order, every metric the account has published data for
// since `since`, within namespace ns ("" = all). fn returns false to stop.
func eachMetric(w *World, acct *Account, ns string, since time.Time, fn func(catalogMetric) bool) {
	var dims [5]cwDimension
	emit := func(namespace string, defs []metricDef, d []cwDimension) bool {
		for _, def := range defs {
			if !fn(catalogMetric{Namespace: namespace, Name: def.Name, Dims: d}) {
				return false
			}
		}
		return true
	}
	recent := func(ep *Endpoint) bool {
		from, to := ep.AvailableInterval()
		return !from.IsZero() && (to.IsZero() || to.After(since))
	}
	if ns == "" || ns == nsNetworkELB {
		for _, lb := range w.LoadBalancerList {
			if lb.OwnerID != acct.ID || lb.Type != LBTypeNetwork {
				continue
			}
			lbv := lbDimensionValue(lb.ARN)
			dims[0] = cwDimension{dimLoadBalancer, lbv}
			if !emit(nsNetworkELB, nlbFlowMetrics, dims[:1]) {
				return
			}
			for _, z := range lb.Zones {
				dims[0], dims[1] = cwDimension{dimAZ, z.AZ}, cwDimension{dimLoadBalancer, lbv}
				if !emit(nsNetworkELB, nlbFlowMetrics, dims[:2]) {
					return
				}
			}
			for _, tg := range lb.TargetGroups {
				tgv := tgDimensionValue(tg.ARN)
				dims[0], dims[1] = cwDimension{dimLoadBalancer, lbv}, cwDimension{dimTargetGroup, tgv}
				if !emit(nsNetworkELB, nlbHostMetrics, dims[:2]) {
					return
				}
				for _, z := range lb.Zones {
					dims[0], dims[1], dims[2] = cwDimension{dimAZ, z.AZ}, cwDimension{dimLoadBalancer, lbv}, cwDimension{dimTargetGroup, tgv}
					if !emit(nsNetworkELB, nlbHostMetrics, dims[:3]) {
						return
					}
				}
			}
		}
	}
	if ns == "" || ns == nsPLServices {
		for _, svc := range w.ServiceList {
			if svc.OwnerID != acct.ID {
				continue
			}
			sid := cwDimension{dimServiceID, svc.ID}
			dims[0] = sid
			if !emit(nsPLServices, append(plsMetrics[:len(plsMetrics):len(plsMetrics)], plsEndpointsCount), dims[:1]) {
				return
			}
			for _, az := range svc.AZs {
				dims[0], dims[1] = cwDimension{dimAz, az}, sid
				if !emit(nsPLServices, plsMetrics, dims[:2]) {
					return
				}
			}
			lbs := svc.LoadBalancerARNs()
			for _, a := range lbs {
				dims[0], dims[1] = cwDimension{dimLBArn, a}, sid
				if !emit(nsPLServices, plsMetrics, dims[:2]) {
					return
				}
			}
			for _, a := range lbs {
				lb := w.LoadBalancer(a)
				if lb == nil {
					continue
				}
				for _, z := range lb.Zones {
					dims[0], dims[1], dims[2] = cwDimension{dimAz, z.AZ}, cwDimension{dimLBArn, a}, sid
					if !emit(nsPLServices, plsMetrics, dims[:3]) {
						return
					}
				}
			}
			for _, ep := range svc.Endpoints {
				if !recent(ep) {
					continue
				}
				dims[0], dims[1] = sid, cwDimension{dimEndpointID, ep.ID}
				if !emit(nsPLServices, plsMetrics, dims[:2]) {
					return
				}
			}
		}
	}
	if ns == "" || ns == nsPLEndpoints {
		for _, ep := range acct.Endpoints {
			if ep.Region != w.Region || ep.Service == nil || !recent(ep) {
				continue
			}
			dims[0] = cwDimension{dimEndpointType, ep.Type}
			dims[1] = cwDimension{dimServiceName, ep.ServiceName}
			dims[2] = cwDimension{dimEndpointID, ep.ID}
			dims[3] = cwDimension{dimVpcID, ep.VpcID}
			if !emit(nsPLEndpoints, pleMetrics, dims[:4]) {
				return
			}
			for _, sn := range ep.SubnetIDs {
				// Sorted by name: Endpoint Type, Service Name, Subnet Id, VPC Endpoint Id, VPC Id.
				d := [5]cwDimension{dims[0], dims[1], {dimSubnetID, sn}, dims[2], dims[3]}
				if !emit(nsPLEndpoints, pleMetrics, d[:]) {
					return
				}
			}
		}
	}
}

func metricsHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// portErrorSeries is PortAllocationErrorCount of lb (in zone az, "" for every zone): per
// zone and step, the zone's concurrent connections spread over the healthy targets that
// serve it (every zone's with cross-zone load balancing); past 95% of PortLimit per target
// a growing share of the zone's new connections fails, all of them at the limit.
func (ev *metricsEval) portErrorSeries(lb *LoadBalancer, az string, exists func(int) bool, out []float64) {
	for i := range out {
		if exists(i) {
			out[i] = 0
		}
	}
	svc := ev.w.Service(lb.ServiceID)
	if svc == nil {
		return
	}
	t := ev.traffic(svc, true)
	l := slices.Index(t.lbs, lb)
	if l < 0 {
		return
	}
	// healthy[z][i]: targets of every group healthy in zone z at step i
	healthy := make([][]float64, len(lb.Zones))
	cross := false
	for z, zone := range lb.Zones {
		healthy[z] = make([]float64, len(ev.steps))
		for _, tg := range lb.TargetGroups {
			cross = cross || tg.CrossZoneEffective(lb)
			for i, n := range ev.healthCounts(tg, zone.AZ, false) {
				healthy[z][i] += n
			}
		}
	}
	for z, zone := range lb.Zones {
		if az != "" && zone.AZ != az {
			continue
		}
		c := &t.cells[l][z]
		for i := range out {
			if !exists(i) {
				continue
			}
			active, targets := c[qActive][i], healthy[z][i]
			if cross {
				active, targets = 0, 0
				for zz := range lb.Zones {
					active += t.cells[l][zz][qActive][i]
					targets += healthy[zz][i]
				}
			}
			if targets == 0 {
				continue // the zone resets its connections instead (TCP_ELB_Reset_Count)
			}
			per := active / targets
			share := (per - 0.95*PortLimit) / (0.05 * PortLimit)
			if share <= 0 {
				continue
			}
			out[i] += math.Floor(c[qNew][i] * min(share, 1))
		}
	}
}
