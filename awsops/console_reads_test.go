package awsops

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// ListPrincipals is one DescribeVpcEndpointServicePermissions per 1000 principals and reads
// nothing else (ServiceDetail costs three calls for the same principals).
func TestListPrincipals(t *testing.T) {
	run := startSim(t, testWorld(3, 10))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range svcs {
		d, err := c.ServiceDetail(ctxT(t), svc.ID)
		if err != nil {
			t.Fatal(err)
		}
		run.Server.ResetStats()
		ps, err := c.ListPrincipals(ctxT(t), svc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st := run.Server.Stats(); st.Total != 1 || st.Count("ec2", "DescribeVpcEndpointServicePermissions") != 1 {
			t.Errorf("%s: ListPrincipals cost %d requests, want 1 DescribeVpcEndpointServicePermissions\n%s", svc.Label(), st.Total, statsTable(run))
		}
		if ps == nil || !reflect.DeepEqual(ps, d.AllowedPrincipals) {
			t.Errorf("%s: ListPrincipals = %+v, ServiceDetail's = %+v", svc.Label(), ps, d.AllowedPrincipals)
		}
	}

	// 1,500 principals: two pages of 1000.
	svc := svcs[0]
	before, err := c.ListPrincipals(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for i := 0; len(before)+len(arns) < 1500; i++ {
		arns = append(arns, fmt.Sprintf("arn:aws:iam::%012d:root", 900000000000+i))
	}
	if err := c.AddPrincipals(ctxT(t), svc.ID, arns); err != nil {
		t.Fatal(err)
	}
	run.Server.ResetStats()
	ps, err := c.ListPrincipals(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1500 {
		t.Fatalf("%d principals, want 1500", len(ps))
	}
	if n := run.Server.Stats().Total; n != 2 {
		t.Errorf("1500 principals cost %d requests, want 2 (pages of 1000)\n%s", n, statsTable(run))
	}

	if _, err := c.ListPrincipals(ctxT(t), "vpce-svc-0123456789abcdef0"); err == nil {
		t.Error("an unknown service has no principals to list")
	}
}

// ListLoadBalancers shares the session's listener and attribute cache with Refresh: only the
// first read of a load balancer reads its listeners and attributes (and its instance targets'
// zones); later reads, through either path, re-read target health only.
func TestListLoadBalancersUsesTheSessionCache(t *testing.T) {
	const N = 25
	run := startSim(t, testWorld(N, 50))
	c := newClient(t, run, providerAccount)
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, s := range svcs {
		arns = append(arns, s.NetworkLoadBalancers...)
	}
	L, T := len(arns), N // one NLB with one target group per service
	G := T + 3           // plus the spare load balancers' target groups
	warm := ceilDiv(L, 20) + ceilDiv(G, 400) + T

	read := func(what string) ([]model.LoadBalancer, map[string]int64) {
		t.Helper()
		run.Server.ResetStats()
		lbs, err := c.ListLoadBalancers(ctxT(t), arns)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if len(lbs) != L {
			t.Fatalf("%s: %d load balancers, want %d", what, len(lbs), L)
		}
		return lbs, elbCounts(run)
	}

	cold, counts := read("cold read")
	I := instanceTargets(cold)
	if got, want := run.Server.Stats().Total, int64(warm+2*L+T+ceilDiv(I, 1000)); got != want {
		t.Errorf("cold ListLoadBalancers: %d requests, want %d\n%s", got, want, statsTable(run))
	}
	if counts["DescribeListeners"] != int64(L) || counts["DescribeLoadBalancerAttributes"] != int64(L) ||
		counts["DescribeTargetGroupAttributes"] != int64(T) {
		t.Errorf("cold read: %v", counts)
	}

	again, counts := read("warm read")
	if got := run.Server.Stats().Total; got != int64(warm) {
		t.Errorf("warm ListLoadBalancers: %d requests, want %d (⌈L/20⌉ + ⌈G/400⌉ + T)\n%s", got, warm, statsTable(run))
	}
	for _, op := range []string{"DescribeListeners", "DescribeLoadBalancerAttributes", "DescribeTargetGroupAttributes"} {
		if counts[op] != 0 {
			t.Errorf("warm read: %d %s, want none (cached)", counts[op], op)
		}
	}
	if n := requests(run, "ec2", "DescribeInstances"); n != 0 {
		t.Errorf("warm read: %d DescribeInstances, want none (the zones are cached)", n)
	}
	if counts["DescribeTargetHealth"] != int64(T) {
		t.Errorf("warm read: %d DescribeTargetHealth, want %d (health is read every time)", counts["DescribeTargetHealth"], T)
	}
	if !sameLoadBalancers(cold, again) {
		t.Error("the warm read differs from the cold one although nothing changed")
	}

	// Refresh is warm after ListLoadBalancers read the same load balancers.
	run.Server.ResetStats()
	snap, err := c.Refresh(ctxT(t), model.RefreshRequest{LoadBalancers: true})
	if err != nil {
		t.Fatal(err)
	}
	want := ceilDiv(N, 1000) + ceilDiv(50, 1000) + warm
	if got := run.Server.Stats().Total; got != int64(want) || snap.Requests != want {
		t.Errorf("Refresh after ListLoadBalancers: %d requests (snapshot says %d), want %d\n%s", got, snap.Requests, want, statsTable(run))
	}
	if !sameLoadBalancers(cold, snap.LoadBalancers) {
		t.Error("Refresh's load balancers differ from ListLoadBalancers'")
	}

	// And ListLoadBalancers is warm after a Refresh of a fresh session.
	c2 := newClient(t, run, providerAccount)
	if _, err := c2.Refresh(ctxT(t), model.RefreshRequest{LoadBalancers: true}); err != nil {
		t.Fatal(err)
	}
	run.Server.ResetStats()
	if _, err := c2.ListLoadBalancers(ctxT(t), arns[:3]); err != nil {
		t.Fatal(err)
	}
	if got, want := run.Server.Stats().Total, int64(1+ceilDiv(G, 400)+3); got != want {
		t.Errorf("ListLoadBalancers of 3 after a Refresh: %d requests, want %d\n%s", got, want, statsTable(run))
	}
}

// elbCounts is the ELB requests the region counted, per operation.
func elbCounts(run *simtest.Region) map[string]int64 {
	out := map[string]int64{}
	for op, st := range run.Server.Stats().Requests["elasticloadbalancing"] {
		out[op] = st.Total
	}
	return out
}

// sameLoadBalancers compares two reads of the same load balancers, in any order.
func sameLoadBalancers(a, b []model.LoadBalancer) bool {
	byARN := func(x, y model.LoadBalancer) int { return strings.Compare(x.ARN, y.ARN) }
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, byARN)
	slices.SortFunc(b, byARN)
	return reflect.DeepEqual(a, b)
}
