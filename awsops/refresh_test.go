package awsops

import (
	"fmt"
	"testing"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// A full refresh costs ⌈N/1000⌉ + ⌈M/1000⌉ + T + ⌈Q/500⌉ requests plus the fixed few
// (⌈L/20⌉ DescribeLoadBalancers + ⌈G/400⌉ DescribeTargetGroups), counted by the region.
// The first refresh of a session also reads listeners and attributes (2L + T) and the zones
// of the I instance targets (⌈I/1000⌉ DescribeInstances). The session's own fixed two
// (GetCallerIdentity and the region probe) are paid once, by New: TestNewResolvesIdentity.
func TestRefreshCost(t *testing.T) {
	for _, tc := range []struct{ services, connections, queries int }{
		{5, 1200, 600},
		{25, 300, 0},
		{3, 0, 1},
	} {
		t.Run(fmt.Sprintf("N%d_M%d_Q%d", tc.services, tc.connections, tc.queries), func(t *testing.T) {
			w := testWorld(tc.services, tc.connections)
			if tc.connections == 0 {
				w.Connections = -1 // none at all
			}
			run := startSim(t, w)
			c := newClient(t, run, providerAccount)
			svcs, err := c.ListServices(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			req := model.RefreshRequest{LoadBalancers: true}
			if tc.queries > 0 {
				mr := metricRequest(svcs, tc.queries)
				req.Metrics = &mr
			}
			N, M, Q := tc.services, tc.connections, tc.queries
			T, L := N, N // one NLB with one target group per service
			G := T + 3   // plus the spare load balancers' target groups
			warm := ceilDiv(N, 1000) + ceilDiv(M, 1000) + T + ceilDiv(Q, 500) + ceilDiv(L, 20) + ceilDiv(G, 400)
			if M == 0 {
				warm++ // an empty list still costs its one request
			}
			cold := warm + 2*L + T // + ⌈I/1000⌉ once the first snapshot says what I is

			for i, want := range []int{cold, warm} {
				run.Server.ResetStats()
				snap, err := c.Refresh(ctxT(t), req)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					I := instanceTargets(snap.LoadBalancers)
					want += ceilDiv(I, 1000)
					if n := requests(run, "ec2", "DescribeInstances"); n != int64(ceilDiv(I, 1000)) {
						t.Errorf("cold refresh: %d DescribeInstances for %d instance targets", n, I)
					}
				} else if n := requests(run, "ec2", "DescribeInstances"); n != 0 {
					t.Errorf("warm refresh: %d DescribeInstances, want none (the zones are cached)", n)
				}
				got := run.Server.Stats().Total
				if got != int64(want) || snap.Requests != want {
					t.Errorf("refresh %d: the region counted %d requests, the snapshot %d; want %d\n%s", i+1, got, snap.Requests, want, statsTable(run))
					for _, call := range c.APICalls() {
						if call.Attempts > 1 || call.Error != "" {
							t.Logf("retried or failed: %+v", call)
						}
					}
				}
				if len(snap.Services) != N || len(snap.Connections) != M || len(snap.LoadBalancers) != L || len(snap.Metrics) != Q {
					t.Errorf("snapshot: %d services, %d connections, %d load balancers, %d series",
						len(snap.Services), len(snap.Connections), len(snap.LoadBalancers), len(snap.Metrics))
				}
				if snap.Identity.Account != providerAccount || snap.Taken.IsZero() {
					t.Errorf("snapshot identity %+v taken %v", snap.Identity, snap.Taken)
				}
			}
		})
	}
}

// instanceTargets counts the instance targets behind the load balancers, each instance once.
func instanceTargets(lbs []model.LoadBalancer) int {
	seen := map[string]bool{}
	for _, lb := range lbs {
		for _, tg := range lb.TargetGroups {
			if tg.TargetType != "instance" {
				continue
			}
			for _, t := range tg.Targets {
				seen[t.ID] = true
			}
		}
	}
	return len(seen)
}

func statsTable(run *simtest.Region) string {
	var s string
	for svc, ops := range run.Server.Stats().Requests {
		for op, st := range ops {
			s += fmt.Sprintf("  %s %s %d\n", svc, op, st.Total)
		}
	}
	return s
}

// fleetWorld is the fleet scenario of the benchmarks: 500 services, 50,000 connections.
var fleetWorld = sim.WorldConfig{Seed: 1, Services: 500, Connections: 50000, Static: true}

// BenchmarkFullRefreshFleet: the fleet scenario (500 services, 50,000 connections), with
// load balancers and target health; budget < 3 s per refresh on 2 cores.
func BenchmarkFullRefreshFleet(b *testing.B) {
	run := startSim(b, fleetWorld)
	c := newClient(b, run, providerAccount)
	req := model.RefreshRequest{LoadBalancers: true}
	// The first refresh reads listeners and attributes once; measure steady-state refreshes.
	if _, err := c.Refresh(ctxT(b), req); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := c.Refresh(ctxT(b), req)
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Connections) != 50000 || len(snap.Services) != 500 {
			b.Fatalf("snapshot: %d services, %d connections", len(snap.Services), len(snap.Connections))
		}
		b.ReportMetric(float64(snap.Requests), "requests/op")
	}
}

// BenchmarkColdRefreshFleet is the first refresh after start or a profile switch.
func BenchmarkColdRefreshFleet(b *testing.B) {
	run := startSim(b, fleetWorld)
	req := model.RefreshRequest{LoadBalancers: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := newClient(b, run, providerAccount)
		b.StartTimer()
		snap, err := c.Refresh(ctxT(b), req)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(snap.Requests), "requests/op")
	}
}
