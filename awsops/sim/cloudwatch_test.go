package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func cwDims(kv ...string) []cwtypes.Dimension {
	out := make([]cwtypes.Dimension, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, cwtypes.Dimension{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func cwQ(id, ns, metric, stat string, period int32, dims ...string) cwtypes.MetricDataQuery {
	return cwtypes.MetricDataQuery{
		Id: aws.String(id),
		MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String(ns), MetricName: aws.String(metric), Dimensions: cwDims(dims...)},
			Period: aws.Int32(period),
			Stat:   aws.String(stat),
		},
	}
}

// getAll runs GetMetricData through the SDK paginator and merges the pages by query id.
func getAll(t *testing.T, c *cloudwatch.Client, in *cloudwatch.GetMetricDataInput) map[string]cwtypes.MetricDataResult {
	t.Helper()
	out := map[string]cwtypes.MetricDataResult{}
	p := cloudwatch.NewGetMetricDataPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.MetricDataResults {
			id := aws.ToString(r.Id)
			acc := out[id]
			acc.Id, acc.Label, acc.StatusCode = r.Id, r.Label, r.StatusCode
			acc.Timestamps = append(acc.Timestamps, r.Timestamps...)
			acc.Values = append(acc.Values, r.Values...)
			out[id] = acc
		}
	}
	return out
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// worldService finds a generated service by its Name tag prefix.
func worldService(t *testing.T, run *Running, prefix string) *Service {
	t.Helper()
	w := run.Server.World()
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, s := range w.ServiceList {
		if strings.HasPrefix(s.NameTag(), prefix) {
			return s
		}
	}
	t.Fatalf("no service tagged %s*", prefix)
	return nil
}

func TestCloudWatchEndpointsCountMatchesConnections(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	now := elbTestStart
	w := run.Server.World()
	w.mu.RLock()
	var queries []cwtypes.MetricDataQuery
	want := map[string]float64{}
	for i, svc := range w.ServiceList {
		id := "svc" + strconv.Itoa(i)
		queries = append(queries, cwQ(id, nsPLServices, "EndpointsCount", "Maximum", 60, dimServiceID, svc.ID))
		n := 0
		for _, ep := range svc.Endpoints {
			if ep.State == EndpointAvailable {
				n++
			}
		}
		want[id] = float64(n)
	}
	w.mu.RUnlock()
	res := getAll(t, c, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: queries,
		StartTime:         aws.Time(now.Add(-10 * time.Minute)),
		EndTime:           aws.Time(now.Add(time.Minute)),
	})
	for id, n := range want {
		r := res[id]
		if len(r.Values) != 11 {
			t.Fatalf("%s: %d datapoints, want 11 (one a minute)", id, len(r.Values))
		}
		// Descending by default: the newest datapoint first.
		if !r.Timestamps[0].Equal(now.Truncate(time.Minute)) || r.Values[0] != n {
			t.Fatalf("%s: newest datapoint %v = %v, want %v = %v (available connections)", id, r.Timestamps[0], r.Values[0], now.Truncate(time.Minute), n)
		}
		if r.StatusCode != cwtypes.StatusCodeComplete || aws.ToString(r.Label) != "EndpointsCount" {
			t.Fatalf("%s: status %s label %s", id, r.StatusCode, aws.ToString(r.Label))
		}
	}
}

func TestCloudWatchSumsAgreeAcrossDimensionSets(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	now := elbTestStart
	svc := worldService(t, run, "payments")
	w := run.Server.World()
	w.mu.RLock()
	lbARN := svc.NLBARNs[0]
	lb := w.LoadBalancer(lbARN)
	lbDim := lbDimensionValue(lbARN)
	azs := append([]string(nil), svc.AZs...)
	var eps []string
	for _, ep := range svc.Endpoints {
		if !ep.History.AvailableAt.IsZero() {
			eps = append(eps, ep.ID)
		}
	}
	var zones []string
	for _, z := range lb.Zones {
		zones = append(zones, z.AZ)
	}
	w.mu.RUnlock()

	for _, metric := range []string{"ActiveConnections", "BytesProcessed", "NewConnections", "RstPacketsSent"} {
		var qs []cwtypes.MetricDataQuery
		qs = append(qs, cwQ("total", nsPLServices, metric, "Sum", 300, dimServiceID, svc.ID))
		qs = append(qs, cwQ("bylb", nsPLServices, metric, "Sum", 300, dimServiceID, svc.ID, dimLBArn, lbARN))
		for i, az := range azs {
			qs = append(qs, cwQ(fmt.Sprintf("az%d", i), nsPLServices, metric, "Sum", 300, dimServiceID, svc.ID, dimAz, az))
			qs = append(qs, cwQ(fmt.Sprintf("lbaz%d", i), nsPLServices, metric, "Sum", 300, dimAz, az, dimLBArn, lbARN, dimServiceID, svc.ID))
		}
		for i, ep := range eps {
			qs = append(qs, cwQ(fmt.Sprintf("ep%d", i), nsPLServices, metric, "Sum", 300, dimServiceID, svc.ID, dimEndpointID, ep))
		}
		nlbMetric := map[string]string{"ActiveConnections": "ActiveFlowCount", "BytesProcessed": "ProcessedBytes", "NewConnections": "NewFlowCount"}[metric]
		if nlbMetric != "" {
			qs = append(qs, cwQ("nlb", nsNetworkELB, nlbMetric, "Sum", 300, dimLoadBalancer, lbDim))
			for i, z := range zones {
				qs = append(qs, cwQ(fmt.Sprintf("nlbaz%d", i), nsNetworkELB, nlbMetric, "Sum", 300, dimLoadBalancer, lbDim, dimAZ, z))
			}
		} else {
			qs = append(qs, cwQ("nlbt", nsNetworkELB, "TCP_Target_Reset_Count", "Sum", 300, dimLoadBalancer, lbDim))
			qs = append(qs, cwQ("nlbe", nsNetworkELB, "TCP_ELB_Reset_Count", "Sum", 300, dimLoadBalancer, lbDim))
		}
		res := getAll(t, c, &cloudwatch.GetMetricDataInput{
			MetricDataQueries: qs,
			StartTime:         aws.Time(now.Add(-6 * time.Hour)),
			EndTime:           aws.Time(now),
			MaxDatapoints:     aws.Int32(100), // several pages
		})
		total := sum(res["total"].Values)
		if total <= 0 {
			t.Fatalf("%s: no traffic for %s", metric, svc.ID)
		}
		var byAZ, byLBAZ, byEP, byNLBAZ float64
		for k, r := range res {
			switch {
			case strings.HasPrefix(k, "az"):
				byAZ += sum(r.Values)
			case strings.HasPrefix(k, "lbaz"):
				byLBAZ += sum(r.Values)
			case strings.HasPrefix(k, "ep"):
				byEP += sum(r.Values)
			case strings.HasPrefix(k, "nlbaz"):
				byNLBAZ += sum(r.Values)
			}
		}
		checks := map[string]float64{"Σ Az": byAZ, "Σ Az×LB": byLBAZ, "LB": sum(res["bylb"].Values), "Σ endpoints": byEP}
		if nlbMetric != "" {
			checks["NLB "+nlbMetric] = sum(res["nlb"].Values)
			checks["Σ NLB zones"] = byNLBAZ
		} else {
			checks["NLB target+ELB resets"] = sum(res["nlbt"].Values) + sum(res["nlbe"].Values)
		}
		for name, v := range checks {
			if v != total {
				t.Errorf("%s: %s = %v, service total = %v", metric, name, v, total)
			}
		}
	}
}

func TestCloudWatchHealthyHostCountMatchesTargetHealth(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	ctx := context.Background()
	cfg := testAWSConfig(run, ProviderAccountID, 1)
	c := cloudwatch.NewFromConfig(cfg)
	ec := elb.NewFromConfig(cfg)
	now := elbTestStart
	ledger := worldLB(t, run, "ledger")
	svc := worldService(t, run, "ledger")
	tgARN := ledger.TargetGroups[0].ARN

	th, err := ec.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
	if err != nil {
		t.Fatal(err)
	}
	// Per zone healthy / unhealthy counts as DescribeTargetHealth shows them; the zone of
	// each target comes from the world (instance targets carry no zone in the reply).
	zoneOf := map[string]string{}
	for _, tg := range ledger.TargetGroups[:1] {
		for _, tt := range tg.Targets {
			zoneOf[tt.ID] = tt.AZ
		}
	}
	healthy, unhealthy := map[string]float64{}, map[string]float64{}
	for _, d := range th.TargetHealthDescriptions {
		z := zoneOf[aws.ToString(d.Target.Id)]
		switch d.TargetHealth.State {
		case elbtypes.TargetHealthStateEnumHealthy:
			healthy[z]++
		case elbtypes.TargetHealthStateEnumUnhealthy:
			unhealthy[z]++
		}
	}
	var qs []cwtypes.MetricDataQuery
	for i, z := range ledger.Zones {
		qs = append(qs,
			cwQ(fmt.Sprintf("h%d", i), nsNetworkELB, "HealthyHostCount", "Minimum", 60, dimLoadBalancer, lbDimensionValue(ledger.ARN), dimTargetGroup, tgDimensionValue(tgARN), dimAZ, z.AZ),
			cwQ(fmt.Sprintf("u%d", i), nsNetworkELB, "UnHealthyHostCount", "Maximum", 60, dimLoadBalancer, lbDimensionValue(ledger.ARN), dimTargetGroup, tgDimensionValue(tgARN), dimAZ, z.AZ),
			cwQ(fmt.Sprintf("a%d", i), nsPLServices, "ActiveConnections", "Sum", 60, dimServiceID, svc.ID, dimAz, z.AZ),
			cwQ(fmt.Sprintf("r%d", i), nsPLServices, "RstPacketsSent", "Sum", 60, dimServiceID, svc.ID, dimAz, z.AZ),
			cwQ(fmt.Sprintf("n%d", i), nsPLServices, "NewConnections", "Sum", 60, dimServiceID, svc.ID, dimAz, z.AZ),
		)
	}
	qs = append(qs, cwQ("htotal", nsNetworkELB, "HealthyHostCount", "Minimum", 60, dimLoadBalancer, lbDimensionValue(ledger.ARN), dimTargetGroup, tgDimensionValue(tgARN)))
	res := getAll(t, c, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: qs,
		StartTime:         aws.Time(now.Add(-2 * time.Minute)),
		EndTime:           aws.Time(now.Add(time.Minute)),
	})
	dead := 0
	totalHealthy := 0.0
	for i, z := range ledger.Zones {
		h, u := res[fmt.Sprintf("h%d", i)], res[fmt.Sprintf("u%d", i)]
		if len(h.Values) == 0 || h.Values[0] != healthy[z.AZ] || u.Values[0] != unhealthy[z.AZ] {
			t.Fatalf("zone %s: HealthyHostCount %v UnHealthyHostCount %v, DescribeTargetHealth says %v / %v", z.AZ, h.Values, u.Values, healthy[z.AZ], unhealthy[z.AZ])
		}
		totalHealthy += healthy[z.AZ]
		if healthy[z.AZ] == 0 {
			dead++
			// No healthy target and cross-zone off: nothing flows, every new connection is reset.
			a, r, n := res[fmt.Sprintf("a%d", i)], res[fmt.Sprintf("r%d", i)], res[fmt.Sprintf("n%d", i)]
			if sum(a.Values) != 0 || sum(r.Values) != sum(n.Values) {
				t.Fatalf("dead zone %s: active %v resets %v new %v", z.AZ, a.Values, r.Values, n.Values)
			}
		}
	}
	if dead == 0 {
		t.Fatalf("the ledger scenario should have a zone with no healthy target")
	}
	if res["htotal"].Values[0] != totalHealthy {
		t.Fatalf("HealthyHostCount per target group %v, want %v", res["htotal"].Values[0], totalHealthy)
	}

	// Take the last healthy target of another zone down: the metric follows the world.
	w := run.Server.World()
	clock := run.Server.Clock().(*ManualClock)
	w.mu.Lock()
	var victim *Target
	for _, tt := range ledger.TargetGroups[0].Targets {
		if tt.State == TargetHealthy {
			victim = tt
		}
	}
	down := clock.Advance(2 * time.Minute)
	victim.setHealth(down, TargetUnhealthy, ReasonTimeout)
	w.mu.Unlock()
	zi := 0
	for i, z := range ledger.Zones {
		if z.AZ == victim.AZ {
			zi = i
		}
	}
	res = getAll(t, c, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []cwtypes.MetricDataQuery{
			cwQ("h", nsNetworkELB, "HealthyHostCount", "Minimum", 60, dimLoadBalancer, lbDimensionValue(ledger.ARN), dimTargetGroup, tgDimensionValue(tgARN), dimAZ, ledger.Zones[zi].AZ),
		},
		StartTime: aws.Time(down.Add(-5 * time.Minute)),
		EndTime:   aws.Time(down.Add(time.Minute)),
		ScanBy:    cwtypes.ScanByTimestampAscending,
	})
	h := res["h"]
	if last := h.Values[len(h.Values)-1]; last != healthy[victim.AZ]-1 || h.Values[0] != healthy[victim.AZ] {
		t.Fatalf("after taking a target down in %s: %v (ascending), want %v … %v", victim.AZ, h.Values, healthy[victim.AZ], healthy[victim.AZ]-1)
	}
	for i := 1; i < len(h.Timestamps); i++ {
		if !h.Timestamps[i].After(h.Timestamps[i-1]) {
			t.Fatalf("TimestampAscending not ascending: %v", h.Timestamps)
		}
	}
}

func TestCloudWatchConsumerSeesItsEndpointMetrics(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	now := elbTestStart
	w := run.Server.World()
	w.mu.RLock()
	var ep *Endpoint
	for _, e := range w.EndpointList {
		if e.State == EndpointAvailable && e.Region == w.Region && len(e.SubnetIDs) > 1 && !e.History.AvailableAt.After(now.Add(-time.Hour)) {
			ep = e
			break
		}
	}
	w.mu.RUnlock()
	if ep == nil {
		t.Fatal("no available same-region endpoint with several subnets")
	}
	consumer := cloudwatch.NewFromConfig(testAWSConfig(run, ep.OwnerID, 1))
	provider := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	base := []string{dimEndpointType, "Interface", dimServiceName, ep.ServiceName, dimEndpointID, ep.ID, dimVpcID, ep.VpcID}
	qs := []cwtypes.MetricDataQuery{
		cwQ("active", nsPLEndpoints, "ActiveConnections", "Sum", 60, base...),
		cwQ("rst", nsPLEndpoints, "RstPacketsReceived", "Sum", 60, base...),
	}
	for i, sn := range ep.SubnetIDs {
		qs = append(qs, cwQ(fmt.Sprintf("sub%d", i), nsPLEndpoints, "ActiveConnections", "Sum", 60, append(append([]string(nil), base...), dimSubnetID, sn)...))
	}
	end := now.Truncate(time.Minute)
	in := &cloudwatch.GetMetricDataInput{MetricDataQueries: qs, StartTime: aws.Time(end.Add(-time.Hour)), EndTime: aws.Time(end)}
	mine := getAll(t, consumer, in)
	prov := getAll(t, provider, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []cwtypes.MetricDataQuery{
			cwQ("active", nsPLServices, "ActiveConnections", "Sum", 60, dimServiceID, ep.ServiceID, dimEndpointID, ep.ID),
			cwQ("rst", nsPLServices, "RstPacketsSent", "Sum", 60, dimServiceID, ep.ServiceID, dimEndpointID, ep.ID),
		},
		StartTime: in.StartTime, EndTime: in.EndTime,
	})
	if len(mine["active"].Values) != 60 || sum(mine["active"].Values) != sum(prov["active"].Values) || sum(mine["rst"].Values) != sum(prov["rst"].Values) {
		t.Fatalf("consumer %v/%v vs provider %v/%v", sum(mine["active"].Values), sum(mine["rst"].Values), sum(prov["active"].Values), sum(prov["rst"].Values))
	}
	bySubnet := 0.0
	for i := range ep.SubnetIDs {
		bySubnet += sum(mine[fmt.Sprintf("sub%d", i)].Values)
	}
	if bySubnet != sum(mine["active"].Values) {
		t.Fatalf("Σ subnets %v != endpoint %v", bySubnet, sum(mine["active"].Values))
	}
	// The provider cannot read the consumer's namespace, nor the consumer the provider's.
	none := getAll(t, provider, in)
	if len(none["active"].Values) != 0 {
		t.Fatalf("provider reads consumer metrics: %v", none["active"].Values)
	}
	none = getAll(t, consumer, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []cwtypes.MetricDataQuery{cwQ("x", nsPLServices, "EndpointsCount", "Sum", 60, dimServiceID, ep.ServiceID)},
		StartTime:         in.StartTime, EndTime: in.EndTime,
	})
	if len(none["x"].Values) != 0 {
		t.Fatalf("consumer reads provider metrics")
	}
}

func TestCloudWatchPagingScanByExpressionsAndStats(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	now := elbTestStart
	svc := worldService(t, run, "payments")
	qs := []cwtypes.MetricDataQuery{
		cwQ("sum", nsPLServices, "BytesProcessed", "Sum", 60, dimServiceID, svc.ID),
		cwQ("avg", nsPLServices, "BytesProcessed", "Average", 300, dimServiceID, svc.ID),
		cwQ("mx", nsPLServices, "BytesProcessed", "Maximum", 300, dimServiceID, svc.ID),
		cwQ("p50", nsPLServices, "BytesProcessed", "p50", 300, dimServiceID, svc.ID),
		cwQ("cnt", nsPLServices, "BytesProcessed", "SampleCount", 300, dimServiceID, svc.ID),
		cwQ("s5", nsPLServices, "BytesProcessed", "Sum", 300, dimServiceID, svc.ID),
	}
	var azIDs []string
	for i, az := range svc.AZs {
		id := fmt.Sprintf("z%d", i)
		azIDs = append(azIDs, id)
		q := cwQ(id, nsPLServices, "BytesProcessed", "Sum", 60, dimServiceID, svc.ID, dimAz, az)
		q.ReturnData = aws.Bool(false)
		qs = append(qs, q)
	}
	qs = append(qs,
		cwtypes.MetricDataQuery{Id: aws.String("e1"), Expression: aws.String("SUM([" + strings.Join(azIDs, ",") + "])"), Label: aws.String("all zones")},
		cwtypes.MetricDataQuery{Id: aws.String("e2"), Expression: aws.String("(sum - e1) * 2 + 1")},
		cwtypes.MetricDataQuery{Id: aws.String("e3"), Expression: aws.String("SUM(METRICS(\"z\"))/60")},
	)
	end := now.Truncate(time.Minute)
	in := &cloudwatch.GetMetricDataInput{MetricDataQueries: qs, StartTime: aws.Time(end.Add(-3 * time.Hour)), EndTime: aws.Time(end)}
	whole, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if whole.NextToken != nil || len(whole.MetricDataResults) != 9 {
		t.Fatalf("unpaged: token %v, %d results (ReturnData=false ones must be left out)", whole.NextToken, len(whole.MetricDataResults))
	}
	byID := map[string]cwtypes.MetricDataResult{}
	for _, r := range whole.MetricDataResults {
		byID[aws.ToString(r.Id)] = r
	}
	if len(byID["sum"].Values) != 180 || len(byID["avg"].Values) != 36 {
		t.Fatalf("datapoints: %d and %d, want 180 and 36", len(byID["sum"].Values), len(byID["avg"].Values))
	}
	for i := range byID["avg"].Values {
		s5, cnt, avg := byID["s5"].Values[i], byID["cnt"].Values[i], byID["avg"].Values[i]
		if cnt != 5 || math.Abs(s5/5-avg) > 1e-6 || byID["mx"].Values[i] < avg || byID["p50"].Values[i] > byID["mx"].Values[i] {
			t.Fatalf("bucket %d: sum %v count %v avg %v max %v p50 %v", i, s5, cnt, avg, byID["mx"].Values[i], byID["p50"].Values[i])
		}
	}
	if sum(byID["s5"].Values) != sum(byID["sum"].Values) {
		t.Fatalf("5-minute sums %v != 1-minute sums %v", sum(byID["s5"].Values), sum(byID["sum"].Values))
	}
	e1 := byID["e1"]
	if aws.ToString(e1.Label) != "all zones" || sum(e1.Values) != sum(byID["sum"].Values) || len(e1.Values) != 180 {
		t.Fatalf("SUM over zones %v (%d points) != service %v", sum(e1.Values), len(e1.Values), sum(byID["sum"].Values))
	}
	for _, v := range byID["e2"].Values {
		if v != 1 {
			t.Fatalf("(sum - e1)*2+1 = %v, want 1", v)
		}
	}
	if math.Abs(sum(byID["e3"].Values)*60-sum(byID["sum"].Values)) > 1e-3*sum(byID["sum"].Values) {
		t.Fatalf("METRICS(\"z\")/60 wrong")
	}
	// Division by zero drops the points and says so, as CloudWatch does.
	div, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []cwtypes.MetricDataQuery{qs[0], {Id: aws.String("d"), Expression: aws.String("sum / (sum - sum)")}},
		StartTime:         in.StartTime, EndTime: in.EndTime,
	})
	if err != nil {
		t.Fatal(err)
	}
	d0 := div.MetricDataResults[1]
	if len(d0.Values) != 0 || len(d0.Messages) != 1 || aws.ToString(d0.Messages[0].Code) != "ArithmeticError" {
		t.Fatalf("division by zero: %d points, messages %+v", len(d0.Values), d0.Messages)
	}

	// The same request in pages of 50 datapoints gives the same series, and pages say PartialData.
	in.MaxDatapoints = aws.Int32(50)
	first, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if first.NextToken == nil || first.MetricDataResults[0].StatusCode != cwtypes.StatusCodePartialData {
		t.Fatalf("first page: token %v status %s", first.NextToken, first.MetricDataResults[0].StatusCode)
	}
	n := 0
	for _, r := range first.MetricDataResults {
		n += len(r.Values)
	}
	if n != 50 {
		t.Fatalf("first page carries %d datapoints, want 50", n)
	}
	paged := getAll(t, c, in)
	for id, r := range byID {
		p := paged[id]
		if len(p.Values) != len(r.Values) || sum(p.Values) != sum(r.Values) || !p.Timestamps[0].Equal(r.Timestamps[0]) {
			t.Fatalf("%s: paged %d points (%v) vs whole %d (%v)", id, len(p.Values), sum(p.Values), len(r.Values), sum(r.Values))
		}
		if p.StatusCode != cwtypes.StatusCodeComplete {
			t.Fatalf("%s: last page status %s", id, p.StatusCode)
		}
	}
	// Descending (default) vs ascending.
	in.MaxDatapoints = nil
	in.ScanBy = cwtypes.ScanByTimestampAscending
	asc, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	a, d := asc.MetricDataResults[0], byID["sum"]
	if !a.Timestamps[0].Equal(d.Timestamps[len(d.Timestamps)-1]) || a.Values[0] != d.Values[len(d.Values)-1] || !a.Timestamps[0].Equal(now.Add(-3*time.Hour).Truncate(time.Minute)) {
		t.Fatalf("ascending starts %v, descending ends %v", a.Timestamps[0], d.Timestamps[len(d.Timestamps)-1])
	}
	// A NextToken from another request is refused.
	_, err = c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: qs[:1], StartTime: in.StartTime, EndTime: in.EndTime, NextToken: first.NextToken,
	})
	wantCode(t, err, "InvalidNextToken")
}

func TestCloudWatchRetentionAndPeriods(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	now := elbTestStart
	svc := worldService(t, run, "payments")
	get := func(period int32, from, to time.Time) []float64 {
		res := getAll(t, c, &cloudwatch.GetMetricDataInput{
			MetricDataQueries: []cwtypes.MetricDataQuery{cwQ("q", nsPLServices, "EndpointsCount", "SampleCount", period, dimServiceID, svc.ID)},
			StartTime:         aws.Time(from), EndTime: aws.Time(to),
		})
		return res["q"].Values
	}
	// 20 days ago only 5-minute data is kept: a 60-second period shows nothing there.
	old := now.Add(-20 * 24 * time.Hour).Truncate(time.Hour)
	if v := get(60, old, old.Add(time.Hour)); len(v) != 0 {
		t.Fatalf("60 s period 20 days back: %d points", len(v))
	}
	if v := get(300, old, old.Add(time.Hour)); len(v) != 12 || v[0] != 5 {
		t.Fatalf("300 s period 20 days back: %v", v)
	}
	// 100 days ago only hourly data is kept.
	older := now.Add(-100 * 24 * time.Hour).Truncate(time.Hour)
	if v := get(300, older, older.Add(3*time.Hour)); len(v) != 0 {
		t.Fatalf("300 s period 100 days back: %d points", len(v))
	}
	if v := get(3600, older, older.Add(3*time.Hour)); len(v) != 3 || v[0] != 60 {
		t.Fatalf("3600 s period 100 days back: %v", v)
	}
	// Nothing in the future.
	if v := get(60, now.Add(time.Hour), now.Add(2*time.Hour)); len(v) != 0 {
		t.Fatalf("future datapoints: %v", v)
	}
}

func TestCloudWatchErrors(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	ctx := context.Background()
	now := elbTestStart
	svc := worldService(t, run, "payments")
	q := func(id string, period int32) cwtypes.MetricDataQuery {
		return cwQ(id, nsPLServices, "ActiveConnections", "Average", period, dimServiceID, svc.ID)
	}
	call := func(qs ...cwtypes.MetricDataQuery) error {
		_, err := c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{MetricDataQueries: qs,
			StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now)})
		return err
	}
	wantCode(t, call(q("a", 59)), "InvalidParameterValue")
	wantCode(t, call(q("a", 30)), "InvalidParameterValue") // high resolution: not for this namespace
	wantCode(t, call(q("a", 0)), "InvalidParameterValue")
	wantCode(t, call(q("a", 60), q("a", 300)), "InvalidParameterValue")
	wantCode(t, call(q("Abc", 60)), "InvalidParameterValue")
	err := call(q("a", 59))
	var ipv *cwtypes.InvalidParameterValueException
	if !asErr(err, &ipv) {
		t.Fatalf("want the modeled InvalidParameterValueException, got %T %v", err, err)
	}
	many := make([]cwtypes.MetricDataQuery, 501)
	for i := range many {
		many[i] = q(fmt.Sprintf("q%d", i), 60)
	}
	wantCode(t, call(many...), "InvalidParameterValue")
	bad := q("a", 60)
	bad.MetricStat.Stat = aws.String("Median")
	wantCode(t, call(bad), "InvalidParameterValue")
	wantCode(t, call(q("a", 60), cwtypes.MetricDataQuery{Id: aws.String("e"), Expression: aws.String("ANOMALY_DETECTION_BAND(a)")}), "InvalidParameterValue")
	wantCode(t, call(q("a", 60), cwtypes.MetricDataQuery{Id: aws.String("e"), Expression: aws.String("a + nope")}), "InvalidParameterValue")
	wantCode(t, call(cwtypes.MetricDataQuery{Id: aws.String("e"), Expression: aws.String("f")}, cwtypes.MetricDataQuery{Id: aws.String("f"), Expression: aws.String("e")}), "InvalidParameterValue")
	both := q("a", 60)
	both.Expression = aws.String("1")
	wantCode(t, call(both), "InvalidParameterCombination")
	_, err = c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{MetricDataQueries: []cwtypes.MetricDataQuery{q("a", 60)},
		StartTime: aws.Time(now), EndTime: aws.Time(now.Add(-time.Hour))})
	wantCode(t, err, "InvalidParameterValue")
	_, err = c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{RecentlyActive: "PT1H"})
	wantCode(t, err, "InvalidParameterValue")
	_, err = c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{NextToken: aws.String("bogus")})
	wantCode(t, err, "InvalidNextToken")

	run.Server.Faults().Set(FaultConfig{ThrottleRatio: 1})
	wantCode(t, call(q("a", 60)), "Throttling")
	_, err = c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{})
	wantCode(t, err, "Throttling")
}

func TestCloudWatchListMetrics(t *testing.T) {
	run := startReadSim(t, WorldConfig{Connections: 300})
	ctx := context.Background()
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	var all []cwtypes.Metric
	pages := 0
	p := cloudwatch.NewListMetricsPaginator(c, &cloudwatch.ListMetricsInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Metrics) > 500 {
			t.Fatalf("a page of %d metrics", len(out.Metrics))
		}
		pages++
		all = append(all, out.Metrics...)
	}
	if pages < 3 {
		t.Fatalf("%d metrics in %d pages: want several pages", len(all), pages)
	}
	seen := map[string]bool{}
	perNS := map[string]int{}
	for _, m := range all {
		var b strings.Builder
		b.WriteString(aws.ToString(m.Namespace) + "|" + aws.ToString(m.MetricName))
		for i, d := range m.Dimensions {
			b.WriteString("|" + aws.ToString(d.Name) + "=" + aws.ToString(d.Value))
			if i > 0 && aws.ToString(m.Dimensions[i-1].Name) >= aws.ToString(d.Name) {
				t.Fatalf("dimensions not sorted: %v", b.String())
			}
		}
		if seen[b.String()] {
			t.Fatalf("metric listed twice: %s", b.String())
		}
		seen[b.String()] = true
		perNS[aws.ToString(m.Namespace)]++
	}
	if perNS[nsPLServices] == 0 || perNS[nsNetworkELB] == 0 || perNS[nsPLEndpoints] != 0 {
		t.Fatalf("provider namespaces: %v", perNS)
	}

	// Filters: one service's EndpointsCount exists only under {Service Id}.
	svc := worldService(t, run, "payments")
	out, err := c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String(nsPLServices), MetricName: aws.String("EndpointsCount"),
		Dimensions: []cwtypes.DimensionFilter{{Name: aws.String(dimServiceID), Value: aws.String(svc.ID)}}})
	if err != nil || len(out.Metrics) != 1 || len(out.Metrics[0].Dimensions) != 1 {
		t.Fatalf("EndpointsCount of one service: %v %+v", err, out)
	}
	// A name-only filter matches every value.
	out, err = c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String(nsNetworkELB), MetricName: aws.String("HealthyHostCount"),
		Dimensions: []cwtypes.DimensionFilter{{Name: aws.String(dimAZ)}}})
	if err != nil || len(out.Metrics) == 0 {
		t.Fatalf("HealthyHostCount per zone: %v %d", err, len(out.Metrics))
	}
	for _, m := range out.Metrics {
		if len(m.Dimensions) != 3 {
			t.Fatalf("zone filter let through %+v", m.Dimensions)
		}
	}
	recent, err := c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String(nsPLServices), RecentlyActive: cwtypes.RecentlyActivePt3h})
	if err != nil || len(recent.Metrics) == 0 {
		t.Fatalf("recently active: %v", err)
	}

	// A consumer lists only its own endpoints' metrics.
	w := run.Server.World()
	w.mu.RLock()
	consumer := w.AccountList[1]
	owned := map[string]bool{}
	for _, e := range consumer.Endpoints {
		owned[e.ID] = true
	}
	w.mu.RUnlock()
	cc := cloudwatch.NewFromConfig(testAWSConfig(run, consumer.ID, 1))
	cp := cloudwatch.NewListMetricsPaginator(cc, &cloudwatch.ListMetricsInput{})
	n := 0
	for cp.HasMorePages() {
		out, err := cp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Metrics {
			n++
			if aws.ToString(m.Namespace) != nsPLEndpoints {
				t.Fatalf("consumer sees %s", aws.ToString(m.Namespace))
			}
			for _, d := range m.Dimensions {
				if aws.ToString(d.Name) == dimEndpointID && !owned[aws.ToString(d.Value)] {
					t.Fatalf("consumer sees another account's endpoint %s", aws.ToString(d.Value))
				}
			}
		}
	}
	if n == 0 {
		t.Fatalf("consumer %s lists no metrics", consumer.ID)
	}
}

func asErr[T error](err error, target *T) bool { return errorsAs(err, target) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
