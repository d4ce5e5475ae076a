package sim

import (
	"errors"
	"testing"
	"time"
)

func svcNamed(t *testing.T, w *World, name string) *Service {
	t.Helper()
	for _, s := range w.ServiceList {
		if s.NameTag() == name {
			return s
		}
	}
	t.Fatalf("no service %s", name)
	return nil
}

func TestEvolveArrivals(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 5})
	pay, ledger, search := svcNamed(t, w, "payments-api"), svcNamed(t, w, "ledger-ingest"), svcNamed(t, w, "search-gateway")
	n0 := map[*Service]int{pay: len(pay.Endpoints), ledger: len(ledger.Endpoints), search: len(search.Endpoints)}
	start := w.Now
	w.Advance(start.Add(2 * time.Hour))
	if len(pay.Endpoints) <= n0[pay] || len(search.Endpoints) <= n0[search] {
		t.Fatalf("no arrivals in 2 h: payments %d→%d, search %d→%d", n0[pay], len(pay.Endpoints), n0[search], len(search.Endpoints))
	}
	if len(ledger.Endpoints) != n0[ledger] {
		t.Errorf("ledger-ingest (private DNS unverified) got new connections: %d→%d", n0[ledger], len(ledger.Endpoints))
	}
	for _, e := range pay.Endpoints[n0[pay]:] {
		if !e.CreatedAt.After(start) || e.History.AcceptedAt.IsZero() == (e.State != EndpointPendingAcceptance) {
			t.Errorf("payments arrival %s: state %s, history %+v", e.ID, e.State, e.History)
		}
		if !pay.AllowsAccount(e.OwnerID) {
			t.Errorf("arrival from %s, not an allowed principal", e.OwnerID)
		}
	}
	for _, e := range search.Endpoints[n0[search]:] {
		// Auto-accepted: pending → available 5 s later (unless a consumer deleted it since).
		if e.History.AvailableAt != e.CreatedAt.Add(PendingToAvailableDelay) {
			t.Errorf("search arrival %s: %+v", e.ID, e.History)
		}
	}
	if w.EndpointList[len(w.EndpointList)-1].Seq != w.seq {
		t.Error("new endpoints not appended in Seq order")
	}
	// Verifying ledger's DNS lets requests through.
	w.PublishTXT(ledger.TXTRecordName(), ledger.TXTValue())
	if err := w.startDNSVerification(ledger, w.Now); err != nil {
		t.Fatal(err)
	}
	w.Advance(w.Now.Add(6 * time.Hour))
	if ledger.PrivateDNSState != DNSVerified || len(ledger.Endpoints) == n0[ledger] {
		t.Errorf("ledger after verification: %s, %d→%d endpoints", ledger.PrivateDNSState, n0[ledger], len(ledger.Endpoints))
	}
}

func TestEvolveDeterministicAcrossAdvanceGranularity(t *testing.T) {
	cfg := WorldConfig{Seed: 9, Services: 12, Connections: 600}
	a, b := NewWorld(cfg), NewWorld(cfg)
	end := a.Now.Add(6 * time.Hour)
	a.Advance(end)
	for now := b.Now; !now.After(end); now = now.Add(37 * time.Second) {
		b.Advance(now)
	}
	b.Advance(end)
	if fa, fb := fingerprint(a), fingerprint(b); fa != fb {
		t.Fatal("advancing in one step and in many steps gives different worlds")
	}
}

func TestEvolveExpiry(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 2, PendingExpiry: time.Hour, Static: true})
	pay := svcNamed(t, w, "payments-api")
	var pend []*Endpoint
	for _, e := range pay.Endpoints {
		if e.State == EndpointPendingAcceptance {
			pend = append(pend, e)
		}
	}
	if len(pend) < 8 {
		t.Fatalf("only %d pending", len(pend))
	}
	accepted := pend[0]
	if err := w.acceptEndpoint(accepted, w.Now); err != nil {
		t.Fatal(err)
	}
	vpc := w.VPC(pend[1].VpcID)
	before := vpc.EndpointCount
	w.Advance(w.Now.Add(time.Hour))
	for _, e := range pend[1:] {
		if e.State != EndpointExpired || !e.History.ExpiredAt.Equal(e.CreatedAt.Add(time.Hour)) {
			t.Errorf("%s: %s, expired at %s (requested %s)", e.ID, e.State, e.History.ExpiredAt, e.CreatedAt)
		}
		if e.StateAt(e.History.ExpiredAt.Add(-time.Second)) != EndpointPendingAcceptance || e.StateAt(w.Now) != EndpointExpired {
			t.Errorf("%s: StateAt disagrees with history", e.ID)
		}
	}
	if vpc.EndpointCount >= before {
		t.Errorf("VPC endpoint count %d → %d after expiry", before, vpc.EndpointCount)
	}
	if accepted.State != EndpointAvailable {
		t.Errorf("accepted endpoint expired anyway: %s", accepted.State)
	}
}

func TestEvolveConnectionLifecycle(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 3, Static: true})
	pay := svcNamed(t, w, "payments-api")
	var ep *Endpoint
	for _, e := range pay.Endpoints {
		if e.State == EndpointPendingAcceptance {
			ep = e
			break
		}
	}
	t0 := w.Now
	if err := w.acceptEndpoint(ep, t0); err != nil {
		t.Fatal(err)
	}
	var te *TransitionError
	if err := w.acceptEndpoint(ep, t0); !errors.As(err, &te) {
		t.Fatalf("second accept: %v", err)
	}
	w.Advance(t0.Add(4 * time.Second))
	if ep.State != EndpointPending {
		t.Fatalf("after 4 s: %s", ep.State)
	}
	w.Advance(t0.Add(5 * time.Second))
	if ep.State != EndpointAvailable || !ep.History.AvailableAt.Equal(t0.Add(5*time.Second)) || !ep.AvailableAt(w.Now) {
		t.Fatalf("after 5 s: %s %+v", ep.State, ep.History)
	}
	w.Advance(t0.Add(time.Minute))
	if err := w.rejectEndpoint(ep, w.Now); err != nil {
		t.Fatal(err)
	}
	w.Advance(w.Now.Add(30 * 24 * time.Hour))
	if ep.State != EndpointRejected || ep.AvailableAt(w.Now) || !ep.AvailableAt(t0.Add(6*time.Second)) {
		t.Fatalf("rejected endpoint: %s", ep.State)
	}
	if err := w.rejectEndpoint(ep, w.Now); !errors.As(err, &te) {
		t.Fatalf("reject twice: %v", err)
	}
	if err := w.deleteEndpoint(ep, w.Now); err != nil {
		t.Fatal(err)
	}
	if ep.State != EndpointDeleting {
		t.Fatal(ep.State)
	}
	w.Advance(w.Now.Add(EndpointDeleteDelay))
	if ep.State != EndpointDeleted {
		t.Fatal(ep.State)
	}

	// A consumer's request through createEndpoint, on an auto-accept service.
	search := svcNamed(t, w, "search-gateway")
	owner := w.AccountList[1]
	vpc := owner.VPCs[0]
	var subnets []*Subnet
	for _, sn := range vpc.Subnets {
		if search.SupportsAZID(sn.AZID) {
			subnets = append(subnets, sn)
		}
	}
	n := vpc.EndpointCount
	ne := w.createEndpoint(EndpointRequest{Owner: owner, Service: search, VPC: vpc, Subnets: subnets,
		SecurityGroups: vpc.SecurityGroups[:1], ClientToken: "tok-1"}, w.Now)
	if ne.State != EndpointPending || vpc.EndpointCount != n+1 || w.EndpointByClientToken(owner.ID, "tok-1") != ne ||
		len(ne.ENIs) != len(subnets) || len(ne.DNSEntries()) != 1+len(subnets) {
		t.Fatalf("created endpoint: %+v", ne)
	}
	w.Advance(w.Now.Add(PendingToAvailableDelay))
	if ne.State != EndpointAvailable {
		t.Fatal(ne.State)
	}
}

func TestEvolveDNSVerification(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 4, Static: true})
	ledger := svcNamed(t, w, "ledger-ingest")
	if ledger.PrivateDNSState != DNSPendingVerification || ledger.AcceptsNewConnections() {
		t.Fatalf("ledger starts %s", ledger.PrivateDNSState)
	}
	// Without the TXT record: failed.
	t0 := w.Now
	if err := w.startDNSVerification(ledger, t0); err != nil {
		t.Fatal(err)
	}
	w.Advance(t0.Add(DNSVerifyDelay - time.Second))
	if ledger.PrivateDNSState != DNSPendingVerification {
		t.Fatal(ledger.PrivateDNSState)
	}
	w.Advance(t0.Add(DNSVerifyDelay))
	if ledger.PrivateDNSState != DNSFailed {
		t.Fatalf("without TXT: %s", ledger.PrivateDNSState)
	}
	// A wrong value does not verify either; the right one (name with trailing dot, quoted) does.
	w.PublishTXT(ledger.TXTRecordName(), "vpce:wrong")
	_ = w.startDNSVerification(ledger, w.Now)
	w.Advance(w.Now.Add(DNSVerifyDelay))
	if ledger.PrivateDNSState != DNSFailed {
		t.Fatalf("wrong TXT: %s", ledger.PrivateDNSState)
	}
	w.PublishTXT(ledger.TXTRecordName()+".", `"`+ledger.TXTValue()+`"`)
	_ = w.startDNSVerification(ledger, w.Now)
	w.Advance(w.Now.Add(DNSVerifyDelay))
	if ledger.PrivateDNSState != DNSVerified || !ledger.AcceptsNewConnections() {
		t.Fatalf("with TXT: %s", ledger.PrivateDNSState)
	}
	// A new name needs a new token and a new verification.
	old := ledger.DNSToken
	w.setPrivateDNSName(ledger, "Ingest2.Ledger.Example.NET")
	if ledger.PrivateDNSName != "ingest2.ledger.example.net" || ledger.DNSToken == old || ledger.PrivateDNSState != DNSPendingVerification {
		t.Fatalf("renamed: %s %s %s", ledger.PrivateDNSName, ledger.DNSToken, ledger.PrivateDNSState)
	}
	w.removePrivateDNSName(ledger)
	if err := w.startDNSVerification(ledger, w.Now); err == nil {
		t.Fatal("verification without a name")
	}
}

func TestEvolveServiceCreateAndDelete(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 6, Static: true})
	lb := w.LoadBalancerByName("orders-nlb")
	if lb == nil || lb.ServiceID != "" || lb.Type != LBTypeNetwork {
		t.Fatalf("spare NLB: %+v", lb)
	}
	t0 := w.Now
	svc := w.createService(ServiceInput{Owner: w.Provider, NLBARNs: []string{lb.ARN}, AcceptanceRequired: true,
		PrivateDNSName: "orders.example.com", Tags: []Tag{{"Name", "orders-api"}}, ClientToken: "ct-1"}, t0)
	if svc.State != ServicePending || lb.ServiceID != svc.ID || w.ServiceByClientToken(ProviderAccountID, "ct-1") != svc ||
		w.ServiceByName(svc.Name) != svc || svc.PrivateDNSState != DNSPendingVerification || len(svc.AZIDs) != len(lb.Zones) {
		t.Fatalf("created: %+v", svc)
	}
	i := SeekServices(w.ServiceList, svc.ID)
	if w.ServiceList[i] != svc {
		t.Fatal("not in ServiceList at its ID's place")
	}
	w.Advance(t0.Add(ServiceCreateDelay))
	if svc.State != ServiceAvailable {
		t.Fatal(svc.State)
	}
	p := w.addPrincipal(svc, "arn:aws:iam::"+w.AccountList[1].ID+":root")
	if p.Type != "Account" || w.addPrincipal(svc, p.ARN) != p || !svc.AllowsAccount(w.AccountList[1].ID) {
		t.Fatalf("principal %+v", p)
	}
	n := w.addNotification(&Notification{ServiceID: svc.ID, TopicARN: "arn:aws:sns:us-east-1:111122223333:t", Events: []string{"Accept"}})
	if w.Notification(n.ID) != n || len(svc.Notifications) != 1 {
		t.Fatal("notification not indexed")
	}

	// A service with active connections cannot be deleted.
	pay := svcNamed(t, w, "payments-api")
	var te *TransitionError
	if err := w.deleteService(pay, w.Now); !errors.As(err, &te) || te.Code != "ExistingVpcEndpointConnections" {
		t.Fatalf("delete busy service: %v", err)
	}
	total := len(w.EndpointList)
	for _, e := range pay.Endpoints {
		if e.Active() {
			if err := w.rejectEndpoint(e, w.Now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.deleteService(pay, w.Now); err != nil {
		t.Fatal(err)
	}
	if w.Service(pay.ID) != nil || len(w.EndpointList) != total-len(pay.Endpoints) || w.LoadBalancer(pay.NLBARNs[0]).ServiceID != "" {
		t.Fatal("deleted service still indexed")
	}
	if w.Endpoint(pay.Endpoints[0].ID) == nil {
		t.Fatal("consumer endpoint vanished with the service")
	}
}

func TestEvolveTargetHealth(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 8})
	pay := svcNamed(t, w, "payments-api")
	tg := w.LoadBalancer(pay.NLBARNs[0]).TargetGroups[0]
	past := 0
	for _, tt := range tg.Targets {
		past += len(tt.History)
	}
	if past < 20 {
		t.Errorf("payments targets have little past health history (%d transitions)", past)
	}
	ledger := svcNamed(t, w, "ledger-ingest")
	llb := w.LoadBalancer(ledger.NLBARNs[0])
	w.Advance(w.Now.Add(3 * time.Hour))
	after := 0
	for _, tt := range tg.Targets {
		after += len(tt.History)
		if st, rs := tt.StateAt(w.Now); st != tt.State || rs != tt.Reason {
			t.Errorf("target %s: StateAt %s, state %s", tt.ID, st, tt.State)
		}
	}
	if after <= past {
		t.Error("no health changes in 3 h on a flapping target group")
	}
	dead := 0
	for _, n := range healthyByZone(llb) {
		if n == 0 {
			dead++
		}
	}
	if dead != 1 {
		t.Errorf("ledger NLB: %d zones without healthy targets, want 1", dead)
	}
}

// BenchmarkEvolveFleetHour is one simulated hour of a fleet world, in one-second steps (the
// server advances the world at every request).
func BenchmarkEvolveFleetHour(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		w := NewWorld(WorldConfig{Seed: 1, Services: 500, Connections: 50000})
		b.StartTimer()
		for s := 1; s <= 3600; s++ {
			w.Advance(w.Config.Start.Add(time.Duration(s) * time.Second))
		}
	}
}
