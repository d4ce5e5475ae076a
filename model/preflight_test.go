package model

import (
	"slices"
	"strings"
	"testing"
)

func preflightLB() LoadBalancer {
	lb := healthyLB()
	lb.IPAddressType = "ipv4"
	lb.Listeners = []Listener{{Port: 443, Protocol: "TLS"}}
	return lb
}

func TestPreflight(t *testing.T) {
	other := EndpointService{ID: "vpce-svc-0aaaaaaaaaaaaaaaa", DisplayName: "payments", NetworkLoadBalancers: []string{nlbARN}}
	tests := []struct {
		name     string
		spec     func(*ServiceSpec)
		lb       func(*LoadBalancer)
		services []EndpointService
		editing  string
		want     string // codes, worst first
		detail   string
	}{
		{name: "clean", want: ""},
		{name: "in use", services: []EndpointService{other}, want: "Critical:LB_IN_USE", detail: "payments (vpce-svc-0aaaaaaaaaaaaaaaa)"},
		{name: "own when editing", services: []EndpointService{other}, editing: other.ID, want: ""},
		{name: "a kept load balancer is not checked again", services: []EndpointService{other}, editing: other.ID,
			lb: func(l *LoadBalancer) { l.Listeners = nil; l.State = "failed" }, want: ""},
		{name: "but a kept one must serve the IP types", services: []EndpointService{other}, editing: other.ID,
			spec: func(s *ServiceSpec) { s.SupportedIPTypes = []string{"ipv6"} }, want: "Critical:IP_TYPE_NOT_SERVED"},
		{name: "not found", lb: func(l *LoadBalancer) { l.ARN = nlb2ARN }, want: "Critical:LB_NOT_FOUND"},
		{name: "no listener", lb: func(l *LoadBalancer) { l.Listeners = nil }, want: "Critical:NO_LISTENER"},
		{name: "udp only", lb: func(l *LoadBalancer) { l.Listeners = []Listener{{Port: 53, Protocol: "UDP"}} },
			want: "Critical:LISTENER_PROTOCOL_NOT_SERVED", detail: "UDP:53"},
		{name: "udp besides tcp", lb: func(l *LoadBalancer) { l.Listeners = append(l.Listeners, Listener{Port: 53, Protocol: "UDP"}) },
			want: "Warning:LISTENER_PROTOCOL_NOT_SERVED"},
		{name: "too many listeners", lb: func(l *LoadBalancer) {
			for i := range 51 {
				l.Listeners = append(l.Listeners, Listener{Port: int32(1000 + i), Protocol: "TCP"})
			}
		}, want: "Critical:TOO_MANY_LISTENERS"},
		{name: "ipv6 on ipv4 lb", spec: func(s *ServiceSpec) { s.SupportedIPTypes = []string{"ipv4", "ipv6"} },
			want: "Critical:IP_TYPE_NOT_SERVED", detail: "dualstack"},
		{name: "ipv6 on dualstack", spec: func(s *ServiceSpec) { s.SupportedIPTypes = []string{"ipv6"} },
			lb: func(l *LoadBalancer) { l.IPAddressType = "dualstack" }, want: ""},
		{name: "dead zone", lb: func(l *LoadBalancer) {
			l.TargetGroups[0].CrossZone = "false"
			l.TargetGroups[0].Targets = append(targets("us-east-1a", 2, 0), targets("us-east-1b", 0, 2)...)
		}, want: "Critical:AZ_NO_HEALTHY_TARGET", detail: "us-east-1b (use1-az6)"},
		{name: "uneven", lb: func(l *LoadBalancer) {
			l.TargetGroups[0].CrossZone = "false"
			l.TargetGroups[0].Targets = append(targets("us-east-1a", 4, 0), targets("us-east-1b", 1, 0)...)
		}, want: "Warning:UNEVEN_TARGETS_PER_AZ"},
		{name: "sg enforced", lb: func(l *LoadBalancer) { l.EnforceSGOnPrivateLink, l.SecurityGroups = true, []string{"sg-1"} },
			want: "Warning:NLB_SG_ENFORCED_ON_PRIVATELINK", detail: "--enforce-security-group-inbound-rules-on-private-link-traffic off"},
		{name: "failed lb", lb: func(l *LoadBalancer) { l.State = "failed" }, want: "Critical:LB_NOT_ACTIVE"},
		{name: "one zone", lb: func(l *LoadBalancer) {
			l.AvailabilityZones = l.AvailabilityZones[:1]
			l.TargetGroups[0].Targets = targets("us-east-1a", 2, 0)
		}, want: "Warning:SINGLE_AZ"},
		{name: "dns and regions", spec: func(s *ServiceSpec) { s.PrivateDNSName, s.SupportedRegions = "api.example.com", []string{"eu-west-1"} },
			want: "Info:CROSS_REGION_NEEDS_PERMISSION Info:PRIVATE_DNS_UNVERIFIED", detail: "vpce:AllowMultiRegion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := ServiceSpec{LoadBalancers: []string{nlbARN}, AcceptanceRequired: true}
			if tt.spec != nil {
				tt.spec(&spec)
			}
			lb := preflightLB()
			if tt.lb != nil {
				tt.lb(&lb)
			}
			fs := Preflight(PreflightInput{Spec: spec, LoadBalancers: []LoadBalancer{lb}, Services: tt.services, Editing: tt.editing})
			if got := codes(fs); got != tt.want {
				t.Fatalf("findings %q, want %q\n%+v", got, tt.want, fs)
			}
			if tt.detail != "" && !slices.ContainsFunc(fs, func(f Finding) bool {
				return strings.Contains(f.Title+f.Detail+f.Fix, tt.detail)
			}) {
				t.Fatalf("no finding mentions %q: %+v", tt.detail, fs)
			}
			for _, f := range fs {
				if f.Title == "" || f.Detail == "" || f.Fix == "" {
					t.Fatalf("finding without title, evidence or fix: %+v", f)
				}
			}
		})
	}
}

func TestPreflightTwoLoadBalancersInDifferentZones(t *testing.T) {
	a := preflightLB()
	b := preflightLB()
	b.ARN, b.Name = nlb2ARN, "other-nlb"
	b.AvailabilityZones = []LBZone{zoneA, zoneC}
	b.TargetGroups[0].Targets = append(targets("us-east-1a", 1, 0), targets("us-east-1c", 1, 0)...)
	fs := Preflight(PreflightInput{Spec: ServiceSpec{LoadBalancers: []string{nlbARN, nlb2ARN}}, LoadBalancers: []LoadBalancer{a, b}})
	if got := codes(fs); got != "Warning:AZ_NOT_COVERED Warning:AZ_NOT_COVERED" {
		t.Fatalf("findings %q", got)
	}
}

func TestAcknowledgements(t *testing.T) {
	fs := []Finding{{Severity: SeverityCritical, Code: "A", Resource: "x"}, {Severity: SeverityCritical, Code: "B"}, {Severity: SeverityWarning, Code: "C"}}
	if n := Unacknowledged(fs, nil); n != 2 {
		t.Fatalf("unacknowledged %d", n)
	}
	if n := Unacknowledged(fs, map[string]bool{FindingKey(fs[0]): true, FindingKey(fs[1]): true}); n != 0 {
		t.Fatalf("after acknowledging: %d", n)
	}
}
