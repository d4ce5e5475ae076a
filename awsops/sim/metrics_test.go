package sim

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

func TestTrafficIsDeterministicAndDiurnal(t *testing.T) {
	p := TrafficProfile{MeanActive: 100, BytesPerSec: 1e6, NewConnsPerSec: 2, ResetRatio: 0.01,
		DiurnalPhase: 14, DiurnalAmplitude: 0.5, Noise: 42}
	m := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC).Unix() / 60
	a, ha := trafficAt(&p, m)
	b, hb := trafficAt(&p, m)
	if a != b || ha != hb {
		t.Fatalf("not deterministic: %v %v", a, b)
	}
	trough, _ := trafficAt(&p, m+12*60)
	if a[qActive] <= trough[qActive]*1.5 {
		t.Fatalf("peak %v not above trough %v", a[qActive], trough[qActive])
	}
	for q := 0; q < nQ; q++ {
		if a[q] != math.Trunc(a[q]) || a[q] < 0 {
			t.Fatalf("quantity %d = %v is not a count", q, a[q])
		}
	}
	// Zone shares are integers that add up to the whole, whatever the zone health.
	r := &epRoute{ep: &Endpoint{Traffic: p}}
	for k := 1; k <= 6; k++ {
		r.zones = r.zones[:0]
		up := make([][]bool, k)
		for j := 0; j < k; j++ {
			r.zones = append(r.zones, j)
			up[j] = []bool{true}
		}
		ev := &metricsEval{steps: []mstep{{start: m * 60, width: 1}}}
		var out [8][nQ]float64
		n := ev.contrib(r, 0, up, &out)
		for q := 0; q < nQ; q++ {
			s := 0.0
			for j := 0; j < n; j++ {
				if out[j][q] != math.Trunc(out[j][q]) {
					t.Fatalf("share %v is not an integer", out[j][q])
				}
				s += out[j][q]
			}
			if s != a[q] {
				t.Fatalf("quantity %d split over %d zones: %v, want %v", q, k, s, a[q])
			}
		}
	}
}

func TestBuildTimelineResolutions(t *testing.T) {
	now := time.Date(2025, 6, 2, 12, 0, 30, 0, time.UTC)
	steps := buildTimeline(now.Add(-70*24*time.Hour).Unix(), now.Unix()+60, now)
	widths := map[int64]int{}
	for i, s := range steps {
		widths[s.width]++
		if s.start%(s.width*60) != 0 {
			t.Fatalf("step %d misaligned: %+v", i, s)
		}
		if i > 0 && steps[i-1].start+steps[i-1].width*60 != s.start {
			t.Fatalf("gap before step %d", i)
		}
	}
	last := steps[len(steps)-1]
	if !last.at.Equal(now) || last.start != now.Truncate(time.Minute).Unix() {
		t.Fatalf("running minute: %+v", last)
	}
	if widths[1] < 15*24*60-5 || widths[5] == 0 || widths[60] == 0 {
		t.Fatalf("widths %v", widths)
	}
}

func TestEndpointsCountFollowsAcceptance(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	c := cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	svc := worldService(t, run, "payments")
	w := run.Server.World()
	clock := run.Server.Clock().(*ManualClock)
	count := func() (float64, float64) {
		now := clock.Now()
		res := getAll(t, c, &cloudwatch.GetMetricDataInput{
			MetricDataQueries: []cwtypes.MetricDataQuery{
				cwQ("n", nsPLServices, "EndpointsCount", "Maximum", 60, dimServiceID, svc.ID),
				cwQ("a", nsPLServices, "ActiveConnections", "Sum", 60, dimServiceID, svc.ID),
			},
			StartTime: aws.Time(now.Add(-time.Minute)), EndTime: aws.Time(now.Add(time.Minute)),
		})
		return res["n"].Values[0], res["a"].Values[0]
	}
	before, _ := count()
	w.mu.Lock()
	var ep *Endpoint
	for _, e := range svc.Endpoints {
		if e.State == EndpointPendingAcceptance {
			ep = e
			break
		}
	}
	if ep == nil {
		w.mu.Unlock()
		t.Fatal("no pendingAcceptance connection on payments")
	}
	if err := w.acceptEndpoint(ep, clock.Now()); err != nil {
		w.mu.Unlock()
		t.Fatal(err)
	}
	w.mu.Unlock()
	if n, _ := count(); n != before {
		t.Fatalf("pending connection counted: %v -> %v", before, n)
	}
	clock.Advance(PendingToAvailableDelay + time.Second)
	after, _ := count()
	if after != before+1 {
		t.Fatalf("EndpointsCount %v -> %v after the connection became available", before, after)
	}
	// Its own series starts when it became available.
	now := clock.Now()
	res := getAll(t, c, &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []cwtypes.MetricDataQuery{cwQ("e", nsPLServices, "NewConnections", "SampleCount", 60, dimServiceID, svc.ID, dimEndpointID, ep.ID)},
		StartTime:         aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now.Add(time.Minute)),
	})
	if len(res["e"].Values) != 1 {
		t.Fatalf("a just-accepted endpoint has %d datapoints in the last hour, want 1", len(res["e"].Values))
	}
}

// metricsLoad is 500 queries of 180 one-minute points, spread over every service, zone and
// endpoint dimension set of the world: the shape of a busy dashboard refresh.
func metricsLoad(w *World) []cwtypes.MetricDataQuery {
	var qs []cwtypes.MetricDataQuery
	names := []string{"ActiveConnections", "BytesProcessed", "NewConnections", "RstPacketsSent"}
	for len(qs) < 500 {
		before := len(qs)
		for _, svc := range w.ServiceList {
			for _, n := range names {
				qs = append(qs, cwQ(fmt.Sprintf("q%d", len(qs)), nsPLServices, n, "Sum", 60, dimServiceID, svc.ID))
				for _, az := range svc.AZs {
					qs = append(qs, cwQ(fmt.Sprintf("q%d", len(qs)), nsPLServices, n, "Average", 60, dimServiceID, svc.ID, dimAz, az))
				}
			}
			for _, ep := range svc.Endpoints {
				qs = append(qs, cwQ(fmt.Sprintf("q%d", len(qs)), nsPLServices, "BytesProcessed", "Sum", 60, dimServiceID, svc.ID, dimEndpointID, ep.ID))
			}
		}
		if len(qs) == before {
			break
		}
	}
	return qs[:min(500, len(qs))]
}

// sdkMetricsLoad is the budget's load — 500 queries over the last 3 hours at one-minute
// periods — and an SDK client of a fresh simulated region to send it with.
func sdkMetricsLoad(tb testing.TB) (*cloudwatch.Client, *cloudwatch.GetMetricDataInput) {
	tb.Helper()
	run := startReadSim(tb, WorldConfig{})
	w := run.Server.World()
	w.mu.RLock()
	qs := metricsLoad(w)
	w.mu.RUnlock()
	end := elbTestStart.Truncate(time.Minute)
	in := &cloudwatch.GetMetricDataInput{MetricDataQueries: qs, StartTime: aws.Time(end.Add(-3 * time.Hour)), EndTime: aws.Time(end)}
	return cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1)), in
}

// TestGetMetricDataFullLoad sends the benchmark's load once: 500 results, the first (a
// service-wide series) with its 180 one-minute points, every one with a timestamp per value.
// How fast is BenchmarkGetMetricDataSDK500x180's to say.
func TestGetMetricDataFullLoad(t *testing.T) {
	c, in := sdkMetricsLoad(t)
	out, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricDataResults) != 500 || len(out.MetricDataResults[0].Values) != 180 {
		t.Fatalf("%d results, %d points in the first, want 500 and 180", len(out.MetricDataResults), len(out.MetricDataResults[0].Values))
	}
	for _, r := range out.MetricDataResults {
		if len(r.Values) != len(r.Timestamps) {
			t.Fatalf("%s: %d values, %d timestamps", aws.ToString(r.Id), len(r.Values), len(r.Timestamps))
		}
	}
}

// BenchmarkGetMetricDataSDK500x180 is the load through the SDK and the HTTP server.
// Budget: 100 ms per call.
func BenchmarkGetMetricDataSDK500x180(b *testing.B) {
	c, in := sdkMetricsLoad(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetMetricData(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEval evaluates the load directly (no HTTP, no encoding) on a world of the given size;
// with encode, the reply is also encoded to CBOR as the core does.
func benchEval(b *testing.B, cfg WorldConfig) { benchEvalEncode(b, cfg, false) }

func benchEvalEncode(b *testing.B, cfg WorldConfig, encode bool) {
	cfg.Static, cfg.Start = true, elbTestStart
	w := NewWorld(cfg)
	qs := metricsLoad(w)
	doc := map[string]any{}
	list := make([]any, len(qs))
	for i, q := range qs {
		dims := make([]any, len(q.MetricStat.Metric.Dimensions))
		for j, d := range q.MetricStat.Metric.Dimensions {
			dims[j] = map[string]any{"Name": *d.Name, "Value": *d.Value}
		}
		list[i] = map[string]any{"Id": *q.Id, "MetricStat": map[string]any{
			"Metric": map[string]any{"Namespace": *q.MetricStat.Metric.Namespace, "MetricName": *q.MetricStat.Metric.MetricName, "Dimensions": dims},
			"Period": int64(60), "Stat": *q.MetricStat.Stat}}
	}
	end := elbTestStart.Truncate(time.Minute)
	doc["MetricDataQueries"] = list
	doc["StartTime"] = end.Add(-3 * time.Hour)
	doc["EndTime"] = end
	s := &Server{world: w, clock: NewManualClock(elbTestStart)}
	c := &Call{Service: svcCloudWatch, Action: "GetMetricData", Account: w.Provider, Doc: doc, Now: elbTestStart}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := s.cwGetMetricData(c)
		if err != nil {
			b.Fatal(err)
		}
		if encode {
			if _, err := appendCBOR(nil, out); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkGetMetricDataEvalEncodeCBOR(b *testing.B) {
	benchEvalEncode(b, WorldConfig{Seed: 7}, true)
}

func BenchmarkGetMetricDataEvalDefault(b *testing.B) { benchEval(b, WorldConfig{Seed: 7}) }

func BenchmarkGetMetricDataEvalFleet(b *testing.B) {
	benchEval(b, WorldConfig{Seed: 7, Services: 500, Connections: 50000})
}

// BenchmarkGetMetricDataEvalFleetSpread is the worst case of a fleet: 500 queries on 500
// different services, so every service's traffic is aggregated (≈100 endpoints each).
func BenchmarkGetMetricDataEvalFleetSpread(b *testing.B) {
	cfg := WorldConfig{Seed: 7, Services: 500, Connections: 50000, Static: true, Start: elbTestStart}
	w := NewWorld(cfg)
	end := elbTestStart.Truncate(time.Minute)
	list := make([]any, 0, 500)
	for i, svc := range w.ServiceList {
		if i == 500 {
			break
		}
		list = append(list, map[string]any{"Id": fmt.Sprintf("q%d", i), "MetricStat": map[string]any{
			"Metric": map[string]any{"Namespace": nsPLServices, "MetricName": "ActiveConnections",
				"Dimensions": []any{map[string]any{"Name": dimServiceID, "Value": svc.ID}}},
			"Period": int64(60), "Stat": "Sum"}})
	}
	doc := map[string]any{"MetricDataQueries": list, "StartTime": end.Add(-3 * time.Hour), "EndTime": end}
	s := &Server{world: w, clock: NewManualClock(elbTestStart)}
	c := &Call{Service: svcCloudWatch, Action: "GetMetricData", Account: w.Provider, Doc: doc, Now: elbTestStart}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.cwGetMetricData(c); err != nil {
			b.Fatal(err)
		}
	}
}
