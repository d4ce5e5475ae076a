package model

import (
	"slices"
	"strconv"
)

// The fleet's metric read: for every service the series its findings rest on, in one
// request (awsops batches 500 queries a GetMetricData call). The console reads it on the
// CloudWatch budget's cadence; plconsole get findings reads it once. Both build it here and
// put the answer back together here, so they find the same things.

// FleetWindow is the window the fleet's metric findings look at.
var FleetWindow = MetricWindows[1] // 3h

// FleetEndpointLimit is how many available connections the fleet read covers one by one
// (for the consumer-gone-silent rule); a larger fleet leaves them out.
const FleetEndpointLimit = 200

// FleetQueryKind is what one query of the fleet read asks for.
type FleetQueryKind int

const (
	FleetBytes         FleetQueryKind = iota // a service's BytesProcessed
	FleetResets                              // a service's RstPacketsSent
	FleetActive                              // a service's ActiveConnections
	FleetTargetResets                        // a network load balancer's TCP_Target_Reset_Count
	FleetPortErrors                          // a network load balancer's PortAllocationErrorCount
	FleetHealthy                             // a target group's HealthyHostCount in a zone
	FleetUnhealthy                           // a target group's UnHealthyHostCount in a zone
	FleetEndpointBytes                       // one endpoint's BytesProcessed
)

// FleetQuery says what one query of the fleet read is about.
type FleetQuery struct {
	Kind         FleetQueryKind
	Service      string // service id
	LoadBalancer string // ARN
	TargetGroup  string // ARN
	AZ           string
	Endpoint     string // endpoint id
}

// FleetInput is what the fleet read is built from: the services, their load balancers by
// ARN, and each service's connections (whose available endpoints are read one by one when
// there are at most EndpointLimit of them in the fleet).
type FleetInput struct {
	Services      []EndpointService
	LoadBalancers map[string]LoadBalancer
	Connections   map[string][]Connection // by service id
	EndpointLimit int
}

// FleetMetricQueries builds the fleet read: per service its bytes, resets and active
// connections; per network load balancer its target resets and port allocation errors; per
// target group and zone its healthy and unhealthy hosts; per available connection (small
// fleets only) its bytes. about[i] says what qs[i] is for.
func FleetMetricQueries(in FleetInput) (qs []MetricQuery, about []FleetQuery) {
	add := func(fq FleetQuery, ns, metric, stat string, dims ...Dimension) {
		qs = append(qs, MetricQuery{ID: "f" + strconv.Itoa(len(qs)), Namespace: ns, Metric: metric, Stat: stat, Dimensions: dims})
		about = append(about, fq)
	}
	avail := 0
	for _, cs := range in.Connections {
		for _, c := range cs {
			if c.State == StateAvailable {
				avail++
			}
		}
	}
	for _, svc := range in.Services {
		sid := Dimension{Name: DimServiceID, Value: svc.ID}
		add(FleetQuery{Kind: FleetBytes, Service: svc.ID}, NamespacePrivateLinkServices, "BytesProcessed", "Sum", sid)
		add(FleetQuery{Kind: FleetResets, Service: svc.ID}, NamespacePrivateLinkServices, "RstPacketsSent", "Sum", sid)
		add(FleetQuery{Kind: FleetActive, Service: svc.ID}, NamespacePrivateLinkServices, "ActiveConnections", "Average", sid)
		for _, arn := range svc.NetworkLoadBalancers {
			lbd := Dimension{Name: DimLoadBalancer, Value: LoadBalancerDimension(arn)}
			add(FleetQuery{Kind: FleetTargetResets, Service: svc.ID, LoadBalancer: arn}, NamespaceNetworkELB, "TCP_Target_Reset_Count", "Sum", lbd)
			add(FleetQuery{Kind: FleetPortErrors, Service: svc.ID, LoadBalancer: arn}, NamespaceNetworkELB, "PortAllocationErrorCount", "Sum", lbd)
			lb, ok := in.LoadBalancers[arn]
			if !ok {
				continue
			}
			for _, tg := range lb.TargetGroups {
				tgd := Dimension{Name: DimTargetGroup, Value: TargetGroupDimension(tg.ARN)}
				for _, z := range lb.AvailabilityZones {
					azd := Dimension{Name: DimNLBAZ, Value: z.Name}
					fq := FleetQuery{Service: svc.ID, LoadBalancer: arn, TargetGroup: tg.ARN, AZ: z.Name}
					fq.Kind = FleetHealthy
					add(fq, NamespaceNetworkELB, "HealthyHostCount", "Minimum", lbd, tgd, azd)
					fq.Kind = FleetUnhealthy
					add(fq, NamespaceNetworkELB, "UnHealthyHostCount", "Maximum", lbd, tgd, azd)
				}
			}
		}
		if avail <= in.EndpointLimit {
			for _, c := range in.Connections[svc.ID] {
				if c.State == StateAvailable {
					add(FleetQuery{Kind: FleetEndpointBytes, Service: svc.ID, Endpoint: c.EndpointID}, NamespacePrivateLinkServices, "BytesProcessed", "Sum",
						sid, Dimension{Name: DimEndpointID, Value: c.EndpointID})
				}
			}
		}
	}
	return qs, about
}

// AssembleFleetMetrics puts a fleet read's answer together: each service's metrics (what
// DiagnoseMetrics reads) and its ActiveConnections series. series[i] answers about[i].
func AssembleFleetMetrics(req MetricRequest, about []FleetQuery, series []MetricSeries) (map[string]*ServiceMetrics, map[string]MetricSeries) {
	services := map[string]*ServiceMetrics{}
	active := map[string]MetricSeries{}
	for i, fq := range about {
		if i >= len(series) {
			break
		}
		s := series[i]
		m := services[fq.Service]
		if m == nil {
			m = &ServiceMetrics{Start: req.Start, End: req.End, Period: req.Period, Loaded: true,
				TargetResets: map[string]MetricSeries{}, PortErrors: map[string]MetricSeries{}}
			services[fq.Service] = m
		}
		switch fq.Kind {
		case FleetBytes:
			m.Bytes = s
		case FleetResets:
			m.Resets = s
		case FleetActive:
			active[fq.Service] = s
		case FleetTargetResets:
			m.TargetResets[fq.LoadBalancer] = s
		case FleetPortErrors:
			m.PortErrors[fq.LoadBalancer] = s
		case FleetHealthy, FleetUnhealthy:
			at := slices.IndexFunc(m.Hosts, func(h ZoneHosts) bool {
				return h.LoadBalancer == fq.LoadBalancer && h.TargetGroup == fq.TargetGroup && h.AZ == fq.AZ
			})
			if at < 0 {
				m.Hosts = append(m.Hosts, ZoneHosts{LoadBalancer: fq.LoadBalancer, TargetGroup: fq.TargetGroup, AZ: fq.AZ})
				at = len(m.Hosts) - 1
			}
			if fq.Kind == FleetHealthy {
				m.Hosts[at].Healthy = s
			} else {
				m.Hosts[at].Unhealthy = s
			}
		case FleetEndpointBytes:
			if m.EndpointBytes == nil {
				m.EndpointBytes = map[string]MetricSeries{}
			}
			m.EndpointBytes[fq.Endpoint] = s
		}
	}
	return services, active
}

// MetricFindings are a service's findings from its fleet metrics, joined to the findings fs
// of its configuration, worst first, with the blast radius of the zone findings attached:
// the consumers with an endpoint in the zone, ranked by their traffic. own is the provider
// account's zone map (it fills in the zone ids of load balancers' zones, which ELB does not
// give); maps holds every account's the caller knows (for consumers' zones).
func MetricFindings(svc EndpointService, region string, lbs []LoadBalancer, conns []Connection, m ServiceMetrics, fs []Finding,
	opts MetricRuleOptions, own ZoneIndex, maps map[string]ZoneIndex) []Finding {
	out := append(fs[:len(fs):len(fs)], DiagnoseMetrics(svc, lbs, conns, m, opts)...)
	SortFindings(out)
	traffic := map[string]float64{}
	for id, series := range m.EndpointBytes {
		traffic[id] = series.Stats().Sum
	}
	AttachBlastRadius(out, svc, region, WithZoneIDs(lbs, own), conns, maps, traffic)
	return out
}

// ServiceLoadBalancers are the load balancers a service uses, in the service's order (network
// then gateway), among those read (by ARN); one not read is left out.
func ServiceLoadBalancers(svc EndpointService, byARN map[string]LoadBalancer) []LoadBalancer {
	var out []LoadBalancer
	for _, arn := range slices.Concat(svc.NetworkLoadBalancers, svc.GatewayLoadBalancers) {
		if lb, ok := byARN[arn]; ok {
			out = append(out, lb)
		}
	}
	return out
}

// WithZoneIDs fills in the zone ids of load balancers' zones from the account's own map
// (ELBv2 names a load balancer's zones, it does not give their ids).
func WithZoneIDs(lbs []LoadBalancer, own ZoneIndex) []LoadBalancer {
	out := make([]LoadBalancer, len(lbs))
	for i, lb := range lbs {
		zs := make([]LBZone, len(lb.AvailabilityZones))
		for j, z := range lb.AvailabilityZones {
			if z.ID == "" {
				z.ID, _ = own.ID(z.Name)
			}
			zs[j] = z
		}
		lb.AvailabilityZones = zs
		out[i] = lb
	}
	return out
}
