package model

import (
	"strings"
	"testing"
	"time"
)

var (
	rulesNow   = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	rulesStart = rulesNow.Add(-time.Hour)
	tgARN      = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067"
)

// flat is a series over the rules' hour, one point a minute: first n values a, the rest b.
func flat(n int, a, b float64) MetricSeries {
	vals := make([]float64, 60)
	for i := range vals {
		vals[i] = b
		if i < n {
			vals[i] = a
		}
	}
	return series(rulesStart, time.Minute, vals...)
}

// quietMetrics is an hour of healthy, busy service.
func quietMetrics() ServiceMetrics {
	return ServiceMetrics{
		Start: rulesStart, End: rulesNow, Period: time.Minute, Loaded: true,
		Bytes:        flat(60, 1e6, 1e6),
		Resets:       flat(60, 2, 2),
		TargetResets: map[string]MetricSeries{nlbARN: flat(60, 1, 1)},
		PortErrors:   map[string]MetricSeries{nlbARN: flat(60, 0, 0)},
		Hosts: []ZoneHosts{{LoadBalancer: nlbARN, TargetGroup: tgARN, AZ: "us-east-1a",
			Healthy: flat(60, 2, 2), Unhealthy: flat(60, 0, 0)}},
		EndpointBytes: map[string]MetricSeries{"vpce-1": flat(60, 5e5, 5e5)},
	}
}

func TestDiagnoseMetrics(t *testing.T) {
	avail := zonalConn("vpce-1", "444455556666", "us-east-1a")
	avail.Created = rulesNow.Add(-48 * time.Hour)
	lbs := []LoadBalancer{healthyLB()}
	for _, tt := range []struct {
		name     string
		mod      func(*ServiceMetrics)
		conns    []Connection
		want     string
		evidence string
	}{
		{name: "healthy and busy", want: ""},
		{name: "unhealthy host, others healthy", mod: func(m *ServiceMetrics) { m.Hosts[0].Unhealthy = flat(50, 0, 1) },
			want: "Warning:UNHEALTHY_HOSTS_IN_AZ", evidence: "UnHealthyHostCount 1, HealthyHostCount 2 in us-east-1a"},
		{name: "no healthy host left", mod: func(m *ServiceMetrics) { m.Hosts[0].Unhealthy, m.Hosts[0].Healthy = flat(50, 0, 2), flat(50, 2, 0) },
			want: "Critical:UNHEALTHY_HOSTS_IN_AZ", evidence: "HealthyHostCount 0"},
		{name: "unhealthy host that recovered", mod: func(m *ServiceMetrics) { m.Hosts[0].Unhealthy = flat(50, 1, 0) }, want: ""},
		{name: "resets rising", mod: func(m *ServiceMetrics) { m.Resets = flat(45, 2, 40) },
			want: "Warning:RESETS_RISING", evidence: "RstPacketsSent 40/min (last 15 min) vs 2/min"},
		{name: "resets high but steady", mod: func(m *ServiceMetrics) { m.Resets = flat(60, 40, 40) }, want: ""},
		{name: "resets doubled but tiny", mod: func(m *ServiceMetrics) { m.Resets = flat(45, 1, 3) }, want: ""},
		{name: "target resets rising", mod: func(m *ServiceMetrics) { m.TargetResets[nlbARN] = flat(40, 1, 30) },
			want: "Warning:RESETS_RISING", evidence: "TCP_Target_Reset_Count 30/min"},
		{name: "port allocation errors", mod: func(m *ServiceMetrics) { m.PortErrors[nlbARN] = flat(58, 0, 7) },
			want: "Critical:PORT_ALLOCATION_ERRORS", evidence: "PortAllocationErrorCount 14 in the last 1h, peak 7"},
		{name: "no traffic with available connections", mod: func(m *ServiceMetrics) { m.Bytes = MetricSeries{}; m.EndpointBytes = nil },
			want: "Warning:NO_TRAFFIC", evidence: "BytesProcessed 0 B in the last 1h; 1 available"},
		{name: "no traffic, connection newer than the window", mod: func(m *ServiceMetrics) { m.Bytes = MetricSeries{}; m.EndpointBytes = nil },
			conns: []Connection{func() Connection { c := avail; c.Created = rulesNow.Add(-10 * time.Minute); return c }()}, want: ""},
		{name: "metrics not read: no finding from their absence", mod: func(m *ServiceMetrics) { *m = ServiceMetrics{} }, want: ""},
		{name: "consumer went silent", mod: func(m *ServiceMetrics) { m.EndpointBytes["vpce-1"] = flat(40, 5e5, 0) },
			want: "Warning:CONSUMER_TRAFFIC_STOPPED", evidence: "BytesProcessed 20 MB before 11:40 UTC, 0 B since; state available"},
		{name: "consumer silent but rejected since", mod: func(m *ServiceMetrics) { m.EndpointBytes["vpce-1"] = flat(40, 5e5, 0) },
			conns: []Connection{func() Connection { c := avail; c.State = StateRejected; return c }()}, want: ""},
		{name: "consumer quiet all along", mod: func(m *ServiceMetrics) { m.EndpointBytes["vpce-1"] = flat(0, 0, 0) }, want: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := quietMetrics()
			if tt.mod != nil {
				tt.mod(&m)
			}
			conns := tt.conns
			if conns == nil {
				conns = []Connection{avail}
			}
			fs := DiagnoseMetrics(healthySvc(), lbs, conns, m, MetricRuleOptions{Now: rulesNow})
			if got := codes(fs); got != tt.want {
				t.Fatalf("findings = %q, want %q\n%+v", got, tt.want, fs)
			}
			if tt.evidence != "" && !strings.Contains(fs[0].Evidence, tt.evidence) {
				t.Errorf("evidence %q does not say %q", fs[0].Evidence, tt.evidence)
			}
			for _, f := range fs {
				if f.Title == "" || f.Detail == "" || f.Fix == "" || f.Evidence == "" {
					t.Errorf("finding %s lacks a title, detail, fix or evidence: %+v", f.Code, f)
				}
			}
		})
	}
}

func TestBlastRadius(t *testing.T) {
	svc := healthySvc() // zones us-east-1a (use1-az4) and us-east-1b (use1-az6)
	maps := map[string]ZoneIndex{"444455556666": NewZoneIndex([]AvailabilityZone{
		{Name: "us-east-1a", ID: "use1-az6"}, {Name: "us-east-1b", ID: "use1-az4"},
	})}
	conns := []Connection{
		zonalConn("vpce-small", "444455556666", "us-east-1a"),             // consumer's 1a is use1-az6: in zone B
		zonalConn("vpce-big", "444455556666", "us-east-1a", "us-east-1b"), // both zones
		zonalConn("vpce-other", "444455556666", "us-east-1b"),             // use1-az4: zone A only
		zonalConn("vpce-unknown", "999988887777", "us-east-1c"),           // account without a map
		zonalConn("vpce-all", "999988887777", "us-east-1d", "us-east-1f"), // as many zones as the service
		func() Connection {
			c := zonalConn("vpce-gone", "444455556666", "us-east-1a")
			c.State = StateRejected
			return c
		}(),
	}
	traffic := map[string]float64{"vpce-small": 10, "vpce-big": 900, "vpce-other": 5000, "vpce-unknown": 1e6, "vpce-all": 50}
	got := BlastRadius("use1-az6", svc, "us-east-1", conns, maps, traffic)
	if s := got.String(); s != "vpce-big (444455556666), vpce-all (999988887777), vpce-small (444455556666), vpce-unknown (999988887777)?" {
		t.Errorf("blast radius = %s", s)
	}
	// The finding about zone B (us-east-1b, use1-az6) gets the same list.
	lb := healthyLB()
	lb.TargetGroups[0].Targets = targets("us-east-1a", 2, 0)
	lb.TargetGroups[0].CrossZone = "false"
	fs := Diagnose(svc, []LoadBalancer{lb}, conns, DiagnoseOptions{})
	AttachBlastRadius(fs, svc, "us-east-1", []LoadBalancer{lb}, conns, maps, traffic)
	var found bool
	for _, f := range fs {
		if f.Code == CodeAZNoHealthyTarget {
			found = true
			if f.Affected.String() != got.String() {
				t.Errorf("finding's blast radius %s, want %s", f.Affected, got)
			}
		} else if len(f.Affected) > 0 {
			t.Errorf("%s got a blast radius", f.Code)
		}
	}
	if !found {
		t.Fatalf("no AZ finding: %s", codes(fs))
	}
}
