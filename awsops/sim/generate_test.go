package sim

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fingerprint renders everything observable about a world, for determinism checks.
func fingerprint(w *World) string {
	var b strings.Builder
	for _, a := range w.AccountList {
		fmt.Fprintf(&b, "acct %s %s %v\n", a.ID, a.Name, a.AZs)
		for _, v := range a.VPCs {
			fmt.Fprintf(&b, " vpc %s %s %s %d\n", v.ID, v.CIDR, v.Region, v.EndpointCount)
			for _, sn := range v.Subnets {
				fmt.Fprintf(&b, "  sn %s %s %s %s %d\n", sn.ID, sn.CIDR, sn.AZ, sn.AZID, sn.AvailableIPs)
			}
		}
	}
	for _, lb := range w.LoadBalancerList {
		fmt.Fprintf(&b, "lb %s %s %v %v %v %s\n", lb.ARN, lb.DNSName, lb.Zones, lb.SecurityGroups, lb.EnforceSGOnPrivateLink, lb.ServiceID)
		for _, tg := range lb.TargetGroups {
			fmt.Fprintf(&b, " tg %s %s %d %s\n", tg.ARN, tg.Protocol, tg.Port, tg.CrossZone)
			for _, t := range tg.Targets {
				fmt.Fprintf(&b, "  t %s %s %s %s %v\n", t.ID, t.AZ, t.State, t.Reason, t.History)
			}
		}
	}
	for _, s := range w.ServiceList {
		fmt.Fprintf(&b, "svc %s %s %s %v %s %s %s %v %v %v\n", s.ID, s.Name, s.State, s.AcceptanceRequired,
			s.PrivateDNSName, s.PrivateDNSState, s.DNSToken, s.AZIDs, s.Tags, s.SupportedRegions)
		for _, p := range s.Principals {
			fmt.Fprintf(&b, " p %s %s %s\n", p.ARN, p.Type, p.ID)
		}
		for _, n := range s.Notifications {
			fmt.Fprintf(&b, " n %s %s %v\n", n.ID, n.TopicARN, n.Events)
		}
	}
	for _, e := range w.EndpointList {
		fmt.Fprintf(&b, "ep %d %s %s %s %s %s %s %v %v %v %+v %+v\n", e.Seq, e.ID, e.ServiceID, e.OwnerID, e.State,
			e.Region, e.VpcID, e.SubnetIDs, e.ENIs, e.Tags, e.History, e.Traffic)
	}
	fmt.Fprintf(&b, "txt %v events %d now %s\n", w.TXTRecords(), w.PendingEvents(), w.Now)
	return b.String()
}

func TestGenerateDeterministic(t *testing.T) {
	for _, cfg := range []WorldConfig{{Seed: 1}, {Seed: 42, Services: 40, Connections: 3000}} {
		a, b := fingerprint(NewWorld(cfg)), fingerprint(NewWorld(cfg))
		if a != b {
			t.Fatalf("seed %d: two worlds differ", cfg.Seed)
		}
		cfg.Seed++
		if c := fingerprint(NewWorld(cfg)); c == a {
			t.Fatalf("seed %d and %d give the same world", cfg.Seed-1, cfg.Seed)
		}
	}
}

// healthyByZone counts healthy targets per zone of the load balancer.
func healthyByZone(lb *LoadBalancer) map[string]int {
	out := map[string]int{}
	for _, z := range lb.Zones {
		out[z.AZ] = 0
	}
	for _, tg := range lb.TargetGroups {
		for _, t := range tg.Targets {
			if t.State == TargetHealthy {
				out[t.AZ]++
			}
		}
	}
	return out
}

func TestGenerateScenarioShowsClassicFailures(t *testing.T) {
	for _, cfg := range []WorldConfig{{}, {Seed: 7}, {Seed: 3, Services: 60, Connections: 5000}} {
		w := NewWorld(cfg)
		var deadAZ, unverified, starAuto, enforce, burst bool
		for _, lb := range w.LoadBalancerList {
			if lb.ServiceID == "" {
				continue
			}
			for _, n := range healthyByZone(lb) {
				if n == 0 {
					deadAZ = true
				}
			}
			if lb.EnforceSGOnPrivateLinkValue() == "on" {
				enforce = true
			}
		}
		for _, s := range w.ServiceList {
			if s.NameTag() == "" {
				t.Errorf("service %s has no Name tag", s.ID)
			}
			if s.PrivateDNSName != "" && s.PrivateDNSState != DNSVerified {
				unverified = true
			}
			if !s.AcceptanceRequired && s.Principal("*") != nil {
				starAuto = true
			}
			pending := 0
			for _, e := range s.Endpoints {
				if e.State == EndpointPendingAcceptance {
					pending++
				}
			}
			if pending >= 8 {
				burst = true
			}
		}
		if !deadAZ || !unverified || !starAuto || !enforce || !burst {
			t.Errorf("seed %d: dead AZ %v, unverified DNS %v, * with auto-accept %v, SG enforcement %v, pending burst %v",
				cfg.Seed, deadAZ, unverified, starAuto, enforce, burst)
		}
		names := []string{}
		for _, s := range w.ServiceList {
			names = append(names, s.NameTag())
		}
		for _, want := range []string{"payments-api", "ledger-ingest", "search-gateway"} {
			if !slices.Contains(names, want) {
				t.Errorf("no service named %s in %v", want, names)
			}
		}
	}
}

var (
	reEndpointID = regexp.MustCompile(`^vpce-0[0-9a-f]{16}$`)
	reServiceID  = regexp.MustCompile(`^vpce-svc-0[0-9a-f]{16}$`)
	reLBARN      = regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/(net|gwy|app)/[a-z0-9-]{1,32}/[0-9a-f]{16}$`)
	reTGARN      = regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/[a-z0-9-]{1,32}/[0-9a-f]{16}$`)
	reAccount    = regexp.MustCompile(`^[0-9]{12}$`)
)

func TestGenerateInvariants(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 11, Services: 30, Connections: 4000})
	if len(w.Endpoints) != 4000 || len(w.EndpointList) != 4000 || len(w.ServiceList) != 30 {
		t.Fatalf("sizes: %d endpoints, %d listed, %d services", len(w.Endpoints), len(w.EndpointList), len(w.ServiceList))
	}
	if len(w.AccountList) != 1+w.Config.Consumers || w.Provider.ID != ProviderAccountID {
		t.Fatalf("accounts: %d (consumers %d), provider %s", len(w.AccountList), w.Config.Consumers, w.Provider.ID)
	}
	for _, a := range w.AccountList {
		if !reAccount.MatchString(a.ID) {
			t.Errorf("account id %q", a.ID)
		}
	}
	if !slices.IsSortedFunc(w.ServiceList, func(a, b *Service) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("ServiceList not ordered by ID")
	}
	if !slices.IsSortedFunc(w.EndpointList, func(a, b *Endpoint) int { return int(a.Seq) - int(b.Seq) }) {
		t.Error("EndpointList not ordered by Seq")
	}
	for _, s := range w.ServiceList {
		if !reServiceID.MatchString(s.ID) || s.Name != "com.amazonaws.vpce.us-east-1."+s.ID ||
			s.BaseDNSNames[0] != s.ID+".us-east-1.vpce.amazonaws.com" {
			t.Errorf("service names: %s %s %v", s.ID, s.Name, s.BaseDNSNames)
		}
		if len(s.AZs) == 0 || len(s.AZs) != len(s.AZIDs) {
			t.Errorf("service %s zones %v %v", s.ID, s.AZs, s.AZIDs)
		}
		for _, arn := range s.NLBARNs {
			if lb := w.LoadBalancer(arn); lb == nil || lb.ServiceID != s.ID || lb.Type != LBTypeNetwork {
				t.Errorf("service %s load balancer %s not linked", s.ID, arn)
			}
		}
		if !slices.IsSortedFunc(s.Endpoints, func(a, b *Endpoint) int { return int(a.Seq) - int(b.Seq) }) {
			t.Errorf("service %s endpoints not ordered by Seq", s.ID)
		}
	}
	for _, lb := range w.LoadBalancerList {
		if !reLBARN.MatchString(lb.ARN) {
			t.Errorf("LB ARN %s", lb.ARN)
		}
		for _, tg := range lb.TargetGroups {
			if !reTGARN.MatchString(tg.ARN) {
				t.Errorf("TG ARN %s", tg.ARN)
			}
			for _, tt := range tg.Targets {
				last := tt.History[len(tt.History)-1]
				if last.State != tt.State || last.Reason != tt.Reason {
					t.Errorf("target %s: history ends %v, state %s/%s", tt.ID, last, tt.State, tt.Reason)
				}
				if st, rs := tt.StateAt(w.Now); st != tt.State || rs != tt.Reason {
					t.Errorf("target %s: StateAt(now) %s/%s, state %s/%s", tt.ID, st, rs, tt.State, tt.Reason)
				}
				if !slices.IsSortedFunc(tt.History, func(a, b HealthTransition) int { return a.At.Compare(b.At) }) {
					t.Errorf("target %s history not sorted", tt.ID)
				}
			}
		}
	}
	vpcCount := map[string]int{}
	for _, e := range w.EndpointList {
		if !reEndpointID.MatchString(e.ID) || !strings.HasPrefix(e.ConnectionID, "vpce-con-") {
			t.Errorf("endpoint ids %s %s", e.ID, e.ConnectionID)
		}
		if got := e.StateAt(w.Now); got != e.State {
			t.Errorf("endpoint %s: StateAt(now) = %s, state %s (%+v)", e.ID, got, e.State, e.History)
		}
		if e.CreatedAt.After(w.Now) || e.CreatedAt.Before(e.Service.CreatedAt) {
			t.Errorf("endpoint %s created %s (service %s, now %s)", e.ID, e.CreatedAt, e.Service.CreatedAt, w.Now)
		}
		if w.VPC(e.VpcID).OwnerID != e.OwnerID || w.VPC(e.VpcID).Region != e.Region {
			t.Errorf("endpoint %s in a VPC of another account or region", e.ID)
		}
		if e.Active() {
			vpcCount[e.VpcID]++
			if len(e.ENIs) == 0 {
				t.Errorf("active endpoint %s without ENIs", e.ID)
			}
			for _, n := range e.ENIs {
				sn := w.Subnet(n.SubnetID)
				if sn == nil || sn.VpcID != e.VpcID {
					t.Errorf("endpoint %s ENI in foreign subnet", e.ID)
				}
				if e.Region == w.Region && !e.Service.SupportsAZID(n.AZID) {
					t.Errorf("endpoint %s in zone %s the service (%v) lacks", e.ID, n.AZID, e.Service.AZIDs)
				}
			}
		}
		if e.Service.AcceptanceRequired == false && e.State == EndpointPendingAcceptance {
			t.Errorf("endpoint %s pendingAcceptance on an auto-accept service", e.ID)
		}
		if !e.Service.AllowsAccount(e.OwnerID) {
			t.Errorf("endpoint %s owned by %s, not an allowed principal of %s", e.ID, e.OwnerID, e.ServiceID)
		}
	}
	for id, v := range w.VPCs {
		if v.EndpointCount != vpcCount[id] || v.EndpointCount > 50 {
			t.Errorf("VPC %s endpoint count %d, counted %d", id, v.EndpointCount, vpcCount[id])
		}
	}
}

func TestGenerateFleetSize(t *testing.T) {
	if testing.Short() {
		t.Skip("fleet world in -short mode")
	}
	w := NewWorld(WorldConfig{Seed: 1, Services: 500, Connections: 50000})
	t.Logf("fleet world: %d services, %d endpoints, %d accounts, %d VPCs, %d events (BenchmarkNewWorldFleet times it)",
		len(w.Services), len(w.Endpoints), len(w.AccountList), len(w.VPCs), w.PendingEvents())
	if len(w.Services) != 500 || len(w.Endpoints) != 50000 {
		t.Fatalf("fleet world has %d services, %d endpoints", len(w.Services), len(w.Endpoints))
	}
	names := map[string]bool{}
	for _, s := range w.ServiceList {
		if names[s.NameTag()] {
			t.Errorf("duplicate service name %s", s.NameTag())
		}
		names[s.NameTag()] = true
	}
}

func BenchmarkNewWorldFleet(b *testing.B) {
	for b.Loop() {
		NewWorld(WorldConfig{Seed: 1, Services: 500, Connections: 50000})
	}
}

func BenchmarkNewWorldDefault(b *testing.B) {
	for b.Loop() {
		NewWorld(WorldConfig{Seed: 1})
	}
}
