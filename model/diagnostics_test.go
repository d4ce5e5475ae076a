package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

const svcID = "vpce-svc-0123456789abcdef0"

var (
	zoneA = LBZone{Name: "us-east-1a", ID: "use1-az4"}
	zoneB = LBZone{Name: "us-east-1b", ID: "use1-az6"}
	zoneC = LBZone{Name: "us-east-1c", ID: "use1-az1"}
)

func targets(az string, healthy, unhealthy int) []Target {
	var ts []Target
	for i := range healthy {
		ts = append(ts, Target{ID: fmt.Sprintf("i-%s-h%d", az, i), AZ: az, State: TargetHealthy})
	}
	for i := range unhealthy {
		ts = append(ts, Target{ID: fmt.Sprintf("i-%s-u%d", az, i), AZ: az, State: TargetUnhealthy, Reason: "Target.Timeout"})
	}
	return ts
}

func healthyLB() LoadBalancer {
	return LoadBalancer{
		ARN: nlbARN, Name: "my-nlb", Type: LBTypeNetwork, State: "active",
		AvailabilityZones: []LBZone{zoneA, zoneB},
		TargetGroups: []TargetGroup{{
			ARN: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067", Name: "web",
			CrossZone: "use_load_balancer_configuration",
			Targets:   slices.Concat(targets("us-east-1a", 2, 0), targets("us-east-1b", 2, 0)),
		}},
	}
}

func healthySvc() EndpointService {
	return EndpointService{
		ID: svcID, State: ServiceAvailable, Type: ServiceTypeInterface, AcceptanceRequired: true,
		NetworkLoadBalancers: []string{nlbARN}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		PrivateDNS:        &PrivateDNS{Name: "api.example.com", State: DNSVerified, TXTName: "_tok", TXTValue: "vpce:tok"},
		AllowedPrincipals: []Principal{{ARN: "arn:aws:iam::444455556666:root"}},
	}
}

func codes(fs []Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Severity.String()+":"+f.Code)
	}
	return strings.Join(out, " ")
}

func TestDiagnose(t *testing.T) {
	tests := []struct {
		name   string
		svc    func(*EndpointService)
		lb     func(*LoadBalancer)
		conns  []Connection
		opts   DiagnoseOptions
		want   string
		health Health
		detail string // substring expected in some finding's Detail or Fix
	}{
		{name: "healthy", want: "", health: HealthOK},
		{name: "service failed", svc: func(s *EndpointService) { s.State = ServiceFailed },
			want: "Critical:SERVICE_FAILED", health: HealthCritical},
		{name: "service pending", svc: func(s *EndpointService) { s.State = ServicePending },
			want: "Info:SERVICE_NOT_AVAILABLE", health: HealthOK},
		{name: "lb failed", lb: func(l *LoadBalancer) { l.State = "failed" },
			want: "Critical:LB_NOT_ACTIVE", health: HealthCritical},
		{name: "lb impaired", lb: func(l *LoadBalancer) { l.State = "active_impaired" },
			want: "Warning:LB_NOT_ACTIVE", health: HealthWarning},
		{name: "lb provisioning", lb: func(l *LoadBalancer) { l.State = "provisioning" },
			want: "Info:LB_NOT_ACTIVE", health: HealthOK},
		{name: "lb missing", svc: func(s *EndpointService) { s.NetworkLoadBalancers = append(s.NetworkLoadBalancers, gwlbARN) },
			want: "Warning:LB_NOT_FOUND", health: HealthWarning},
		{name: "no healthy targets at all",
			lb: func(l *LoadBalancer) {
				l.TargetGroups[0].Targets = slices.Concat(targets("us-east-1a", 0, 2), targets("us-east-1b", 0, 1))
			},
			want: "Critical:NO_HEALTHY_TARGETS", health: HealthCritical, detail: "3 unhealthy (Target.Timeout)"},
		{name: "no target groups", lb: func(l *LoadBalancer) { l.TargetGroups = nil },
			want: "Critical:NO_HEALTHY_TARGETS", health: HealthCritical, detail: "no target groups"},
		{name: "az without healthy target, cross-zone off",
			lb: func(l *LoadBalancer) {
				l.TargetGroups[0].Targets = slices.Concat(targets("us-east-1a", 2, 0), targets("us-east-1b", 0, 1))
			},
			want: "Critical:AZ_NO_HEALTHY_TARGET", health: HealthCritical, detail: "us-east-1b (use1-az6)"},
		{name: "az without healthy target, cross-zone on at lb",
			lb: func(l *LoadBalancer) {
				l.CrossZoneEnabled = true
				l.TargetGroups[0].Targets = targets("us-east-1a", 2, 0)
			},
			want: "Info:AZ_NO_HEALTHY_TARGET", health: HealthOK, detail: "no targets registered"},
		{name: "target group overrides lb cross-zone",
			lb: func(l *LoadBalancer) {
				l.CrossZoneEnabled = true
				l.TargetGroups[0].CrossZone = "false"
				l.TargetGroups[0].Targets = targets("use1-az4", 2, 0) // zone given by id
			},
			want: "Critical:AZ_NO_HEALTHY_TARGET", health: HealthCritical},
		{name: "ip targets in all zones",
			lb: func(l *LoadBalancer) {
				l.TargetGroups[0].Targets = targets("all", 1, 0)
			},
			want: "", health: HealthOK},
		{name: "zones unknown", lb: func(l *LoadBalancer) { l.TargetGroups[0].Targets = targets("", 3, 0) },
			want: "", health: HealthOK},
		{name: "uneven targets",
			lb: func(l *LoadBalancer) {
				l.TargetGroups[0].Targets = slices.Concat(targets("us-east-1a", 1, 0), targets("us-east-1b", 3, 0))
			},
			want: "Warning:UNEVEN_TARGETS_PER_AZ", health: HealthWarning, detail: "1 healthy target(s) in us-east-1a"},
		{name: "uneven but cross-zone on",
			lb: func(l *LoadBalancer) {
				l.TargetGroups[0].CrossZone = "true"
				l.TargetGroups[0].Targets = slices.Concat(targets("us-east-1a", 1, 0), targets("us-east-1b", 3, 0))
			},
			want: "", health: HealthOK},
		{name: "uneven below ratio",
			lb: func(l *LoadBalancer) {
				l.TargetGroups[0].Targets = slices.Concat(targets("us-east-1a", 2, 0), targets("us-east-1b", 3, 0))
			},
			want: "", health: HealthOK},
		{name: "service az not covered",
			svc:  func(s *EndpointService) { s.AvailabilityZones = append(s.AvailabilityZones, "us-east-1c") },
			want: "Warning:AZ_NOT_COVERED", health: HealthWarning, detail: "us-east-1c"},
		{name: "sg enforced", lb: func(l *LoadBalancer) { l.EnforceSGOnPrivateLink = true; l.SecurityGroups = []string{"sg-1"} },
			want: "Warning:NLB_SG_ENFORCED_ON_PRIVATELINK", health: HealthWarning, detail: "sg-1"},
		{name: "sg attribute without groups", lb: func(l *LoadBalancer) { l.EnforceSGOnPrivateLink = true },
			want: "", health: HealthOK},
		{name: "dns pending", svc: func(s *EndpointService) { s.PrivateDNS.State = DNSPendingVerification },
			want: "Warning:PRIVATE_DNS_UNVERIFIED", health: HealthWarning, detail: "_tok.api.example.com."},
		{name: "dns failed", svc: func(s *EndpointService) { s.PrivateDNS.State = DNSFailed },
			want: "Critical:PRIVATE_DNS_FAILED", health: HealthCritical, detail: "vpce:tok"},
		{name: "dns pending without token", svc: func(s *EndpointService) {
			s.PrivateDNS = &PrivateDNS{Name: "api.example.com", State: DNSPendingVerification}
		}, want: "Warning:PRIVATE_DNS_UNVERIFIED", health: HealthWarning, detail: "Start domain verification"},
		{name: "wildcard with acceptance", svc: func(s *EndpointService) { s.AllowedPrincipals = []Principal{{ARN: "*"}} },
			want: "Warning:WILDCARD_PRINCIPAL", health: HealthWarning},
		{name: "wildcard without acceptance", svc: func(s *EndpointService) {
			s.AllowedPrincipals = []Principal{{ARN: "*"}}
			s.AcceptanceRequired = false
		}, want: "Critical:WILDCARD_PRINCIPAL", health: HealthCritical},
		{name: "pending below burst", conns: pendings(DefaultPendingBurst-1, 1), want: "", health: HealthOK},
		{name: "pending burst", conns: pendings(DefaultPendingBurst, 1), want: "Warning:PENDING_BURST", health: HealthWarning},
		{name: "other service's pending ignored", conns: func() []Connection {
			cs := pendings(20, 1)
			for i := range cs {
				cs[i].ServiceID = "vpce-svc-ffffffffffffffff0"
			}
			return cs
		}(), want: "", health: HealthOK},
		{name: "burst window", conns: slices.Concat(pendings(3, 1), pendings(5, 120)),
			opts: DiagnoseOptions{PendingBurst: 3, BurstWindow: time.Hour, Now: t0},
			want: "Warning:PENDING_BURST", health: HealthWarning, detail: "3 connection requests arrived in the last 1h0m0s"},
		{name: "burst window, old requests", conns: pendings(5, 120),
			opts: DiagnoseOptions{PendingBurst: 3, BurstWindow: time.Hour, Now: t0},
			want: "", health: HealthOK},
		{name: "pending while dns unverified", conns: pendings(1, 1),
			svc:  func(s *EndpointService) { s.PrivateDNS.State = DNSPendingVerification },
			want: "Critical:PENDING_WHILE_DNS_UNVERIFIED Warning:PRIVATE_DNS_UNVERIFIED", health: HealthCritical},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, lb := healthySvc(), healthyLB()
			if tt.svc != nil {
				tt.svc(&svc)
			}
			if tt.lb != nil {
				tt.lb(&lb)
			}
			h, fs := ServiceHealth(svc, []LoadBalancer{lb, {ARN: albARN}}, tt.conns, tt.opts)
			if got := codes(fs); got != tt.want {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
			if h != tt.health {
				t.Errorf("health = %s, want %s", h, tt.health)
			}
			for _, f := range fs {
				if f.Title == "" || f.Detail == "" || f.Fix == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
			if tt.detail != "" && !slices.ContainsFunc(fs, func(f Finding) bool {
				return strings.Contains(f.Detail, tt.detail) || strings.Contains(f.Fix, tt.detail)
			}) {
				t.Errorf("no finding mentions %q: %+v", tt.detail, fs)
			}
		})
	}
}

func pendings(n, ageMin int) []Connection {
	cs := make([]Connection, n)
	for i := range cs {
		cs[i] = conn(svcID, fmt.Sprintf("vpce-%017d", i+ageMin*1000), StatePendingAcceptance, ageMin)
	}
	return cs
}

func TestDiagnoseWithoutLoadBalancers(t *testing.T) {
	// Before the load balancers are read, no load balancer finding is invented.
	if fs := Diagnose(healthySvc(), nil, nil, DiagnoseOptions{}); len(fs) != 0 {
		t.Errorf("findings = %s", codes(fs))
	}
}

func TestDNSFixMentionsTrailingDot(t *testing.T) {
	svc := healthySvc()
	svc.PrivateDNS = &PrivateDNS{Name: "*.example.com", State: DNSPendingVerification, TXTName: "_tok", TXTValue: "vpce:tok"}
	fs := Diagnose(svc, nil, nil, DiagnoseOptions{})
	if len(fs) != 1 || !strings.Contains(fs[0].Fix, "_tok.example.com.example.com") || !strings.Contains(fs[0].Fix, `trailing dot, as "_tok.example.com."`) {
		t.Errorf("fix = %q", fs)
	}
}

func TestHealthAndSeverity(t *testing.T) {
	for _, tt := range []struct {
		sev  []Severity
		want Health
	}{
		{nil, HealthOK},
		{[]Severity{SeverityInfo}, HealthOK},
		{[]Severity{SeverityInfo, SeverityWarning}, HealthWarning},
		{[]Severity{SeverityWarning, SeverityCritical, SeverityInfo}, HealthCritical},
	} {
		var fs []Finding
		for _, s := range tt.sev {
			fs = append(fs, Finding{Severity: s})
		}
		if got := HealthOf(fs); got != tt.want {
			t.Errorf("HealthOf(%v) = %s, want %s", tt.sev, got, tt.want)
		}
	}
	if HealthOK.Rank() >= HealthWarning.Rank() || HealthWarning.Rank() >= HealthCritical.Rank() {
		t.Error("health ranks out of order")
	}
	if SeverityCritical.String() != "Critical" || Severity(9).String() != "Severity(9)" {
		t.Error("Severity.String")
	}
	fs := []Finding{{Severity: SeverityInfo, Code: "B"}, {Severity: SeverityCritical, Code: "Z"}, {Severity: SeverityInfo, Code: "A"}}
	SortFindings(fs)
	if codes(fs) != "Critical:Z Info:A Info:B" {
		t.Errorf("SortFindings = %s", codes(fs))
	}
}

func FuzzDiagnose(f *testing.F) {
	f.Add(uint8(2), uint8(1), uint8(0), "us-east-1a", "false", true, uint8(12))
	f.Add(uint8(0), uint8(0), uint8(5), "", "", false, uint8(0))
	f.Add(uint8(3), uint8(9), uint8(1), "all", "true", false, uint8(200))
	f.Fuzz(func(t *testing.T, ha, hb, ub uint8, extraAZ, crossZone string, acceptance bool, pending uint8) {
		svc, lb := healthySvc(), healthyLB()
		svc.AcceptanceRequired = acceptance
		svc.AllowedPrincipals = []Principal{{ARN: "*"}}
		lb.TargetGroups[0].CrossZone = crossZone
		lb.TargetGroups[0].Targets = slices.Concat(targets("us-east-1a", int(ha%8), 0),
			targets("us-east-1b", int(hb%8), int(ub%8)), targets(extraAZ, 1, 1))
		fs := Diagnose(svc, []LoadBalancer{lb}, pendings(int(pending), 1), DiagnoseOptions{})
		for i, f := range fs {
			if f.Code == "" || f.Title == "" || f.Detail == "" || f.Fix == "" {
				t.Fatalf("incomplete finding %+v", f)
			}
			if i > 0 && fs[i-1].Severity < f.Severity {
				t.Fatalf("not worst first: %s", codes(fs))
			}
		}
		if !acceptance && HealthOf(fs) != HealthCritical {
			t.Fatalf("* without acceptance must be critical: %s", codes(fs))
		}
	})
}

// One request waiting for days is a finding on its own, whatever the count; the threshold
// is configurable.
func TestPendingTooOld(t *testing.T) {
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	svc := EndpointService{ID: "vpce-svc-1", State: ServiceAvailable, AcceptanceRequired: true}
	old := Connection{ServiceID: svc.ID, EndpointID: "vpce-9", OwnerAccount: "777788889999", State: StatePendingAcceptance, Created: now.Add(-30 * time.Hour)}
	fresh := Connection{ServiceID: svc.ID, EndpointID: "vpce-8", OwnerAccount: "777788889999", State: StatePendingAcceptance, Created: now.Add(-time.Hour)}
	has := func(fs []Finding) *Finding {
		for i := range fs {
			if fs[i].Code == CodePendingTooOld {
				return &fs[i]
			}
		}
		return nil
	}
	f := has(Diagnose(svc, nil, []Connection{old, fresh}, DiagnoseOptions{Now: now}))
	if f == nil || f.Severity != SeverityWarning || !strings.Contains(f.Title, "1 connection request waiting longer than 24h") ||
		!strings.Contains(f.Detail, "vpce-9") || !strings.Contains(f.Evidence, "older than 24h") {
		t.Fatalf("a request waiting 30 hours: %+v", f)
	}
	if has(Diagnose(svc, nil, []Connection{fresh}, DiagnoseOptions{Now: now})) != nil {
		t.Error("an hour-old request is not too old")
	}
	if has(Diagnose(svc, nil, []Connection{fresh}, DiagnoseOptions{Now: now, PendingMaxAge: 30 * time.Minute})) == nil {
		t.Error("the threshold is configurable")
	}
	if has(Diagnose(svc, nil, []Connection{old}, DiagnoseOptions{})) != nil {
		t.Error("without a clock nothing is too old")
	}
}
