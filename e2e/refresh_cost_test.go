package e2e_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// fleetShape is what the refresh cost formula counts, read through the SDK independently of
// awsops: N services, M connections, the L load balancers behind the services, their T
// target groups, the account's G target groups and the I instance targets whose zone ELB
// does not report.
type fleetShape struct{ N, M, L, T, G, I int }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// warm is the inventory read (`r`, or its cadence) with the listeners, attributes and
// instance zones cached and no metric queries (Q = 0): ⌈N/1000⌉ + ⌈M/1000⌉ + the fixed few,
// ⌈L/20⌉ DescribeLoadBalancers + ⌈G/400⌉ DescribeTargetGroups (awsops/refresh.go). Issue 3's
// T DescribeTargetHealth are gone since issue 10: after the first load the fleet's target
// health is read round-robin (ui/store/tiers.go). An empty connection list still costs its
// one request.
func (f fleetShape) warm() map[string]int {
	return map[string]int{
		"ec2/DescribeVpcEndpointServiceConfigurations": ceilDiv(f.N, 1000),
		"ec2/DescribeVpcEndpointConnections":           max(1, ceilDiv(f.M, 1000)),
		"elasticloadbalancing/DescribeLoadBalancers":   ceilDiv(f.L, 20),
		"elasticloadbalancing/DescribeTargetGroups":    ceilDiv(f.G, 400),
	}
}

// cold is the first refresh of a session: the warm cost plus every target group's health,
// each load balancer's listeners
// and attributes, each target group's attributes and the instance targets' zones.
func (f fleetShape) cold() map[string]int {
	c := f.warm()
	c["elasticloadbalancing/DescribeTargetHealth"] = f.T
	c["elasticloadbalancing/DescribeListeners"] = f.L
	c["elasticloadbalancing/DescribeLoadBalancerAttributes"] = f.L
	c["elasticloadbalancing/DescribeTargetGroupAttributes"] = f.T
	if f.I > 0 {
		c["ec2/DescribeInstances"] = ceilDiv(f.I, 1000)
	}
	return c
}

func total(counts map[string]int) int {
	n := 0
	for _, v := range counts {
		n += v
	}
	return n
}

// shape reads the fleet through the SDK, as the provider.
func (r *region) shape(t *testing.T) fleetShape {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := r.sdk(r.Provider)
	lb := elb.NewFromConfig(r.AWSConfig(r.Provider))
	var f fleetShape
	lbs := map[string]bool{}
	sp := ec2.NewDescribeVpcEndpointServiceConfigurationsPaginator(e, &ec2.DescribeVpcEndpointServiceConfigurationsInput{})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range page.ServiceConfigurations {
			f.N++
			for _, a := range append(sc.NetworkLoadBalancerArns, sc.GatewayLoadBalancerArns...) {
				lbs[a] = true
			}
		}
	}
	f.L = len(lbs)
	f.M = len(connections(t, e, ""))
	instances := map[string]bool{}
	tp := elb.NewDescribeTargetGroupsPaginator(lb, &elb.DescribeTargetGroupsInput{})
	for tp.HasMorePages() {
		page, err := tp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range page.TargetGroups {
			f.G++
			behind := false
			for _, a := range tg.LoadBalancerArns {
				behind = behind || lbs[a]
			}
			if !behind {
				continue
			}
			f.T++
			th, err := lb.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range th.TargetHealthDescriptions {
				if id := aws.ToString(d.Target.Id); strings.HasPrefix(id, "i-") && aws.ToString(d.Target.AvailabilityZone) == "" {
					instances[id] = true
				}
			}
		}
	}
	f.I = len(instances)
	return f
}

// counted is the requests the region received since the last reset, per service/operation.
func (r *region) counted() map[string]int {
	out := map[string]int{}
	for svc, ops := range r.Stats().Requests {
		for op, st := range ops {
			if st.Total > 0 {
				out[svc+"/"+op] = int(st.Total)
			}
		}
	}
	return out
}

func countsTable(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-66s %d\n", k, m[k])
	}
	return b.String()
}

// settled waits until the region has received no request for a while, and returns the
// counts.
func (r *region) settled(t *testing.T) map[string]int {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	last, quietSince := r.Stats().Total, time.Now()
	for time.Since(quietSince) < 150*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatal("the console never stopped sending requests")
		}
		time.Sleep(10 * time.Millisecond)
		if n := r.Stats().Total; n != last {
			last, quietSince = n, time.Now()
		}
	}
	return r.counted()
}

// The console's inventory read costs exactly what the formula says: `r` with the principals
// already read is one Refresh — ⌈N/1000⌉ + ⌈M/1000⌉ + the fixed few requests, with no target
// health, listener, attribute or per-service principal reads.
func TestConsoleRefreshCost(t *testing.T) {
	r := startRegion(t)
	f := r.shape(t)
	backend := r.consoleBackend(t)
	if f.N == 0 || f.M == 0 || f.T == 0 {
		t.Fatalf("the demo world is empty: %+v", f)
	}

	// Initial load: one cold refresh, then each service's principals once, in the background.
	r.ResetStats()
	c := startConsole(t, backend)
	c.waitScreen("every badge to load", func(s string) bool {
		return strings.Contains(s, fmt.Sprintf("%d/%d services", f.N, f.N)) && !strings.Contains(s, "…") && !strings.Contains(s, "⟳")
	})
	initial := r.settled(t)
	wantInitial := f.cold()
	wantInitial["ec2/DescribeVpcEndpointServicePermissions"] = f.N
	// the fleet's health metrics, read once a minute at most, in ⌈queries/500⌉ calls
	wantInitial["monitoring/GetMetricData"] = 1
	if countsTable(initial) != countsTable(wantInitial) {
		t.Errorf("initial load (%+v):\n%swant:\n%s", f, countsTable(initial), countsTable(wantInitial))
	}

	// `r`: the steady-state refresh.
	r.ResetStats()
	c.key("r")
	c.waitScreen("the refresh to start", func(string) bool { return r.Stats().Total > 0 })
	c.waitScreen("the refresh to land", func(s string) bool { return !strings.Contains(s, "⟳") })
	got := r.settled(t)
	want := f.warm()
	if countsTable(got) != countsTable(want) {
		t.Errorf("refresh (%+v) cost %d requests, want ⌈N/1000⌉ + ⌈M/1000⌉ + ⌈L/20⌉ + ⌈G/400⌉ = %d:\n%swant:\n%s",
			f, total(got), total(want), countsTable(got), countsTable(want))
	}
	if n := got["ec2/DescribeVpcEndpointServicePermissions"]; n != 0 {
		t.Errorf("the refresh read principals %d times; they are cached", n)
	}
	t.Logf("demo world %+v: initial load %d requests (cold refresh %d + %d principal reads), steady-state refresh %d",
		f, total(initial), total(f.cold()), f.N, total(got))
}
