package awsops

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plconsole/plconsole/model"
)

func TestNewResolvesIdentity(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	id := c.Identity()
	if id.Account != providerAccount || !strings.HasPrefix(id.ARN, "arn:aws:") || id.Region != "us-east-1" ||
		id.Endpoint != run.URL || id.Profile != "demo" {
		t.Errorf("identity = %+v", id)
	}
	if c.Mode() != model.ModeDemo {
		t.Errorf("mode = %s, want DEMO (a profile's mode is LIVE: TestSwitchProfile)", c.Mode())
	}
	// A session costs the fixed two requests: who the caller is, and one EC2 read proving
	// the region answers (whose zones AvailabilityZones then serves without a request).
	calls := c.APICalls()
	if len(calls) != 2 {
		t.Fatalf("API calls = %+v, want GetCallerIdentity and DescribeAvailabilityZones", calls)
	}
	for i, want := range []struct{ service, op string }{{"sts", "GetCallerIdentity"}, {"ec2", "DescribeAvailabilityZones"}} {
		call := calls[i]
		if call.Service != want.service || call.Operation != want.op || call.Status != 200 ||
			call.Attempts != 1 || call.RequestID == "" || call.ErrorCode != "" || call.Duration <= 0 {
			t.Errorf("logged call %d = %+v, want %s %s", i, call, want.service, want.op)
		}
	}
	if st := run.Server.Stats(); st.Total != 2 || st.Count("sts", "GetCallerIdentity") != 1 || st.Count("ec2", "DescribeAvailabilityZones") != 1 {
		t.Errorf("sim saw %d requests (%d GetCallerIdentity, %d DescribeAvailabilityZones), want 1 of each",
			st.Total, st.Count("sts", "GetCallerIdentity"), st.Count("ec2", "DescribeAvailabilityZones"))
	}
	zones, err := c.AvailabilityZones(ctxT(t))
	if err != nil || len(zones) == 0 {
		t.Fatalf("zones = %+v, %v", zones, err)
	}
	if n := run.Server.Stats().Total; n != 2 {
		t.Errorf("AvailabilityZones after the probe sent a request: %d in all", n)
	}
}

func TestListServices(t *testing.T) {
	run := startSim(t, testWorld(4, 30))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 4 {
		t.Fatalf("got %d services, want 4", len(svcs))
	}
	var withDNS *model.EndpointService
	for i, s := range svcs {
		if !strings.HasPrefix(s.ID, "vpce-svc-") || !strings.Contains(s.Name, s.ID) || s.State != model.ServiceAvailable ||
			s.Type != model.ServiceTypeInterface || len(s.NetworkLoadBalancers) != 1 || len(s.AvailabilityZones) < 2 ||
			len(s.BaseEndpointDNSNames) == 0 || s.DisplayName == "" || s.Tags["Name"] != s.DisplayName {
			t.Errorf("service %d = %+v", i, s)
		}
		if s.AllowedPrincipals != nil || s.Notifications != nil {
			t.Errorf("ListServices filled principals or notifications of %s", s.ID)
		}
		if s.PrivateDNS != nil && withDNS == nil {
			withDNS = &svcs[i]
		}
	}
	if withDNS == nil {
		t.Fatal("no service with a private DNS name in the world")
	}
	pd := withDNS.PrivateDNS
	if pd.Name == "" || pd.State == "" || !strings.HasPrefix(pd.TXTName, "_") || !strings.HasPrefix(pd.TXTValue, "vpce:") || pd.Type != "TXT" {
		t.Errorf("private DNS = %+v", *pd)
	}
}

func TestServiceDetail(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var payments model.EndpointService
	for _, s := range svcs {
		if s.DisplayName == "payments-api" {
			payments = s
		}
	}
	d, err := c.ServiceDetail(ctxT(t), payments.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != payments.ID || len(d.AllowedPrincipals) == 0 || len(d.Notifications) == 0 {
		t.Fatalf("detail = %+v", d)
	}
	for _, p := range d.AllowedPrincipals {
		if p.ARN == "" || p.Type == "" || !strings.HasPrefix(p.ID, "vpce-svc-perm-") {
			t.Errorf("principal = %+v", p)
		}
	}
	n := d.Notifications[0]
	if !strings.HasPrefix(n.ID, "vpce-nfn-") || n.ServiceID != d.ID || !strings.HasPrefix(n.TopicARN, "arn:aws:sns:") || len(n.Events) == 0 {
		t.Errorf("notification = %+v", n)
	}
	regions := map[string]bool{}
	for _, r := range d.SupportedRegions {
		regions[r.Region] = r.Status != ""
	}
	if !regions["us-west-2"] {
		t.Errorf("supported regions = %+v, want us-west-2 with a status", d.SupportedRegions)
	}
}

func TestListConnections(t *testing.T) {
	run := startSim(t, testWorld(3, 25))
	c := newClient(t, run, providerAccount)
	all, err := c.ListConnections(ctxT(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 25 {
		t.Fatalf("got %d connections, want 25", len(all))
	}
	per := map[string]int{}
	states := map[model.ConnectionState]int{}
	for _, cn := range all {
		per[cn.ServiceID]++
		states[cn.State]++
		if _, ok := model.ParseConnectionState(string(cn.State)); !ok {
			t.Errorf("connection %s has unknown state %q", cn.EndpointID, cn.State)
		}
		if !strings.HasPrefix(cn.EndpointID, "vpce-") || len(cn.OwnerAccount) != 12 || cn.Created.IsZero() ||
			cn.Region == "" || cn.ConnectionID == "" {
			t.Errorf("connection = %+v", cn)
		}
	}
	if states[model.StatePendingAcceptance] == 0 || states[model.StateAvailable] == 0 {
		t.Errorf("states = %v; the world should have pending and available connections", states)
	}
	for svc, n := range per {
		some, err := c.ListConnections(ctxT(t), svc)
		if err != nil {
			t.Fatal(err)
		}
		if len(some) != n {
			t.Errorf("service %s: %d connections filtered, %d in the full list", svc, len(some), n)
		}
		for _, cn := range some {
			if cn.ServiceID != svc {
				t.Errorf("filter on %s returned a connection of %s", svc, cn.ServiceID)
			}
		}
	}
}

// Pages of 1000: 2,345 connections cost exactly 3 requests.
func TestPagination(t *testing.T) {
	run := startSim(t, testWorld(3, 2345))
	c := newClient(t, run, providerAccount)
	run.Server.ResetStats()
	all, err := c.ListConnections(ctxT(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2345 {
		t.Fatalf("got %d connections, want 2345", len(all))
	}
	seen := map[string]bool{}
	for _, cn := range all {
		if seen[cn.EndpointID] {
			t.Fatalf("connection %s listed twice across pages", cn.EndpointID)
		}
		seen[cn.EndpointID] = true
	}
	if n := requests(run, "ec2", "DescribeVpcEndpointConnections"); n != 3 {
		t.Errorf("%d DescribeVpcEndpointConnections requests, want 3", n)
	}
}

// Load balancers come with listeners, attributes, target groups and health; ≤20 ARNs per
// DescribeLoadBalancers call.
func TestListLoadBalancers(t *testing.T) {
	run := startSim(t, testWorld(45, 50))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, s := range svcs {
		arns = append(arns, s.NetworkLoadBalancers...)
	}
	run.Server.ResetStats()
	lbs, err := c.ListLoadBalancers(ctxT(t), arns)
	if err != nil {
		t.Fatal(err)
	}
	if len(lbs) != 45 {
		t.Fatalf("got %d load balancers, want 45", len(lbs))
	}
	if n := requests(run, "elasticloadbalancing", "DescribeLoadBalancers"); n != 3 {
		t.Errorf("%d DescribeLoadBalancers requests for 45 ARNs, want 3 (20 per call)", n)
	}
	if n := requests(run, "elasticloadbalancing", "DescribeTargetHealth"); n != 45 {
		t.Errorf("%d DescribeTargetHealth requests, want 45", n)
	}
	var enforce, cross int
	for _, lb := range lbs {
		if lb.Type != "network" || lb.State == "" || lb.DNSName == "" || len(lb.AvailabilityZones) < 2 || lb.VpcID == "" {
			t.Errorf("load balancer = %+v", lb)
		}
		if len(lb.Listeners) != 1 || len(lb.TargetGroups) != 1 {
			t.Fatalf("%s: %d listeners, %d target groups", lb.Name, len(lb.Listeners), len(lb.TargetGroups))
		}
		tg := lb.TargetGroups[0]
		if lb.Listeners[0].TargetGroupARN != tg.ARN || lb.Listeners[0].Port == 0 {
			t.Errorf("listener = %+v", lb.Listeners[0])
		}
		if tg.CrossZone == "" || tg.Protocol == "" || len(tg.Targets) == 0 {
			t.Errorf("target group = %+v", tg)
		}
		for _, tt := range tg.Targets {
			if tt.ID == "" || tt.State == "" {
				t.Errorf("target = %+v", tt)
			}
		}
		if lb.EnforceSGOnPrivateLink {
			enforce++
		}
		if lb.CrossZoneEnabled {
			cross++
		}
	}
	if enforce == 0 || cross == 0 {
		t.Errorf("%d NLBs enforce SGs on PrivateLink traffic, %d have cross-zone on; the world has some of each", enforce, cross)
	}
}

func TestGetMetricsBatches(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	req := metricRequest(svcs, 1100)
	run.Server.ResetStats()
	series, err := c.GetMetrics(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "monitoring", "GetMetricData"); n != 3 {
		t.Errorf("%d GetMetricData requests for 1100 queries, want 3", n)
	}
	if len(series) != 1100 {
		t.Fatalf("got %d series, want 1100", len(series))
	}
	var points int
	for i, s := range series {
		if s.ID != req.Queries[i].ID {
			t.Fatalf("series %d is %s, want %s (query order)", i, s.ID, req.Queries[i].ID)
		}
		if len(s.Timestamps) != len(s.Values) {
			t.Fatalf("series %s: %d timestamps, %d values", s.ID, len(s.Timestamps), len(s.Values))
		}
		for j := 1; j < len(s.Timestamps); j++ {
			if !s.Timestamps[j-1].Before(s.Timestamps[j]) {
				t.Fatalf("series %s is not ascending", s.ID)
			}
		}
		points += len(s.Values)
	}
	if points == 0 {
		t.Error("no datapoints at all")
	}
}

// metricRequest builds n queries over the last hour, cycling over services and metrics.
func metricRequest(svcs []model.EndpointService, n int) model.MetricRequest {
	metrics := []struct{ name, stat string }{
		{"ActiveConnections", "Average"}, {"BytesProcessed", "Sum"}, {"NewConnections", "Sum"},
		{"RstPacketsSent", "Sum"}, {"EndpointsCount", "Maximum"},
	}
	end := time.Now().Truncate(time.Minute)
	req := model.MetricRequest{Start: end.Add(-time.Hour), End: end}
	for i := 0; i < n; i++ {
		s := svcs[i%len(svcs)]
		m := metrics[(i/len(svcs))%len(metrics)]
		req.Queries = append(req.Queries, model.MetricQuery{
			ID:         "q" + strconv.Itoa(i),
			Namespace:  model.NamespacePrivateLinkServices,
			Metric:     m.name,
			Dimensions: []model.Dimension{{Name: model.DimServiceID, Value: s.ID}},
			Stat:       m.stat,
		})
	}
	return req
}

func TestConsumerReads(t *testing.T) {
	run := startSim(t, testWorld(3, 30))
	consumer := run.ConsumerAccounts()[0]
	c := newClient(t, run, consumer)
	if c.Identity().Account != consumer {
		t.Fatalf("identity %+v, want consumer %s", c.Identity(), consumer)
	}
	azs, err := c.AvailabilityZones(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(azs) < 3 || !strings.HasPrefix(azs[0].Name, "us-east-1") || !strings.HasPrefix(azs[0].ID, "use1-az") {
		t.Errorf("zones = %+v", azs)
	}
	vpcs, err := c.ListVpcs(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(vpcs) == 0 {
		t.Fatal("the consumer has no VPCs")
	}
	subnets, err := c.ListSubnets(ctxT(t), vpcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(subnets) == 0 {
		t.Fatal("no subnets")
	}
	for _, s := range subnets {
		if s.VpcID != vpcs[0].ID || s.AZ == "" || s.AZID == "" || s.CIDR == "" {
			t.Errorf("subnet = %+v", s)
		}
	}
	sgs, err := c.ListSecurityGroups(ctxT(t), vpcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range sgs {
		if g.VpcID != vpcs[0].ID || !strings.HasPrefix(g.ID, "sg-") {
			t.Errorf("security group = %+v", g)
		}
	}
	eps, err := c.ListEndpoints(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range eps {
		if e.OwnerAccount != consumer || e.Type != "Interface" || e.ServiceName == "" || e.VpcID == "" {
			t.Errorf("endpoint = %+v", e)
		}
	}
}

// More datapoints than one response holds: the pages are followed and each series is
// stitched back together, complete and ascending.
func TestGetMetricsFollowsNextToken(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	req := metricRequest(svcs, 150)
	req.Start = req.End.Add(-24 * time.Hour)
	req.Period = time.Minute // 150 × 1440 = 216,000 datapoints: three responses
	run.Server.ResetStats()
	series, err := c.GetMetrics(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "monitoring", "GetMetricData"); n < 3 {
		t.Errorf("%d GetMetricData requests for 216,000 datapoints, want ≥3 (≤100,800 per response)", n)
	}
	for _, s := range series {
		if !s.Complete {
			t.Errorf("series %s is incomplete after following NextToken", s.ID)
		}
		for j := 1; j < len(s.Timestamps); j++ {
			if !s.Timestamps[j-1].Before(s.Timestamps[j]) {
				t.Fatalf("series %s is not ascending at %d", s.ID, j)
			}
		}
	}
}

// The Period follows CloudWatch's retention rules: a window 20 days back gets a multiple of
// 300 s even when 60 s is asked for by default.
func TestGetMetricsPeriodForOldData(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	req := metricRequest(svcs, 3)
	req.End = req.End.Add(-20 * 24 * time.Hour)
	req.Start = req.End.Add(-2 * time.Hour)
	series, err := c.GetMetrics(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	var points int
	for _, s := range series {
		points += len(s.Timestamps)
	}
	if points < 2 {
		t.Fatalf("only %d datapoints 20 days back; the check below would prove nothing", points)
	}
	for _, s := range series {
		for j := 1; j < len(s.Timestamps); j++ {
			if d := s.Timestamps[j].Sub(s.Timestamps[j-1]); d%(5*time.Minute) != 0 {
				t.Fatalf("series %s: points %s apart, want a multiple of 5 min", s.ID, d)
			}
		}
	}
	// A Period CloudWatch would refuse is caught before sending.
	req.Period = time.Minute
	before := totalRequests(run)
	if _, err := c.GetMetrics(ctxT(t), req); err == nil {
		t.Error("a 60 s period for 20-day-old data was accepted")
	}
	if totalRequests(run) != before {
		t.Error("an invalid metrics request was sent")
	}
}

// Series with the same timestamps share one capped copy of them (a fleet read's thousands
// of series would otherwise each hold their own); different ones keep theirs, and appending
// to a shared list does not write into another series'.
func TestShareTimestamps(t *testing.T) {
	at := func(mins ...int) []time.Time {
		var ts []time.Time
		for _, m := range mins {
			ts = append(ts, time.Date(2026, 12, 2, 10, m, 0, 0, time.UTC))
		}
		return append(ts[:len(ts):len(ts)], time.Time{})[:len(ts)] // room to append
	}
	series := []model.MetricSeries{
		{ID: "a", Timestamps: at(0, 1, 2), Values: []float64{1, 2, 3}},
		{ID: "b", Timestamps: at(0, 1, 2), Values: []float64{4, 5, 6}},
		{ID: "c", Timestamps: at(0, 2), Values: []float64{7, 8}},
		{ID: "d"},
	}
	shareTimestamps(series)
	a, b, c := series[0].Timestamps, series[1].Timestamps, series[2].Timestamps
	if &a[0] != &b[0] || &a[0] == &c[0] || len(series[3].Timestamps) != 0 {
		t.Fatal("equal timestamps are not shared, or different ones are")
	}
	if cap(a) != len(a) || cap(c) != len(c) {
		t.Fatal("a shared list has room to append into")
	}
	grown := append(b, time.Date(2026, 12, 2, 10, 3, 0, 0, time.UTC))
	if len(series[0].Timestamps) != 3 || &grown[0] == &a[0] {
		t.Fatal("appending to one series' timestamps wrote into another's")
	}
}
