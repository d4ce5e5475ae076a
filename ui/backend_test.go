package ui

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/plconsole/plconsole/model"
)

// testNow is the fixed clock every screen test renders against.
var testNow = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// newTestBackend returns the backend the ui tests run against: a small, fixed world.
func newTestBackend(t testing.TB) *fakeBackend {
	t.Helper()
	return newFakeBackend(model.ModeDemo)
}

// fakeBackend is an in-memory Backend over fixed model data. Writes change its state the
// way AWS would, so screens after an action show its effect.
type fakeBackend struct {
	mu       sync.Mutex
	mode     model.Mode
	ident    model.Identity
	services []model.EndpointService
	conns    []model.Connection
	lbs      []model.LoadBalancer
	calls    []model.APICall
	writes   []string
	failIDs  map[string]string // endpoint id → error code
	listErr  error
	block    chan struct{} // when set, Refresh waits on it
	active   int
	lastDone time.Time
	reads    map[string]int // Backend read method → calls
	// failParts makes Refresh fail those parts (nil: none).
	failParts model.RefreshErrors
	// switchDelay, when set, runs before a switch takes effect (a slow or cancelled switch).
	switchDelay func(ctx context.Context, what, value string) error
}

// countRead counts a call of a Backend read method; the caller holds b.mu.
func (b *fakeBackend) countRead(method string) {
	if b.reads == nil {
		b.reads = map[string]int{}
	}
	b.reads[method]++
}

// readCounts returns the read calls so far and starts counting afresh.
func (b *fakeBackend) readCounts() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.reads
	b.reads = nil
	if out == nil {
		out = map[string]int{}
	}
	return out
}

// busy marks a call in progress; screen tests wait until the backend is idle.
func (b *fakeBackend) busy() func() {
	b.mu.Lock()
	b.active++
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.active--
		b.lastDone = time.Now()
		b.mu.Unlock()
	}
}

// idle reports whether no call is running and none finished within d.
func (b *fakeBackend) idle(d time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.active == 0 && time.Since(b.lastDone) > d
}

func svcID(n int) string  { return fmt.Sprintf("vpce-svc-%017x", n) }
func vpceID(n int) string { return fmt.Sprintf("vpce-%017x", n) }

func newFakeBackend(mode model.Mode) *fakeBackend {
	b := &fakeBackend{mode: mode, failIDs: map[string]string{}}
	b.ident = model.Identity{Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/ops", Profile: "demo", Region: "us-east-1"}
	lbARN := func(name string) string {
		return "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/" + name + "/0123456789abcdef"
	}
	tgARN := func(name string) string {
		return "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/" + name + "/fedcba9876543210"
	}
	b.services = []model.EndpointService{
		{
			ID: svcID(0xa1), Name: model.ServiceNameFor("us-east-1", svcID(0xa1)), DisplayName: "payments-api",
			Type: model.ServiceTypeInterface, State: model.ServiceAvailable, AcceptanceRequired: true,
			NetworkLoadBalancers: []string{lbARN("payments-nlb")},
			AvailabilityZones:    []string{"us-east-1a", "us-east-1b", "us-east-1c"},
			BaseEndpointDNSNames: []string{svcID(0xa1) + ".us-east-1.vpce.amazonaws.com"},
			PrivateDNS: &model.PrivateDNS{Name: "api.payments.example.com", State: model.DNSPendingVerification,
				TXTName: "_a1b2c3d4e5", TXTValue: "vpce:Zx81kQ2pLm", Type: "TXT"},
			SupportedIPTypes: []string{"ipv4"},
			Tags:             map[string]string{"Name": "payments-api", "team": "payments"},
			AllowedPrincipals: []model.Principal{
				{ARN: "arn:aws:iam::444455556666:root", Type: "Account", ID: "vpce-svc-perm-0a1"},
				{ARN: "arn:aws:iam::777788889999:role/consumer", Type: "Role", ID: "vpce-svc-perm-0a2"},
			},
			Notifications: []model.Notification{{ID: "vpce-nfn-0000000000000a1", TopicARN: "arn:aws:sns:us-east-1:111122223333:pl-events",
				Events: []model.NotificationEvent{model.EventConnect, model.EventAccept}, ServiceID: svcID(0xa1), State: "Enabled"}},
		},
		{
			ID: svcID(0xb2), Name: model.ServiceNameFor("us-east-1", svcID(0xb2)), DisplayName: "search",
			Type: model.ServiceTypeInterface, State: model.ServiceAvailable, AcceptanceRequired: false,
			NetworkLoadBalancers: []string{lbARN("search-nlb")},
			AvailabilityZones:    []string{"us-east-1a", "us-east-1b"},
			BaseEndpointDNSNames: []string{svcID(0xb2) + ".us-east-1.vpce.amazonaws.com"},
			PrivateDNS:           &model.PrivateDNS{Name: "search.example.com", State: model.DNSVerified, TXTName: "_ffee", TXTValue: "vpce:ok", Type: "TXT"},
			SupportedIPTypes:     []string{"ipv4", "ipv6"},
			PayerResponsibility:  model.PayerServiceOwner,
			AllowedPrincipals:    []model.Principal{{ARN: "*", Type: "All"}},
		},
		{
			ID: svcID(0xc3), Name: model.ServiceNameFor("us-east-1", svcID(0xc3)),
			Type: model.ServiceTypeInterface, State: model.ServicePending, AcceptanceRequired: true,
			NetworkLoadBalancers: []string{lbARN("ledger-nlb")},
			AvailabilityZones:    []string{"us-east-1a"},
			SupportedIPTypes:     []string{"ipv4"},
		},
	}
	states := []model.ConnectionState{model.StatePendingAcceptance, model.StateAvailable, model.StatePendingAcceptance,
		model.StateAvailable, model.StateRejected, model.StatePendingAcceptance, model.StateAvailable, model.StatePending}
	owners := []string{"444455556666", "777788889999", "123456789012", "210987654321"}
	svcs := []string{svcID(0xa1), svcID(0xa1), svcID(0xb2), svcID(0xa1), svcID(0xb2), svcID(0xc3)}
	for i := 0; i < 18; i++ {
		b.conns = append(b.conns, model.Connection{
			ServiceID: svcs[i%len(svcs)], EndpointID: vpceID(0x100 + i), ConnectionID: fmt.Sprintf("vpce-con-%d", i),
			OwnerAccount: owners[i%len(owners)], State: states[i%len(states)],
			Created:       testNow.Add(-time.Duration(i*i+1) * 7 * time.Minute),
			Region:        []string{"us-east-1", "us-east-1", "us-west-2"}[i%3],
			IPAddressType: []string{"ipv4", "dualstack"}[i%2],
		})
	}
	b.lbs = []model.LoadBalancer{
		{ARN: lbARN("payments-nlb"), Name: "payments-nlb", Type: "network", Scheme: "internal", State: "active",
			AvailabilityZones: []model.LBZone{{Name: "us-east-1a", ID: "use1-az1"}, {Name: "us-east-1b", ID: "use1-az2"}, {Name: "us-east-1c", ID: "use1-az4"}},
			TargetGroups: []model.TargetGroup{{ARN: tgARN("payments-tg"), Name: "payments-tg", Protocol: "TCP", Port: 443, TargetType: "instance", CrossZone: "false",
				Targets: []model.Target{
					{ID: "i-0aa11", Port: 443, AZ: "us-east-1a", State: model.TargetHealthy},
					{ID: "i-0bb22", Port: 443, AZ: "us-east-1b", State: model.TargetUnhealthy, Reason: "Target.Timeout"},
					{ID: "i-0cc33", Port: 443, AZ: "us-east-1c", State: model.TargetHealthy},
				}}}},
		{ARN: lbARN("search-nlb"), Name: "search-nlb", Type: "network", Scheme: "internal", State: "active",
			AvailabilityZones: []model.LBZone{{Name: "us-east-1a", ID: "use1-az1"}, {Name: "us-east-1b", ID: "use1-az2"}},
			TargetGroups: []model.TargetGroup{{ARN: tgARN("search-tg"), Name: "search-tg", Protocol: "TCP", Port: 9200,
				Targets: []model.Target{{ID: "10.0.1.10", Port: 9200, AZ: "us-east-1a", State: model.TargetHealthy},
					{ID: "10.0.2.10", Port: 9200, AZ: "us-east-1b", State: model.TargetInitial, Reason: "Elb.InitialHealthChecking"}}}}},
	}
	for i, op := range []string{"GetCallerIdentity", "DescribeVpcEndpointServiceConfigurations", "DescribeVpcEndpointConnections", "DescribeLoadBalancers"} {
		c := model.APICall{Time: testNow.Add(time.Duration(i-10) * time.Second), Service: "ec2", Operation: op,
			Duration: time.Duration(20+i*7) * time.Millisecond, Attempts: 1, Status: 200, RequestID: fmt.Sprintf("req-%04d", i)}
		if i == 0 {
			c.Service = "sts"
		}
		if i == 3 {
			c.Service, c.Attempts, c.Status, c.ErrorCode, c.Error = "elasticloadbalancing", 3, 400, "Throttling", "Rate exceeded"
		}
		b.calls = append(b.calls, c)
	}
	return b
}

func (b *fakeBackend) log(op string) {
	b.calls = append(b.calls, model.APICall{Time: testNow, Service: "ec2", Operation: op, Attempts: 1, Status: 200, RequestID: "req-" + op})
}

func (b *fakeBackend) Identity() model.Identity { b.mu.Lock(); defer b.mu.Unlock(); return b.ident }
func (b *fakeBackend) Mode() model.Mode         { return b.mode }

func (b *fakeBackend) SwitchProfile(ctx context.Context, p string) (model.Identity, error) {
	defer b.busy()()
	if b.switchDelay != nil {
		if err := b.switchDelay(ctx, "profile", p); err != nil {
			return model.Identity{}, err
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if p == "broken" {
		return model.Identity{}, fmt.Errorf("switch profile: %w", &model.AWSError{Code: "InvalidClientTokenId", Sentence: "the profile's credentials are not valid"})
	}
	b.ident.Profile = p
	b.ident.Account = "999988887777"
	return b.ident, nil
}

func (b *fakeBackend) SwitchRegion(ctx context.Context, r string) (model.Identity, error) {
	defer b.busy()()
	if b.switchDelay != nil {
		if err := b.switchDelay(ctx, "region", r); err != nil {
			return model.Identity{}, err
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ident.Region = r
	return b.ident, nil
}

func (b *fakeBackend) Refresh(_ context.Context, req model.RefreshRequest) (model.Snapshot, error) {
	defer b.busy()()
	if b.block != nil {
		<-b.block
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.countRead("Refresh")
	b.log("DescribeVpcEndpointServiceConfigurations")
	b.log("DescribeVpcEndpointConnections")
	snap := model.Snapshot{Identity: b.ident, Taken: testNow, Requests: 2, Errors: b.failParts}
	if b.listErr != nil {
		return snap, b.listErr
	}
	if snap.Errors.Services == nil {
		snap.Services = b.listServices()
	}
	if snap.Errors.Connections == nil {
		snap.Connections = b.listConnections("")
	}
	if req.LoadBalancers && snap.Errors.Services == nil && snap.Errors.LoadBalancers == nil {
		var arns []string
		for _, s := range snap.Services {
			arns = append(arns, s.NetworkLoadBalancers...)
			arns = append(arns, s.GatewayLoadBalancers...)
		}
		snap.LoadBalancers = b.listLoadBalancers(arns)
		snap.Requests += 2 + len(snap.LoadBalancers)
	}
	return snap, snap.Errors.Err()
}

// listServices is the services without principals and notifications; the caller holds b.mu.
func (b *fakeBackend) listServices() []model.EndpointService {
	out := make([]model.EndpointService, len(b.services))
	for i, s := range b.services {
		s.AllowedPrincipals, s.Notifications = nil, nil
		out[i] = s
	}
	return out
}

func (b *fakeBackend) ServiceDetail(_ context.Context, id string) (model.EndpointService, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.countRead("ServiceDetail")
	for _, s := range b.services {
		if s.ID == id {
			return s, nil
		}
	}
	return model.EndpointService{}, &model.AWSError{Code: "InvalidVpcEndpointServiceId.NotFound", Sentence: "no such service"}
}

func (b *fakeBackend) ListPrincipals(_ context.Context, id string) ([]model.Principal, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.countRead("ListPrincipals")
	if s := b.svc(id); s != nil {
		return append([]model.Principal{}, s.AllowedPrincipals...), nil
	}
	return nil, &model.AWSError{Operation: "DescribeVpcEndpointServicePermissions", Code: "InvalidVpcEndpointServiceId.NotFound", Sentence: "no such service"}
}

// listConnections is the connections of a service, or of all when id is ""; the caller
// holds b.mu.
func (b *fakeBackend) listConnections(id string) []model.Connection {
	if id == "" {
		// one copy, as a decoder's answer is a fresh slice (the ingest benchmark reads 50,000)
		return slices.Clone(b.conns)
	}
	var out []model.Connection
	for _, c := range b.conns {
		if id == "" || c.ServiceID == id {
			out = append(out, c)
		}
	}
	return out
}

func (b *fakeBackend) ListLoadBalancers(_ context.Context, arns []string) ([]model.LoadBalancer, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.countRead("ListLoadBalancers")
	return b.listLoadBalancers(arns), nil
}

// listLoadBalancers is the load balancers among arns; the caller holds b.mu.
func (b *fakeBackend) listLoadBalancers(arns []string) []model.LoadBalancer {
	var out []model.LoadBalancer
	for _, lb := range b.lbs {
		for _, a := range arns {
			if a == lb.ARN {
				// a copy of its own, as a decoder's answer is: a test that changes b.lbs
				// afterwards must not change what the console already holds
				lb.TargetGroups = slices.Clone(lb.TargetGroups)
				for i := range lb.TargetGroups {
					lb.TargetGroups[i].Targets = slices.Clone(lb.TargetGroups[i].Targets)
				}
				lb.AvailabilityZones = slices.Clone(lb.AvailabilityZones)
				lb.Listeners = slices.Clone(lb.Listeners)
				out = append(out, lb)
			}
		}
	}
	return out
}

func (b *fakeBackend) write(op string) error {
	b.writes = append(b.writes, op)
	switch b.mode {
	case model.ModeReadOnly:
		return fmt.Errorf("%s: %w", op, model.ErrReadOnly)
	case model.ModeDryRun:
		return &model.DryRunResult{Operation: op, WouldSucceed: true, RequestID: "req-dry"}
	}
	return nil
}

func (b *fakeBackend) setState(serviceID string, ids []string, accept bool) ([]model.ItemResult, error) {
	op := "RejectVpcEndpointConnections"
	if accept {
		op = "AcceptVpcEndpointConnections"
	}
	if err := b.write(op); err != nil {
		return nil, err
	}
	var res []model.ItemResult
	for _, id := range ids {
		if code, bad := b.failIDs[id]; bad {
			res = append(res, model.ItemResult{ID: id, Code: code, Message: "the endpoint is not in a valid state"})
			continue
		}
		found := false
		for i := range b.conns {
			c := &b.conns[i]
			if c.ServiceID == serviceID && c.EndpointID == id {
				found = true
				if accept {
					c.State = model.StateAvailable
				} else {
					c.State = model.StateRejected
				}
			}
		}
		if found {
			res = append(res, model.ItemResult{ID: id, OK: true})
		} else {
			res = append(res, model.ItemResult{ID: id, Code: "InvalidVpcEndpointId.NotFound", Message: "not found"})
		}
	}
	return res, nil
}

func (b *fakeBackend) AcceptConnections(_ context.Context, s string, ids []string) ([]model.ItemResult, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.setState(s, ids, true)
}

func (b *fakeBackend) RejectConnections(_ context.Context, s string, ids []string) ([]model.ItemResult, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.setState(s, ids, false)
}

func (b *fakeBackend) svc(id string) *model.EndpointService {
	for i := range b.services {
		if b.services[i].ID == id {
			return &b.services[i]
		}
	}
	return nil
}

func (b *fakeBackend) AddPrincipals(_ context.Context, id string, arns []string) error {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("ModifyVpcEndpointServicePermissions"); err != nil {
		return err
	}
	s := b.svc(id)
	for _, a := range arns {
		s.AllowedPrincipals = append(s.AllowedPrincipals, model.Principal{ARN: a, Type: "Account"})
	}
	return nil
}

func (b *fakeBackend) RemovePrincipals(_ context.Context, id string, arns []string) error {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("ModifyVpcEndpointServicePermissions"); err != nil {
		return err
	}
	s := b.svc(id)
	var keep []model.Principal
	for _, p := range s.AllowedPrincipals {
		drop := false
		for _, a := range arns {
			drop = drop || a == p.ARN
		}
		if !drop {
			keep = append(keep, p)
		}
	}
	s.AllowedPrincipals = keep
	return nil
}

func (b *fakeBackend) StartDNSVerification(_ context.Context, id string) error {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.write("StartVpcEndpointServicePrivateDnsVerification")
}

func (b *fakeBackend) SetPayerResponsibility(_ context.Context, id string, p model.PayerResponsibility) error {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("ModifyVpcEndpointServicePayerResponsibility"); err != nil {
		return err
	}
	b.svc(id).PayerResponsibility = p
	return nil
}

func (b *fakeBackend) CreateNotification(_ context.Context, id, topic string, ev []model.NotificationEvent) (model.Notification, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("CreateVpcEndpointConnectionNotification"); err != nil {
		return model.Notification{}, err
	}
	n := model.Notification{ID: fmt.Sprintf("vpce-nfn-%017x", len(b.writes)), TopicARN: topic, Events: ev, ServiceID: id, State: "Enabled"}
	s := b.svc(id)
	s.Notifications = append(s.Notifications, n)
	return n, nil
}

func (b *fakeBackend) DeleteNotifications(_ context.Context, ids []string) ([]model.ItemResult, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("DeleteVpcEndpointConnectionNotifications"); err != nil {
		return nil, err
	}
	var res []model.ItemResult
	for i := range b.services {
		s := &b.services[i]
		var keep []model.Notification
		for _, n := range s.Notifications {
			drop := false
			for _, id := range ids {
				drop = drop || id == n.ID
			}
			if drop {
				res = append(res, model.ItemResult{ID: n.ID, OK: true})
			} else {
				keep = append(keep, n)
			}
		}
		s.Notifications = keep
	}
	return res, nil
}

func (b *fakeBackend) DeleteService(_ context.Context, id string) error {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("DeleteVpcEndpointServiceConfigurations"); err != nil {
		return err
	}
	var keep []model.EndpointService
	for _, s := range b.services {
		if s.ID != id {
			keep = append(keep, s)
		}
	}
	b.services = keep
	return nil
}

func (b *fakeBackend) APICalls() []model.APICall {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]model.APICall(nil), b.calls[:4]...) // the fixed part: screens stay deterministic
	return out
}

func (b *fakeBackend) connState(id string) model.ConnectionState {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.conns {
		if c.EndpointID == id {
			return c.State
		}
	}
	return ""
}

func (b *fakeBackend) writeLog() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]string(nil), b.writes...)
	sort.Strings(out)
	return out
}

var _ Backend = (*fakeBackend)(nil)
