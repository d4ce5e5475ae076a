package sim

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ClientToken idempotency as AWS documents it: a token is bound to the request that first
// used it. A retry with the same token and the same parameters returns the resource that
// request made, whatever happened to the resource since; the same token with other
// parameters is IdempotentParameterMismatch; another token is another request.

func TestCreateServiceConfigurationClientTokenComparesTheOriginalRequest(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	nlb := e.spareLB(LBTypeNetwork)
	in := ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{nlb},
		AcceptanceRequired:      aws.Bool(true),
		PrivateDnsName:          aws.String("orders.example.org"),
		ClientToken:             aws.String("orders-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpointService,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("orders")}}}},
	}
	count := func() (n int) {
		e.read(func(w *World) { n = len(w.ServiceList) })
		return n
	}
	before := count()
	out, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.ServiceConfiguration.ServiceId)

	// The service changes after the create: no acceptance, no private DNS name, one more region.
	if _, err := e.prov.ModifyVpcEndpointServiceConfiguration(ec2ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId: aws.String(id), AcceptanceRequired: aws.Bool(false), RemovePrivateDnsName: aws.Bool(true),
		AddSupportedRegions: []string{"us-west-2"}}); err != nil {
		t.Fatal(err)
	}

	// The original request again: the same service, as it is now, and nothing changes.
	again, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &in)
	if err != nil {
		t.Fatalf("replay after modify: %v", err)
	}
	sc := again.ServiceConfiguration
	if aws.ToString(sc.ServiceId) != id || aws.ToString(again.ClientToken) != "orders-1" ||
		aws.ToBool(sc.AcceptanceRequired) || aws.ToString(sc.PrivateDnsName) != "" || len(sc.SupportedRegions) != 2 {
		t.Fatalf("replay after modify: %+v (token %q)", sc, aws.ToString(again.ClientToken))
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d services after create and replay, want %d", n, before+1)
	}
	e.read(func(w *World) {
		if s := w.Service(id); s.AcceptanceRequired || s.PrivateDNSName != "" {
			t.Fatalf("the replay changed the service: acceptance %v, DNS name %q", s.AcceptanceRequired, s.PrivateDNSName)
		}
	})
	dry := in
	dry.DryRun = aws.Bool(true)
	_, err = e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &dry)
	wantCode(t, err, "DryRunOperation")

	// The same token with other parameters is a mismatch — also when they describe the
	// service as it is now.
	asNow := in
	asNow.AcceptanceRequired = aws.Bool(false)
	asNow.PrivateDnsName = nil
	otherTag := in
	otherTag.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpointService,
		Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("orders-2")}}}}
	otherDNS := in
	otherDNS.PrivateDnsName = aws.String("orders.example.net")
	for name, req := range map[string]*ec2.CreateVpcEndpointServiceConfigurationInput{
		"the service as it is now": &asNow, "another tag": &otherTag, "another DNS name": &otherDNS,
	} {
		_, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, req)
		if apiCode(err) != "IdempotentParameterMismatch" {
			t.Errorf("%s under the same token: %v, want IdempotentParameterMismatch", name, err)
		}
	}

	// Another token is another request: the load balancer already serves the service.
	fresh := in
	fresh.ClientToken = aws.String("orders-2")
	_, err = e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &fresh)
	wantCode(t, err, "InvalidParameter")
	if n := count(); n != before+1 {
		t.Fatalf("%d services, want %d", n, before+1)
	}
}

func TestCreateConnectionNotificationClientToken(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	search := e.serviceByLabel("search-gateway")
	topic := "arn:aws:sns:us-east-1:111122223333:search-connections"
	create := func(token string, events ...string) (string, error) {
		t.Helper()
		in := &ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: aws.String(search.ID),
			ConnectionNotificationArn: aws.String(topic), ConnectionEvents: events}
		if token != "" {
			in.ClientToken = aws.String(token)
		}
		out, err := e.prov.CreateVpcEndpointConnectionNotification(ec2ctx, in)
		if err != nil {
			return "", err
		}
		if aws.ToString(out.ClientToken) != token {
			t.Errorf("token %q answered with %q", token, aws.ToString(out.ClientToken))
		}
		return aws.ToString(out.ConnectionNotification.ConnectionNotificationId), nil
	}
	mustCreate := func(token string, events ...string) string {
		t.Helper()
		id, err := create(token, events...)
		if err != nil {
			t.Fatalf("create with token %q: %v", token, err)
		}
		return id
	}
	count := func() (n int) {
		e.read(func(w *World) { n = len(w.Notifications) })
		return n
	}
	before := count()

	// Without a token, and with a new token, the same target and topic get a new notification.
	plain := mustCreate("", "Accept")
	a := mustCreate("a", "Accept")
	b := mustCreate("b", "Accept")
	if plain == a || a == b || plain == b {
		t.Fatalf("three creates made %s, %s, %s", plain, a, b)
	}
	if again := mustCreate("a", "Accept"); again != a {
		t.Fatalf("replay of token a: %s, want %s", again, a)
	}
	if n := count(); n != before+3 {
		t.Fatalf("%d notifications, want %d", n, before+3)
	}

	// After a modify the original request still replays to the same notification; the
	// request that matches the notification as it is now does not.
	if _, err := e.prov.ModifyVpcEndpointConnectionNotification(ec2ctx, &ec2.ModifyVpcEndpointConnectionNotificationInput{
		ConnectionNotificationId: aws.String(a), ConnectionEvents: []string{"Connect"}}); err != nil {
		t.Fatal(err)
	}
	if again := mustCreate("a", "Accept"); again != a {
		t.Fatalf("replay of token a after modify: %s, want %s", again, a)
	}
	_, err := create("a", "Connect")
	wantCode(t, err, "IdempotentParameterMismatch")
	e.read(func(w *World) {
		if ev := w.Notification(a).Events; !slices.Equal(ev, []string{"Connect"}) {
			t.Fatalf("the replay changed the notification's events to %v", ev)
		}
	})

	// A token is the caller's own: a consumer's endpoint notification under token "a" is
	// its own notification, and replays to it.
	var consumer *Account
	var epID string
	e.read(func(w *World) {
		for _, acct := range w.AccountList[1:] {
			for _, ep := range acct.Endpoints {
				if ep.State != EndpointDeleted && ep.Region == w.Region && epID == "" {
					consumer, epID = acct, ep.ID
				}
			}
		}
	})
	if epID == "" {
		t.Fatal("no consumer endpoint in the world")
	}
	cons := e.client(consumer.ID)
	epIn := &ec2.CreateVpcEndpointConnectionNotificationInput{VpcEndpointId: aws.String(epID),
		ConnectionNotificationArn: aws.String("arn:aws:sns:us-east-1:" + consumer.ID + ":mine"),
		ConnectionEvents:          []string{"Accept"}, ClientToken: aws.String("a")}
	first, err := cons.CreateVpcEndpointConnectionNotification(ec2ctx, epIn)
	if err != nil {
		t.Fatal(err)
	}
	theirs := aws.ToString(first.ConnectionNotification.ConnectionNotificationId)
	second, err := cons.CreateVpcEndpointConnectionNotification(ec2ctx, epIn)
	if err != nil || theirs == a || aws.ToString(second.ConnectionNotification.ConnectionNotificationId) != theirs ||
		aws.ToString(first.ConnectionNotification.VpcEndpointId) != epID {
		t.Fatalf("the consumer's notification under token a: %s then %v (err %v), the provider's is %s",
			theirs, second, err, a)
	}
	if n := count(); n != before+4 {
		t.Fatalf("%d notifications, want %d", n, before+4)
	}
}

func TestCreateVpcEndpointClientTokenComparesTheOriginalRequest(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	consumer := e.consumer(payments)
	cons := e.client(consumer.ID)
	vpcID, in, _ := e.subnetsFor(consumer, payments)
	if len(in) < 2 {
		t.Fatalf("the consumer's VPC has %d subnets in the service's zones, want 2", len(in))
	}
	req := ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, VpcId: aws.String(vpcID),
		ServiceName: aws.String(payments.Name), SubnetIds: in, PrivateDnsEnabled: aws.Bool(false),
		ClientToken: aws.String("ep-1")}
	count := func() (n int) {
		e.read(func(w *World) { n = len(consumer.Endpoints) })
		return n
	}
	before := count()
	out, err := cons.CreateVpcEndpoint(ec2ctx, &req)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.VpcEndpoint.VpcEndpointId)
	if out.VpcEndpoint.State != types.State(EndpointPendingAcceptance) {
		t.Fatalf("new endpoint is %s", out.VpcEndpoint.State)
	}

	// The provider accepts it; the original request (subnets in another order) replays to
	// the endpoint as it is now.
	acc, err := e.prov.AcceptVpcEndpointConnections(ec2ctx, &ec2.AcceptVpcEndpointConnectionsInput{
		ServiceId: aws.String(payments.ID), VpcEndpointIds: []string{id}})
	if err != nil || len(acc.Unsuccessful) != 0 {
		t.Fatalf("accept: %v %v", acc, err)
	}
	reordered := req
	reordered.SubnetIds = slices.Clone(in)
	slices.Reverse(reordered.SubnetIds)
	again, err := cons.CreateVpcEndpoint(ec2ctx, &reordered)
	if err != nil || aws.ToString(again.VpcEndpoint.VpcEndpointId) != id ||
		again.VpcEndpoint.State != types.State(EndpointPending) || aws.ToString(again.ClientToken) != "ep-1" {
		t.Fatalf("replay after accept: %+v %v", again, err)
	}

	// Other parameters under the same token are a mismatch.
	fewer := req
	fewer.SubnetIds = in[:1]
	dns := req
	dns.PrivateDnsEnabled = aws.Bool(true)
	for name, r := range map[string]*ec2.CreateVpcEndpointInput{"fewer subnets": &fewer, "private DNS on": &dns} {
		_, err := cons.CreateVpcEndpoint(ec2ctx, r)
		if apiCode(err) != "IdempotentParameterMismatch" {
			t.Errorf("%s under the same token: %v, want IdempotentParameterMismatch", name, err)
		}
	}

	// A new token is a new endpoint.
	fresh := req
	fresh.ClientToken = aws.String("ep-2")
	other, err := cons.CreateVpcEndpoint(ec2ctx, &fresh)
	if err != nil || aws.ToString(other.VpcEndpoint.VpcEndpointId) == id {
		t.Fatalf("a new token: %+v %v", other, err)
	}
	if n := count(); n != before+2 {
		t.Fatalf("%d endpoints of the consumer, want %d", n, before+2)
	}
}

// A lost reply (the lostReplyRatio fault) leaves the create done and the client without an
// answer; the retry with the same token returns the service the first attempt made.
func TestLostReplyThenRetryWithTheSameTokenMakesOneService(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	in := ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{e.spareLB(LBTypeNetwork)},
		ClientToken:             aws.String("lost-1"),
	}
	count := func() (n int) {
		e.read(func(w *World) { n = len(w.ServiceList) })
		return n
	}
	before := count()
	e.run.Server.Faults().Set(FaultConfig{LostReplyRatio: 1})
	if _, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &in); err == nil {
		t.Fatal("a lost reply reached the client")
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d services after the lost reply, want %d: the request was carried out", n, before+1)
	}
	if op := e.run.Server.Stats().Requests["ec2"]["CreateVpcEndpointServiceConfiguration"]; op.Dropped != 1 {
		t.Fatalf("stats: %+v", op)
	}
	e.run.Server.Faults().Set(FaultConfig{})
	out, err := e.prov.CreateVpcEndpointServiceConfiguration(ec2ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d services after the retry, want %d", n, before+1)
	}
	e.read(func(w *World) {
		if w.ServiceByClientToken(ProviderAccountID, "lost-1").ID != aws.ToString(out.ServiceConfiguration.ServiceId) {
			t.Fatal("the retry answered with another service than the lost reply's")
		}
	})
}
