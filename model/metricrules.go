package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Finding codes of the rules over CloudWatch metrics (and the age of pending requests).
const (
	CodeUnhealthyHostsAZ  = "UNHEALTHY_HOSTS_IN_AZ"
	CodeResetsRising      = "RESETS_RISING"
	CodePortAllocation    = "PORT_ALLOCATION_ERRORS"
	CodeNoTraffic         = "NO_TRAFFIC"
	CodeConsumerSilent    = "CONSUMER_TRAFFIC_STOPPED"
	CodePendingTooOld     = "PENDING_TOO_OLD"
	DefaultPendingMaxAge  = 24 * time.Hour
	DefaultMinResetRate   = 5.0 // resets per minute below which a rise is noise
	DefaultResetRiseRatio = 2.0
	// SilentFor is how long a consumer must have sent nothing to count as gone silent.
	SilentFor = 15 * time.Minute
)

// ZoneHosts is one target group's host counts in one zone of a load balancer
// (AWS/NetworkELB HealthyHostCount Minimum and UnHealthyHostCount Maximum).
type ZoneHosts struct {
	LoadBalancer string // ARN
	TargetGroup  string // ARN
	AZ           string // the provider's zone name (the AvailabilityZone dimension)
	Healthy      MetricSeries
	Unhealthy    MetricSeries
}

// ServiceMetrics is what the metric rules read about one service over one window. A series
// that was not read is left empty; the rules that need it then say nothing.
type ServiceMetrics struct {
	Start, End time.Time
	Period     time.Duration
	// Loaded says the read succeeded: without it the rules say nothing (no data is not
	// evidence of no traffic).
	Loaded bool
	// Bytes and Resets are AWS/PrivateLinkServices BytesProcessed and RstPacketsSent, Sum,
	// by {Service Id}.
	Bytes  MetricSeries
	Resets MetricSeries
	// TargetResets and PortErrors are AWS/NetworkELB TCP_Target_Reset_Count and
	// PortAllocationErrorCount, Sum, by load balancer ARN.
	TargetResets map[string]MetricSeries
	PortErrors   map[string]MetricSeries
	Hosts        []ZoneHosts
	// EndpointBytes is BytesProcessed, Sum, by {Service Id, VPC Endpoint Id}: endpoint id →
	// series.
	EndpointBytes map[string]MetricSeries
}

// MetricRuleOptions tunes DiagnoseMetrics; the zero value takes the defaults.
type MetricRuleOptions struct {
	Now          time.Time
	MinResetRate float64 // per minute; default 5
	RiseRatio    float64 // default 2
}

// DiagnoseMetrics applies the rules over a service's metrics and connections: unhealthy
// hosts in a zone, rising resets, port allocation errors, no traffic at all, and a consumer
// whose traffic stopped while its connection stayed available. (Requests left waiting are
// Diagnose's: they need no metrics.)
// Findings come worst first, each with the numbers behind it in Evidence.
func DiagnoseMetrics(svc EndpointService, lbs []LoadBalancer, conns []Connection, m ServiceMetrics, opts MetricRuleOptions) []Finding {
	if opts.MinResetRate <= 0 {
		opts.MinResetRate = DefaultMinResetRate
	}
	if opts.RiseRatio <= 1 {
		opts.RiseRatio = DefaultResetRiseRatio
	}
	mine := ofService(svc, conns)
	var out []Finding
	if m.Loaded && m.Period > 0 {
		out = append(out, unhealthyHosts(lbs, m)...)
		out = append(out, resetsRising("RstPacketsSent", "", m.Resets, m, opts)...)
		for _, arn := range keysOf(m.TargetResets) {
			out = append(out, resetsRising("TCP_Target_Reset_Count", arn, m.TargetResets[arn], m, opts)...)
		}
		out = append(out, portErrors(m)...)
		out = append(out, noTraffic(svc, mine, m)...)
		out = append(out, consumersSilent(mine, m)...)
	}
	SortFindings(out)
	return out
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func windowText(m ServiceMetrics) string { return "the last " + HumanDuration(m.End.Sub(m.Start)) }

// HumanDuration writes a duration the way people say it: "45s", "15 min", "3h", "2h30m", "7d".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func pendingTooOld(conns []Connection, opts DiagnoseOptions) []Finding {
	if opts.Now.IsZero() {
		return nil
	}
	// counted and the oldest found in one pass: a fleet has thousands of requests, and this
	// runs for every service whenever the connections change
	n, at := 0, -1
	for i := range conns {
		c := &conns[i]
		if c.State == StatePendingAcceptance && !c.Created.IsZero() && opts.Now.Sub(c.Created) > opts.PendingMaxAge {
			n++
			if at < 0 || c.Created.Before(conns[at].Created) {
				at = i
			}
		}
	}
	if n == 0 {
		return nil
	}
	oldest := conns[at]
	return []Finding{{
		Severity: SeverityWarning, Code: CodePendingTooOld,
		Title: fmt.Sprintf("%s waiting longer than %s", plural(n, "connection request"), HumanDuration(opts.PendingMaxAge)),
		Detail: fmt.Sprintf("The oldest, %s from account %s, has waited %s. A consumer waiting for an answer cannot send traffic, and an unanswered request eventually expires.",
			oldest.EndpointID, oldest.OwnerAccount, HumanDuration(opts.Now.Sub(oldest.Created))),
		Evidence: fmt.Sprintf("%d pendingAcceptance older than %s; oldest requested %s", n, HumanDuration(opts.PendingMaxAge), oldest.Created.UTC().Format("2006-01-02 15:04 MST")),
		Fix:      "Review the requests in the connections inbox and accept or reject them (mark with space, then a / x).",
	}}
}

// lbZoneID finds the id of a provider zone name among the load balancers' zones.
func lbZoneID(lbs []LoadBalancer, name string) string {
	for _, lb := range lbs {
		for _, z := range lb.AvailabilityZones {
			if z.Name == name {
				return z.ID
			}
		}
	}
	return ""
}

func unhealthyHosts(lbs []LoadBalancer, m ServiceMetrics) []Finding {
	var out []Finding
	for _, h := range m.Hosts {
		un := h.Unhealthy.Stats()
		if un.Points == 0 || un.Last <= 0 {
			continue
		}
		healthy := h.Healthy.Stats()
		z := LBZone{Name: h.AZ, ID: lbZoneID(lbs, h.AZ)}
		lbName := lbLabel(LoadBalancer{ARN: h.LoadBalancer})
		tg := tgLabel(TargetGroup{ARN: h.TargetGroup})
		if p, err := ParseARN(h.TargetGroup); err == nil {
			if _, rest, ok := strings.Cut(p.Resource, "/"); ok {
				tg, _, _ = strings.Cut(rest, "/")
			}
		}
		f := Finding{
			Code: CodeUnhealthyHostsAZ, Resource: h.AZ,
			Title:    fmt.Sprintf("Unhealthy hosts in %s, target group %s", zoneLabel(z), tg),
			Evidence: fmt.Sprintf("UnHealthyHostCount %s, HealthyHostCount %s in %s for %s, latest %s", HumanNumber(un.Last), HumanNumber(healthy.Last), h.AZ, tg, un.End.UTC().Format("15:04 MST")),
			Fix:      "Look at the targets' health reasons on the Load balancers tab; fix the targets or the health check (security groups must allow the NLB's health checks).",
		}
		if healthy.Points > 0 && healthy.Last == 0 {
			f.Severity = SeverityCritical
			f.Detail = fmt.Sprintf("%s has no healthy host in %s for %s: connections from consumer endpoints in that zone fail unless cross-zone load balancing sends them elsewhere.", lbName, zoneLabel(z), tg)
		} else {
			f.Severity = SeverityWarning
			f.Detail = fmt.Sprintf("%s has %s unhealthy host(s) in %s for %s; the zone runs on fewer targets than it should.", lbName, HumanNumber(un.Last), zoneLabel(z), tg)
		}
		out = append(out, f)
	}
	return out
}

// rise compares the newest quarter of a window with its first half: the mean per-minute
// rate in each (periods without a datapoint count as 0, as CloudWatch leaves out periods in
// which nothing happened).
func rise(s MetricSeries, m ServiceMetrics) (recent, before float64, ok bool) {
	n := Datapoints(m.Start, m.End, m.Period)
	if n < 4 {
		return 0, 0, false
	}
	vals := FillSeries(s, m.Start, m.End, m.Period, UnitPerMinute, 0)
	q := max(n/4, 1)
	half := n / 2
	for _, v := range vals[n-q:] {
		recent += v
	}
	for _, v := range vals[:half] {
		before += v
	}
	return recent / float64(q), before / float64(half), true
}

func resetsRising(metric, lbARN string, s MetricSeries, m ServiceMetrics, opts MetricRuleOptions) []Finding {
	recent, before, ok := rise(s, m)
	if !ok || recent < opts.MinResetRate || recent < opts.RiseRatio*before {
		return nil
	}
	quarter := HumanDuration(m.End.Sub(m.Start) / 4)
	where, who := "the service's endpoints", "consumers"
	fix := "Check the targets' logs for connections they close or refuse, and the load balancer's zones for one without a healthy target (the load balancer resets connections it cannot route)."
	if lbARN != "" {
		where = lbLabel(LoadBalancer{ARN: lbARN}) + "'s targets"
		who = "clients"
		fix = "Targets are resetting connections: check their logs, connection limits and idle timeouts (NLB's TCP idle timeout is 350 s)."
	}
	return []Finding{{
		Severity: SeverityWarning, Code: CodeResetsRising, Resource: cmp.Or(lbARN, metric),
		Title:    fmt.Sprintf("%s rising", metric),
		Detail:   fmt.Sprintf("Resets from %s rose to %s in the last %s, from %s in the first half of %s: %s see connections cut.", where, UnitPerMinute.Format(recent), quarter, UnitPerMinute.Format(before), windowText(m), who),
		Evidence: fmt.Sprintf("%s %s (last %s) vs %s (first half of the window)", metric, UnitPerMinute.Format(recent), quarter, UnitPerMinute.Format(before)),
		Fix:      fix,
	}}
}

func portErrors(m ServiceMetrics) []Finding {
	var out []Finding
	for _, arn := range keysOf(m.PortErrors) {
		st := m.PortErrors[arn].Stats()
		if st.Sum <= 0 {
			continue
		}
		out = append(out, Finding{
			Severity: SeverityCritical, Code: CodePortAllocation, Resource: arn,
			Title:    "Port allocation errors on " + lbLabel(LoadBalancer{ARN: arn}),
			Detail:   fmt.Sprintf("%s could not allocate a source port for %s new connection(s) in %s: a target has close to 55,000 concurrent connections from the load balancer, and further connections to it fail.", lbLabel(LoadBalancer{ARN: arn}), HumanNumber(st.Sum), windowText(m)),
			Evidence: fmt.Sprintf("PortAllocationErrorCount %s in %s, peak %s in one period, latest %s", HumanNumber(st.Sum), windowText(m), HumanNumber(st.Max), st.End.UTC().Format("15:04 MST")),
			Fix:      "Register more targets (or more IP addresses per target) so each carries fewer concurrent connections, or have clients reuse connections.",
		})
	}
	return out
}

func noTraffic(svc EndpointService, conns []Connection, m ServiceMetrics) []Finding {
	n := 0
	for _, c := range conns {
		if c.State == StateAvailable && !c.Created.IsZero() && c.Created.Before(m.Start) {
			n++
		}
	}
	if n == 0 || m.Bytes.Stats().Sum > 0 {
		return nil
	}
	return []Finding{{
		Severity: SeverityWarning, Code: CodeNoTraffic,
		Title:    "No traffic in " + windowText(m),
		Detail:   fmt.Sprintf("%s has %d available connection(s) older than the window, but processed no bytes in %s: consumers are connected but nothing reaches the service, or nobody uses it.", svc.Label(), n, windowText(m)),
		Evidence: fmt.Sprintf("BytesProcessed 0 B in %s; %d available connection(s)", windowText(m), n),
		Fix:      "Ask a consumer to test a connection; check the load balancer's listeners and target health, and whether the NLB's security groups drop PrivateLink traffic.",
	}}
}

func consumersSilent(conns []Connection, m ServiceMetrics) []Finding {
	n := Datapoints(m.Start, m.End, m.Period)
	if n < 4 || len(m.EndpointBytes) == 0 {
		return nil
	}
	// silent: nothing in at least the last SilentFor (and three periods), traffic before
	q := max(int((SilentFor+m.Period-1)/m.Period), 3)
	if q >= n {
		return nil
	}
	var out []Finding
	for _, c := range conns {
		s, ok := m.EndpointBytes[c.EndpointID]
		if c.State != StateAvailable || !ok {
			continue
		}
		vals := FillSeries(s, m.Start, m.End, m.Period, UnitCount, 0)
		var before, after float64
		for _, v := range vals[:n-q] {
			before += v
		}
		for _, v := range vals[n-q:] {
			after += v
		}
		if before <= 0 || after > 0 {
			continue
		}
		last := time.Time{}
		for i, v := range vals {
			if v > 0 {
				last = m.Start.Add(time.Duration(i+1) * m.Period)
			}
		}
		out = append(out, Finding{
			Severity: SeverityWarning, Code: CodeConsumerSilent, Resource: c.EndpointID, Account: c.OwnerAccount,
			Title:    fmt.Sprintf("Traffic from %s stopped", c.EndpointID),
			Detail:   fmt.Sprintf("Account %s's endpoint %s sent %s earlier in %s and nothing since %s, though its connection is still available: the consumer may be failing to reach the service.", c.OwnerAccount, c.EndpointID, HumanBytes(before), windowText(m), last.UTC().Format("15:04 MST")),
			Evidence: fmt.Sprintf("BytesProcessed %s before %s, 0 B since; state %s", HumanBytes(before), last.UTC().Format("15:04 MST"), c.State),
			Fix:      "Contact the consumer; check the zones its endpoint uses for unhealthy targets and its security groups.",
		})
	}
	return out
}

// Affected is one consumer a zone's trouble reaches: a connection whose endpoint has (Yes)
// or may have (Maybe) a network interface in the zone, with the traffic it carried.
type Affected struct {
	Connection Connection
	In         Tristate
	Bytes      float64 // BytesProcessed over the window (0 when unknown)
	Zones      []EndpointZone
}

// AffectedList is a blast radius, most important first.
type AffectedList []Affected

// String names the consumers: "vpce-0a1 (111122223333), vpce-0b2 (444455556666)?" (a
// question mark where the endpoint may not be in the zone).
func (l AffectedList) String() string {
	parts := make([]string, len(l))
	for i, a := range l {
		parts[i] = a.Connection.EndpointID + " (" + a.Connection.OwnerAccount + ")"
		if a.In == Maybe {
			parts[i] += "?"
		}
	}
	return strings.Join(parts, ", ")
}

// BlastRadius lists the available connections whose endpoints have a network interface in
// the service's zone zoneID, the customers to call first: certain ones before possible ones,
// then by traffic (most first), then by endpoint id. traffic maps endpoint ids to bytes over
// the window; maps holds the zone maps of accounts the console knows.
func BlastRadius(zoneID string, svc EndpointService, region string, conns []Connection, maps map[string]ZoneIndex, traffic map[string]float64) AffectedList {
	var out AffectedList
	zones := 0
	for _, z := range svc.AvailabilityZones {
		if AZRegion(z) == region || region == "" || AZRegion(z) == "" {
			zones++
		}
	}
	for _, c := range conns {
		if c.State != StateAvailable || (svc.ID != "" && c.ServiceID != svc.ID) {
			continue
		}
		zs := EndpointZones(c, maps)
		in := InZone(zs, zoneID, zones, region)
		if in == No {
			continue
		}
		out = append(out, Affected{Connection: c, In: in, Bytes: traffic[c.EndpointID], Zones: zs})
	}
	slices.SortFunc(out, func(a, b Affected) int {
		return cmp.Or(cmp.Compare(a.In, b.In), -cmp.Compare(a.Bytes, b.Bytes), strings.Compare(a.Connection.EndpointID, b.Connection.EndpointID))
	})
	return out
}

// AttachBlastRadius fills Affected on the findings about a zone (no healthy target, unhealthy
// hosts), whose Resource is the provider's zone name.
func AttachBlastRadius(fs []Finding, svc EndpointService, region string, lbs []LoadBalancer, conns []Connection, maps map[string]ZoneIndex, traffic map[string]float64) {
	for i := range fs {
		f := &fs[i]
		if f.Code != CodeAZNoHealthyTarget && f.Code != CodeUnhealthyHostsAZ {
			continue
		}
		id := lbZoneID(lbs, f.Resource)
		if id == "" && IsAZID(f.Resource) {
			id = f.Resource
		}
		if id == "" {
			continue
		}
		f.Affected = BlastRadius(id, svc, region, conns, maps, traffic)
	}
}
