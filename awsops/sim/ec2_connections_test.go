package sim

import (
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// listConnections pages through DescribeVpcEndpointConnections with the SDK paginator.
func listConnections(t testing.TB, c *ec2.Client, pageSize int32, filters ...types.Filter) ([]types.VpcEndpointConnection, int) {
	t.Helper()
	var all []types.VpcEndpointConnection
	pages := 0
	p := ec2.NewDescribeVpcEndpointConnectionsPaginator(c, &ec2.DescribeVpcEndpointConnectionsInput{
		MaxResults: aws.Int32(pageSize), Filters: filters})
	for p.HasMorePages() {
		out, err := p.NextPage(ec2ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, out.VpcEndpointConnections...)
	}
	return all, pages
}

func TestDescribeConnectionsPagesEveryConnectionOnce(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Services: 5, Connections: 230, Static: true})
	all, pages := listConnections(t, e.prov, 50)
	var want int
	e.read(func(w *World) { want = len(w.EndpointList) })
	if len(all) != want || pages != (want+49)/50 {
		t.Fatalf("listed %d connections in %d pages, want %d", len(all), pages, want)
	}
	seen := map[string]bool{}
	for _, c := range all {
		id := aws.ToString(c.VpcEndpointId)
		if seen[id] {
			t.Fatalf("%s listed twice", id)
		}
		seen[id] = true
		if c.CreationTimestamp == nil || aws.ToString(c.VpcEndpointOwner) == "" || c.VpcEndpointState == "" ||
			aws.ToString(c.VpcEndpointConnectionId) == "" || len(c.NetworkLoadBalancerArns) == 0 ||
			aws.ToString(c.VpcEndpointRegion) == "" || c.IpAddressType == "" {
			t.Fatalf("incomplete connection %+v", c)
		}
	}
	// Every returned field round-trips: compare one with the world.
	first := all[0]
	e.read(func(w *World) {
		ep := w.Endpoint(aws.ToString(first.VpcEndpointId))
		if ep.ServiceID != aws.ToString(first.ServiceId) || string(first.VpcEndpointState) != ep.State ||
			!first.CreationTimestamp.Equal(ep.CreatedAt.Truncate(time.Millisecond)) || len(first.DnsEntries) != len(ep.DNSEntries()) {
			t.Fatalf("connection %+v does not match endpoint %+v", first, ep)
		}
	})

	// Filters.
	payments := e.serviceByLabel("payments-api")
	bySvc, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("service-id"), Values: []string{payments.ID}})
	var n int
	e.read(func(w *World) { n = len(payments.Endpoints) })
	if len(bySvc) != n {
		t.Fatalf("service-id filter: %d, want %d", len(bySvc), n)
	}
	pending, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("vpc-endpoint-state"), Values: []string{"pendingAcceptance"}})
	if len(pending) < 8 {
		t.Fatalf("the scenario's burst of pending requests is missing: %d", len(pending))
	}
	for _, c := range pending {
		if c.VpcEndpointState != types.State(EndpointPendingAcceptance) {
			t.Fatalf("state filter let %s through", c.VpcEndpointState)
		}
	}
	owner := aws.ToString(all[0].VpcEndpointOwner)
	byOwner, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("vpc-endpoint-owner"), Values: []string{owner}})
	for _, c := range byOwner {
		if aws.ToString(c.VpcEndpointOwner) != owner {
			t.Fatal("owner filter let another owner through")
		}
	}
	cross, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("vpc-endpoint-region"), Values: []string{"us-west-2"}})
	for _, c := range cross {
		if aws.ToString(c.VpcEndpointRegion) != "us-west-2" {
			t.Fatal("region filter let another region through")
		}
	}
	one, _ := listConnections(t, e.prov, 5, types.Filter{Name: aws.String("vpc-endpoint-id"), Values: []string{aws.ToString(first.VpcEndpointId)}})
	v4, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("ip-address-type"), Values: []string{"ipv4"}})
	if len(one) != 1 || len(v4) != len(all) {
		t.Fatalf("vpc-endpoint-id: %d, ip-address-type: %d", len(one), len(v4))
	}
	// A consumer has no services, so no connections.
	mine, _ := listConnections(t, e.client(owner), 1000)
	if len(mine) != 0 {
		t.Fatalf("consumer sees %d connections", len(mine))
	}

	_, err := e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(1)})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidNextToken")
	// A token from another operation is refused too.
	foreign := encodeToken("DescribeVpcEndpointServiceConfigurations", "1")
	_, err = e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{NextToken: &foreign})
	wantCode(t, err, "InvalidNextToken")
	_, err = e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{
		Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{"vpc-1"}}}})
	wantCode(t, err, "InvalidParameterValue")
	_, err = e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
}

// TestConnectionLifeCycle walks a connection through every legal state from both sides.
func TestConnectionLifeCycle(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	// The provider creates a service on a spare NLB, acceptance required.
	created, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{e.spareLB(LBTypeNetwork)}, AcceptanceRequired: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	svcID := aws.ToString(created.ServiceConfiguration.ServiceId)
	svcName := aws.ToString(created.ServiceConfiguration.ServiceName)
	consumer := e.consumer(nil)
	cons := e.client(consumer.ID)
	var svc *Service
	e.read(func(w *World) { svc = w.Service(svcID) })
	vpcID, subnets, _ := e.subnetsFor(consumer, svc)
	create := func(token string) (*ec2.CreateVpcEndpointOutput, error) {
		return cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{
			VpcEndpointType: types.VpcEndpointTypeInterface, VpcId: aws.String(vpcID), ServiceName: aws.String(svcName),
			SubnetIds: subnets, ClientToken: aws.String(token)})
	}
	// Not yet Available, and the consumer is not an allowed principal.
	_, err = create("t0")
	wantCode(t, err, "InvalidServiceName")
	if _, err := e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(svcID), AddAllowedPrincipals: []string{"arn:aws:iam::" + consumer.ID + ":root"}}); err != nil {
		t.Fatal(err)
	}
	_, err = create("t0")
	wantCode(t, err, "InvalidParameter") // service still Pending
	e.advance(ServiceCreateDelay)

	out, err := create("t1")
	if err != nil {
		t.Fatal(err)
	}
	epID := aws.ToString(out.VpcEndpoint.VpcEndpointId)
	if out.VpcEndpoint.State != types.State(EndpointPendingAcceptance) {
		t.Fatalf("new endpoint state %s", out.VpcEndpoint.State)
	}
	state := func() types.State {
		t.Helper()
		conns, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("service-id"), Values: []string{svcID}})
		for _, c := range conns {
			if aws.ToString(c.VpcEndpointId) == epID {
				if aws.ToString(c.VpcEndpointOwner) != consumer.ID {
					t.Fatalf("owner %s", aws.ToString(c.VpcEndpointOwner))
				}
				return c.VpcEndpointState
			}
		}
		t.Fatalf("provider does not see %s", epID)
		return ""
	}
	if s := state(); s != types.State(EndpointPendingAcceptance) {
		t.Fatalf("provider sees %s", s)
	}
	// Dry run, an unknown endpoint and a wrong service.
	_, err = e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{epID}, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	_, err = cons.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{epID}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")
	_, err = e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String("vpce-svc-11111111111111111"), VpcEndpointIds: []string{epID}})
	wantCode(t, err, "InvalidVpcEndpointServiceId.NotFound")

	acc, err := e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{epID, "vpce-00000000000000000"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(acc.Unsuccessful) != 1 || aws.ToString(acc.Unsuccessful[0].ResourceId) != "vpce-00000000000000000" ||
		aws.ToString(acc.Unsuccessful[0].Error.Code) != "InvalidVpcEndpointId.NotFound" {
		t.Fatalf("unsuccessful = %+v", acc.Unsuccessful)
	}
	if s := state(); s != types.State(EndpointPending) {
		t.Fatalf("after accept: %s", s)
	}
	// Accepting twice is an illegal transition, reported per item.
	acc, _ = e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{epID}})
	if len(acc.Unsuccessful) != 1 || aws.ToString(acc.Unsuccessful[0].Error.Code) != "InvalidState" {
		t.Fatalf("second accept: %+v", acc.Unsuccessful)
	}
	e.advance(PendingToAvailableDelay)
	if s := state(); s != types.State(EndpointAvailable) {
		t.Fatalf("after %v: %s", PendingToAvailableDelay, s)
	}
	// The consumer sees the same state.
	eps, err := cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{epID}})
	if err != nil || eps.VpcEndpoints[0].State != types.State(EndpointAvailable) {
		t.Fatalf("consumer view: %+v %v", eps, err)
	}
	// Replaying the consumer's token returns the same endpoint.
	again, err := create("t1")
	if err != nil || aws.ToString(again.VpcEndpoint.VpcEndpointId) != epID {
		t.Fatalf("replay: %v %v", again, err)
	}

	// The provider rejects an available connection; rejecting again is illegal.
	rej, err := e.prov.RejectVpcEndpointConnections(ec2ctx, &ec2.RejectVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{epID}})
	if err != nil || len(rej.Unsuccessful) != 0 {
		t.Fatalf("reject: %+v %v", rej, err)
	}
	if s := state(); s != types.State(EndpointRejected) {
		t.Fatalf("after reject: %s", s)
	}
	rej, _ = e.prov.RejectVpcEndpointConnections(ec2ctx, &ec2.RejectVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{epID}})
	if len(rej.Unsuccessful) != 1 || aws.ToString(rej.Unsuccessful[0].Error.Code) != "InvalidState" {
		t.Fatalf("second reject: %+v", rej.Unsuccessful)
	}

	// A second request is rejected while pending; a third expires unanswered.
	second, err := create("t2")
	if err != nil {
		t.Fatal(err)
	}
	secondID := aws.ToString(second.VpcEndpoint.VpcEndpointId)
	if _, err := e.prov.RejectVpcEndpointConnections(ec2ctx, &ec2.RejectVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{secondID}}); err != nil {
		t.Fatal(err)
	}
	third, err := create("t3")
	if err != nil {
		t.Fatal(err)
	}
	thirdID := aws.ToString(third.VpcEndpoint.VpcEndpointId)
	e.advance(DefaultPendingExpiry)
	conns, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("service-id"), Values: []string{svcID}})
	states := map[string]types.State{}
	for _, c := range conns {
		states[aws.ToString(c.VpcEndpointId)] = c.VpcEndpointState
	}
	if states[secondID] != types.State(EndpointRejected) || states[thirdID] != types.State(EndpointExpired) {
		t.Fatalf("states = %v", states)
	}

	// A fourth is accepted, then the consumer deletes it: deleting → deleted.
	fourth, err := create("t4")
	if err != nil {
		t.Fatal(err)
	}
	fourthID := aws.ToString(fourth.VpcEndpoint.VpcEndpointId)
	if _, err := e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{fourthID}}); err != nil {
		t.Fatal(err)
	}
	e.advance(PendingToAvailableDelay)
	// The provider cannot delete a consumer's endpoint.
	del, err := e.prov.DeleteVpcEndpoints(ec2ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{fourthID}})
	if err != nil || len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidVpcEndpoint.NotFound" {
		t.Fatalf("provider delete: %+v %v", del, err)
	}
	_, err = cons.DeleteVpcEndpoints(ec2ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{fourthID}, DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	del, err = cons.DeleteVpcEndpoints(ec2ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{fourthID}})
	if err != nil || len(del.Unsuccessful) != 0 {
		t.Fatalf("consumer delete: %+v %v", del, err)
	}
	conns, _ = listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("vpc-endpoint-id"), Values: []string{fourthID}})
	if len(conns) != 1 || conns[0].VpcEndpointState != types.State(EndpointDeleting) {
		t.Fatalf("after delete: %+v", conns)
	}
	e.advance(EndpointDeleteDelay)
	conns, _ = listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("vpc-endpoint-id"), Values: []string{fourthID}})
	if len(conns) != 1 || conns[0].VpcEndpointState != types.State(EndpointDeleted) {
		t.Fatalf("after %v: %+v", EndpointDeleteDelay, conns)
	}
	// Deleted endpoints disappear from the consumer's view.
	_, err = cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{fourthID}})
	wantCode(t, err, "InvalidVpcEndpointId.NotFound")

	// Rejecting from an expired state is illegal; the provider's reject reports it.
	rej, _ = e.prov.RejectVpcEndpointConnections(ec2ctx, &ec2.RejectVpcEndpointConnectionsInput{
		ServiceId: aws.String(svcID), VpcEndpointIds: []string{thirdID}})
	if len(rej.Unsuccessful) != 1 || aws.ToString(rej.Unsuccessful[0].Error.Code) != "InvalidState" {
		t.Fatalf("reject expired: %+v", rej.Unsuccessful)
	}
	e.wantRawCode(ProviderAccountID, "AcceptVpcEndpointConnections", "ServiceId="+svcID, "MissingParameter")
}

func TestAutoAcceptedConnection(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	search := e.serviceByLabel("search-gateway") // "*" principal, acceptance not required
	consumer := e.consumer(search)
	vpcID, subnets, _ := e.subnetsFor(consumer, search)
	out, err := e.client(consumer.ID).CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{
		VpcEndpointType: types.VpcEndpointTypeInterface, VpcId: aws.String(vpcID), ServiceName: aws.String(search.Name),
		SubnetIds: subnets})
	if err != nil {
		t.Fatal(err)
	}
	if out.VpcEndpoint.State != types.State(EndpointPending) {
		t.Fatalf("auto-accepted endpoint starts %s", out.VpcEndpoint.State)
	}
	e.advance(PendingToAvailableDelay)
	conns, _ := listConnections(t, e.prov, 1000, types.Filter{Name: aws.String("vpc-endpoint-id"),
		Values: []string{aws.ToString(out.VpcEndpoint.VpcEndpointId)}})
	if len(conns) != 1 || conns[0].VpcEndpointState != types.State(EndpointAvailable) {
		t.Fatalf("%+v", conns)
	}
}

// BenchmarkDescribeAllConnectionsFleet lists every connection of a fleet world (500
// services, 50,000 connections) through the SDK in 1,000-item pages. Budget: 2 s per listing
// on a 2-core machine.
func BenchmarkDescribeAllConnectionsFleet(b *testing.B) {
	e := newEC2Env(b, WorldConfig{Services: 500, Connections: 50000, Static: true})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		all, pages := listConnections(b, e.prov, 1000)
		if len(all) != 50000 || pages != 50 {
			b.Fatalf("%d connections in %d pages", len(all), pages)
		}
	}
}

// TestDescribeAllConnectionsFleet lists every connection of the fleet world once: 50,000 in
// 50 pages of 1,000, none twice. How fast is BenchmarkDescribeAllConnectionsFleet's to say;
// skipped in -short runs.
func TestDescribeAllConnectionsFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("fleet world")
	}
	e := newEC2Env(t, WorldConfig{Services: 500, Connections: 50000, Static: true})
	all, pages := listConnections(t, e.prov, 1000)
	if len(all) != 50000 || pages != 50 {
		t.Fatalf("listed %d connections in %d pages, want 50000 in 50", len(all), pages)
	}
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = aws.ToString(c.VpcEndpointId)
	}
	sort.Strings(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("%s listed twice", ids[i])
		}
	}
}

// TestAppendDNSEntriesMatchesWorld: the hot-path encoder writes exactly Endpoint.DNSEntries.
func TestAppendDNSEntriesMatchesWorld(t *testing.T) {
	w := NewWorld(WorldConfig{Seed: 3, Services: 20, Connections: 800, Static: true})
	for _, ep := range w.EndpointList {
		var want []byte
		for _, d := range ep.DNSEntries() {
			want = append(want, "<item><dnsName>"+d.DNSName+"</dnsName><hostedZoneId>"+d.HostedZoneID+"</hostedZoneId></item>"...)
		}
		if got := appendDNSEntries(nil, ep); string(got) != string(want) {
			t.Fatalf("%s:\n got %s\nwant %s", ep.ID, got, want)
		}
	}
}

// BenchmarkDescribeConnectionsPageHandler is the server's share of one 1,000-item page of a
// fleet listing (the handler only: no HTTP, no SDK decoding).
func BenchmarkDescribeConnectionsPageHandler(b *testing.B) {
	s := New(Options{World: WorldConfig{Services: 500, Connections: 50000, Static: true}})
	acct := s.World().Provider
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := Params{"MaxResults": "1000"}
		if page := i % 50; page > 0 {
			p["NextToken"] = encodeToken("DescribeVpcEndpointConnections", strconv.Itoa(page*1000))
		}
		if _, err := s.ec2DescribeConnections(&Call{Service: svcEC2, Action: "DescribeVpcEndpointConnections", Account: acct, Params: p}); err != nil {
			b.Fatal(err)
		}
	}
}
