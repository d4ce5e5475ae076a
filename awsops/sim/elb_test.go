package sim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// elbTestStart is a minute-aligned instant plus 30 s, so "now" sits inside a running minute.
var elbTestStart = time.Date(2025, 6, 2, 12, 0, 30, 0, time.UTC)

// startReadSim serves a static world (no spontaneous activity) on a manual clock.
func startReadSim(t testing.TB, cfg WorldConfig) *Running {
	t.Helper()
	cfg.Static = true
	if cfg.Seed == 0 {
		cfg.Seed = 7
	}
	return startTestSim(t, Options{World: cfg, Clock: NewManualClock(elbTestStart)})
}

// worldLB finds a generated load balancer by name prefix.
func worldLB(t *testing.T, run *Running, prefix string) *LoadBalancer {
	t.Helper()
	w := run.Server.World()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, lb := range w.LoadBalancerList {
		if strings.HasPrefix(lb.Name, prefix) {
			return lb
		}
	}
	t.Fatalf("no load balancer named %s*", prefix)
	return nil
}

func TestELBDescribeLoadBalancers(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	ctx := context.Background()
	c := elb.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))

	all, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	if err != nil {
		t.Fatal(err)
	}
	w := run.Server.World()
	w.mu.RLock()
	want := 0
	for _, lb := range w.LoadBalancerList {
		if lb.OwnerID == ProviderAccountID {
			want++
		}
	}
	w.mu.RUnlock()
	if len(all.LoadBalancers) != want || want < 4 {
		t.Fatalf("got %d load balancers, world has %d", len(all.LoadBalancers), want)
	}
	for _, lb := range all.LoadBalancers {
		if aws.ToString(lb.LoadBalancerArn) == "" || lb.State == nil || lb.CreatedTime == nil || len(lb.AvailabilityZones) == 0 {
			t.Fatalf("incomplete load balancer %+v", lb)
		}
		if lb.Type == elbtypes.LoadBalancerTypeEnumNetwork && aws.ToString(lb.AvailabilityZones[0].SubnetId) == "" {
			t.Fatalf("zone without subnet: %+v", lb.AvailabilityZones[0])
		}
	}

	// Paging: PageSize 2 through the SDK paginator gives every load balancer once, in order.
	var paged []string
	pages := 0
	p := elb.NewDescribeLoadBalancersPaginator(c, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, lb := range out.LoadBalancers {
			paged = append(paged, aws.ToString(lb.LoadBalancerArn))
		}
	}
	if len(paged) != want || pages != (want+1)/2 {
		t.Fatalf("paged %d load balancers in %d pages, want %d", len(paged), pages, want)
	}
	for i, lb := range all.LoadBalancers {
		if paged[i] != aws.ToString(lb.LoadBalancerArn) {
			t.Fatalf("page order differs at %d", i)
		}
	}

	// By ARN and by name.
	search := worldLB(t, run, "search")
	one, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{search.ARN}})
	if err != nil || len(one.LoadBalancers) != 1 {
		t.Fatalf("by ARN: %v %+v", err, one)
	}
	got := one.LoadBalancers[0]
	// The demo scenario's search-gateway NLB enforces its security groups on PrivateLink traffic.
	if aws.ToString(got.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic) != "on" || len(got.SecurityGroups) == 0 {
		t.Fatalf("search NLB: enforce=%v sgs=%v", aws.ToString(got.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic), got.SecurityGroups)
	}
	if got.Type != elbtypes.LoadBalancerTypeEnumNetwork || got.State.Code != elbtypes.LoadBalancerStateEnumActive ||
		aws.ToString(got.DNSName) != search.DNSName || aws.ToString(got.CanonicalHostedZoneId) == "" {
		t.Fatalf("search NLB fields: %+v", got)
	}
	byName, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{search.Name}})
	if err != nil || len(byName.LoadBalancers) != 1 || aws.ToString(byName.LoadBalancers[0].LoadBalancerArn) != search.ARN {
		t.Fatalf("by name: %v %+v", err, byName)
	}

	// Errors.
	missing := strings.Replace(search.ARN, search.Name, "nope", 1)
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{missing}})
	wantCode(t, err, "LoadBalancerNotFound")
	var nf *elbtypes.LoadBalancerNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("want the modeled LoadBalancerNotFoundException, got %T", err)
	}
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{"no-such-lb"}})
	wantCode(t, err, "LoadBalancerNotFound")
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{"not-an-arn"}})
	wantCode(t, err, "ValidationError")
	many := make([]string, 21)
	for i := range many {
		many[i] = search.ARN
	}
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: many})
	wantCode(t, err, "ValidationError")
	for _, size := range []int32{0, 401} {
		_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(size)})
		wantCode(t, err, "ValidationError")
	}
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Marker: aws.String("garbage")})
	wantCode(t, err, "ValidationError")
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{search.ARN}, Names: []string{search.Name}})
	wantCode(t, err, "ValidationError")

	// A consumer account owns no load balancers and cannot see the provider's.
	w.mu.RLock()
	consumer := w.AccountList[1].ID
	w.mu.RUnlock()
	cc := elb.NewFromConfig(testAWSConfig(run, consumer, 1))
	mine, err := cc.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	if err != nil || len(mine.LoadBalancers) != 0 {
		t.Fatalf("consumer sees %v %v", mine, err)
	}
	_, err = cc.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{search.ARN}})
	wantCode(t, err, "LoadBalancerNotFound")
}

func TestELBTargetGroupsListenersAndAttributes(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	ctx := context.Background()
	c := elb.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	ledger := worldLB(t, run, "ledger")
	search := worldLB(t, run, "search")

	tgs, err := c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(ledger.ARN)})
	if err != nil || len(tgs.TargetGroups) != len(ledger.TargetGroups) {
		t.Fatalf("by LB: %v %+v", err, tgs)
	}
	tg := tgs.TargetGroups[0]
	if aws.ToString(tg.TargetGroupArn) != ledger.TargetGroups[0].ARN || tg.Protocol == "" || aws.ToInt32(tg.Port) == 0 ||
		len(tg.LoadBalancerArns) != 1 || tg.LoadBalancerArns[0] != ledger.ARN || tg.TargetType == "" || aws.ToString(tg.HealthCheckPort) == "" {
		t.Fatalf("target group fields: %+v", tg)
	}
	// Every target group, paged by 2.
	var n int
	p := elb.NewDescribeTargetGroupsPaginator(c, &elb.DescribeTargetGroupsInput{PageSize: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.TargetGroups)
	}
	w := run.Server.World()
	w.mu.RLock()
	total := len(w.TargetGroupList)
	w.mu.RUnlock()
	if n != total {
		t.Fatalf("paged %d target groups, world has %d", n, total)
	}
	byName, err := c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{Names: []string{ledger.TargetGroups[0].Name}})
	if err != nil || len(byName.TargetGroups) != 1 {
		t.Fatalf("by name: %v", err)
	}
	byARN, err := c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{ledger.TargetGroups[0].ARN, search.TargetGroups[0].ARN}})
	if err != nil || len(byARN.TargetGroups) != 2 {
		t.Fatalf("by ARNs: %v", err)
	}
	badTG := strings.Replace(ledger.TargetGroups[0].ARN, ledger.TargetGroups[0].Name, "gone", 1)
	_, err = c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{badTG}})
	wantCode(t, err, "TargetGroupNotFound")
	_, err = c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{Names: []string{"gone"}})
	wantCode(t, err, "TargetGroupNotFound")
	_, err = c.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(strings.Replace(ledger.ARN, ledger.Name, "gone", 1))})
	wantCode(t, err, "LoadBalancerNotFound")

	// Target health: AWS's states; unhealthy ones carry a reason code and its description.
	th, err := c.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn})
	if err != nil {
		t.Fatal(err)
	}
	if len(th.TargetHealthDescriptions) != len(ledger.TargetGroups[0].Targets) {
		t.Fatalf("got %d targets, want %d", len(th.TargetHealthDescriptions), len(ledger.TargetGroups[0].Targets))
	}
	unhealthy := 0
	for _, d := range th.TargetHealthDescriptions {
		h := d.TargetHealth
		switch h.State {
		case elbtypes.TargetHealthStateEnumHealthy:
			if h.Reason != "" || h.Description != nil {
				t.Fatalf("healthy target with reason: %+v", h)
			}
		case elbtypes.TargetHealthStateEnumUnhealthy:
			unhealthy++
			if !strings.HasPrefix(string(h.Reason), "Target.") || aws.ToString(h.Description) == "" {
				t.Fatalf("unhealthy target without reason: %+v", h)
			}
		}
		if aws.ToString(d.Target.Id) == "" || aws.ToInt32(d.Target.Port) == 0 || aws.ToString(d.HealthCheckPort) == "" {
			t.Fatalf("target fields: %+v", d)
		}
	}
	if unhealthy == 0 {
		t.Fatalf("the ledger scenario should have a zone of unhealthy targets")
	}
	// A target asked for by id that is not registered is unused / Target.NotRegistered.
	one, err := c.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn,
		Targets: []elbtypes.TargetDescription{{Id: aws.String("i-0123456789abcdef0")}}})
	if err != nil || len(one.TargetHealthDescriptions) != 1 || one.TargetHealthDescriptions[0].TargetHealth.State != elbtypes.TargetHealthStateEnumUnused ||
		one.TargetHealthDescriptions[0].TargetHealth.Reason != elbtypes.TargetHealthReasonEnumNotRegistered {
		t.Fatalf("unregistered target: %v %+v", err, one)
	}
	_, err = c.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(badTG)})
	wantCode(t, err, "TargetGroupNotFound")
	var tgnf *elbtypes.TargetGroupNotFoundException
	if !errors.As(err, &tgnf) {
		t.Fatalf("want the modeled TargetGroupNotFoundException, got %T", err)
	}

	// Listeners by load balancer and by ARN.
	ls, err := c.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(ledger.ARN)})
	if err != nil || len(ls.Listeners) != len(ledger.Listeners) {
		t.Fatalf("listeners: %v %+v", err, ls)
	}
	l := ls.Listeners[0]
	if len(l.DefaultActions) != 1 || l.DefaultActions[0].Type != elbtypes.ActionTypeEnumForward ||
		aws.ToString(l.DefaultActions[0].TargetGroupArn) != ledger.TargetGroups[0].ARN || aws.ToInt32(l.Port) == 0 {
		t.Fatalf("listener: %+v", l)
	}
	byL, err := c.DescribeListeners(ctx, &elb.DescribeListenersInput{ListenerArns: []string{aws.ToString(l.ListenerArn)}})
	if err != nil || len(byL.Listeners) != 1 {
		t.Fatalf("by listener ARN: %v", err)
	}
	_, err = c.DescribeListeners(ctx, &elb.DescribeListenersInput{})
	wantCode(t, err, "ValidationError")
	_, err = c.DescribeListeners(ctx, &elb.DescribeListenersInput{ListenerArns: []string{aws.ToString(l.ListenerArn) + "0"}})
	wantCode(t, err, "ListenerNotFound")

	// Attributes.
	la, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(ledger.ARN)})
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{}
	for _, a := range la.Attributes {
		attrs[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	if attrs["load_balancing.cross_zone.enabled"] != "false" || attrs["dns_record.client_routing_policy"] == "" || attrs["deletion_protection.enabled"] == "" {
		t.Fatalf("load balancer attributes: %v", attrs)
	}
	ta, err := c.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn})
	if err != nil {
		t.Fatal(err)
	}
	tattrs := map[string]string{}
	for _, a := range ta.Attributes {
		tattrs[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	// ledger-ingest's target group turns cross-zone off, which is what strands its dead zone.
	if tattrs["load_balancing.cross_zone.enabled"] != "false" || tattrs["deregistration_delay.timeout_seconds"] == "" {
		t.Fatalf("target group attributes: %v", tattrs)
	}
	_, err = c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(strings.Replace(ledger.ARN, ledger.Name, "gone", 1))})
	wantCode(t, err, "LoadBalancerNotFound")
	_, err = c.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(badTG)})
	wantCode(t, err, "TargetGroupNotFound")
}

func TestELBAndSTSThrottling(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	run.Server.Faults().Set(FaultConfig{ThrottleRatio: 1})
	ctx := context.Background()
	_, err := elb.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1)).DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	wantCode(t, err, "Throttling")
	_, err = sts.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "Throttling")
}

func TestSTSGetCallerIdentity(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	ctx := context.Background()
	w := run.Server.World()
	w.mu.RLock()
	accounts := []*Account{w.Provider, w.AccountList[1]}
	w.mu.RUnlock()
	for _, a := range accounts {
		out, err := sts.NewFromConfig(testAWSConfig(run, a.ID, 1)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Account) != a.ID || !strings.HasPrefix(aws.ToString(out.Arn), "arn:aws:iam::"+a.ID+":") || aws.ToString(out.UserId) == "" {
			t.Fatalf("identity for %s: %s %s %s", a.ID, aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
		}
	}
	// An access key naming no account of the world is the provider.
	cfg := testAWSConfig(run, ProviderAccountID, 1)
	cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "x", "")
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Account) != ProviderAccountID {
		t.Fatalf("default account: %v %v", err, out)
	}
	if got := callerUserID("arn:aws:sts::111122223333:assumed-role/Admin/alice"); !strings.HasPrefix(got, "AROA") || !strings.HasSuffix(got, ":alice") {
		t.Fatalf("assumed-role user id %s", got)
	}
}
