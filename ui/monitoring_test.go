package ui

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
	"github.com/plconsole/plconsole/ui/pages/detail"
)

func findingCodes(fs []model.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// Against the simulated region, every seeded failure of the demo world is found from the
// console's own reads, and the dead zone's blast radius is the world's endpoints there.
func TestSeededFailuresAreFound(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now })
	st := m.ctx.Store
	want := map[string][]string{
		"ledger-ingest":  {model.CodeAZNoHealthyTarget, model.CodeUnhealthyHostsAZ, model.CodeResetsRising},
		"search-gateway": {model.CodePortAllocation},
		"payments-api":   {model.CodeConsumerSilent},
	}
	var ledger model.EndpointService
	for _, svc := range st.Services() {
		got := findingCodes(st.Diagnose(svc.ID).Findings)
		for _, code := range want[svc.Label()] {
			if !slices.Contains(got, code) {
				t.Errorf("%s: %s not found in %v", svc.Label(), code, got)
			}
		}
		if svc.Label() == "ledger-ingest" {
			ledger = svc
		}
	}
	// the world's truth: available endpoints with an interface in the dead zone
	var deadZoneID string
	truth := map[string]bool{}
	e.region.Server.Inspect(func(w *sim.World) {
		s := w.Service(ledger.ID)
		lb := w.LoadBalancer(s.NLBARNs[0])
		for _, tg := range lb.TargetGroups {
			for _, tt := range tg.Targets {
				if tt.State == sim.TargetUnhealthy {
					deadZoneID = tt.AZID
				}
			}
		}
		for _, ep := range s.Endpoints {
			if ep.State != sim.EndpointAvailable {
				continue
			}
			for _, n := range ep.ENIs {
				if n.AZID == deadZoneID && ep.Region == w.Region {
					truth[ep.ID] = true
				}
			}
		}
	})
	var zoneFinding *model.Finding
	for _, f := range st.Diagnose(ledger.ID).Findings {
		if f.Code == model.CodeAZNoHealthyTarget {
			zoneFinding = &f
		}
	}
	if zoneFinding == nil || len(truth) == 0 {
		t.Fatalf("no zone finding (%v) or no endpoint in the dead zone %s", zoneFinding, deadZoneID)
	}
	certain := 0
	for _, a := range zoneFinding.Affected {
		if a.In == model.Yes {
			certain++
			if !truth[a.Connection.EndpointID] {
				t.Errorf("%s is listed as in the dead zone, but has no interface there", a.Connection.EndpointID)
			}
		}
	}
	listed := map[string]bool{}
	for _, a := range zoneFinding.Affected {
		listed[a.Connection.EndpointID] = true
	}
	for id := range truth {
		if !listed[id] {
			t.Errorf("%s has an interface in the dead zone but is not in the blast radius", id)
		}
	}
	if certain == 0 {
		t.Error("no consumer is certainly in the dead zone: the test proves too little")
	}
	// With every consumer's zone ids known, the list is exactly the world's.
	maps := st.ZoneMaps()
	for _, acct := range e.region.ConsumerAccounts() {
		c := awsopstest.New(t, e.region, acct)
		zs, err := c.AvailabilityZones(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		maps[acct] = model.NewZoneIndex(zs)
	}
	exact := model.BlastRadius(deadZoneID, ledger, "us-east-1", st.ServiceConnections(ledger.ID), maps, nil)
	if len(exact) != len(truth) {
		t.Errorf("with every zone map the blast radius is %s, want the %d endpoints of the world", exact, len(truth))
	}
	for _, a := range exact {
		if a.In != model.Yes || !truth[a.Connection.EndpointID] {
			t.Errorf("exact blast radius lists %s (%v)", a.Connection.EndpointID, a.In)
		}
	}
}

// The metrics tab draws the numbers CloudWatch (the simulated region) returns: the bytes
// chart's points are the Sum per minute divided by 60, period by period.
func TestMetricsChartAgreesWithCloudWatch(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now })
	svc := serviceLabelled(t, m, "payments-api")
	drive(t, m, m.openService(common.OpenServiceMsg{ID: svc.ID, Tab: detail.TabMetrics}))
	drawn := detailOf(m).Metrics().Series("Bytes processed")
	if len(drawn) != 1 {
		t.Fatalf("bytes chart has %d series", len(drawn))
	}
	start, end, period := model.WindowRange(model.MetricWindows[1], e.clock.Now())
	got, err := e.client.GetMetrics(context.Background(), model.MetricRequest{Start: start, End: end, Period: period, Now: e.clock.Now(),
		Queries: []model.MetricQuery{{ID: "b", Namespace: model.NamespacePrivateLinkServices, Metric: "BytesProcessed", Stat: "Sum",
			Dimensions: []model.Dimension{{Name: model.DimServiceID, Value: svc.ID}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0].Values) < 100 {
		t.Fatalf("CloudWatch returned %d points", len(got[0].Values))
	}
	for i, ts := range got[0].Timestamps {
		k := int(ts.Sub(start) / period)
		want := got[0].Values[i] / period.Seconds()
		if d := drawn[0].Values[k]; math.Abs(d-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("point %s: chart %v, CloudWatch %v B/s", ts, d, want)
		}
	}
}

// BenchmarkFleetMetricsRefresh50 is the metrics refresh of 50 services in view: it reports
// the queries and the GetMetricData calls the simulated region counted; the budget is
// ⌈queries/500⌉ calls.
func BenchmarkFleetMetricsRefresh50(b *testing.B) {
	r := simtest.Start(b, sim.WorldConfig{Seed: 3, Services: 50, Connections: 400, Static: true})
	client := awsopstest.Provider(b, r, model.ModeDemo)
	m := newTestRoot(b, client, 120, 40, func(o *Options) { o.Now = r.Clock.Now })
	b.ResetTimer()
	calls, queries := 0, 0
	for i := 0; i < b.N; i++ {
		r.Clock.Advance(2 * time.Minute)
		r.ResetStats()
		drive(b, m, m.ctx.Store.ScheduleFleetMetrics())
		calls += int(r.Stats().Count("monitoring", "GetMetricData"))
		queries = m.ctx.Store.Fleet().Queries
	}
	want := (queries + 499) / 500
	b.ReportMetric(float64(queries), "queries")
	b.ReportMetric(float64(calls)/float64(b.N), "GetMetricData/refresh")
	if calls != want*b.N {
		b.Fatalf("%d GetMetricData calls for %d refreshes of %d queries, want %d each", calls, b.N, queries, want)
	}
}

// The metrics tab asks CloudWatch only for the charts on screen (scrolling asks for the
// rest), and a throttled GetMetricData shows on each chart it left empty, with no old
// numbers drawn as current, until a read succeeds again.
func TestMetricsTabReadsWhatIsOnScreenAndSaysWhenThrottled(t *testing.T) {
	e := newSimEnv(t, model.ModeDemo)
	m := newTestRoot(t, e.backend, 120, 40, func(o *Options) { o.Now = e.clock.Now })
	svc := serviceLabelled(t, m, "payments-api")
	drive(t, m, m.openService(common.OpenServiceMsg{ID: svc.ID, Tab: detail.TabMetrics}))
	mets := detailOf(m).Metrics()
	if len(mets.Series("Bytes processed")) == 0 {
		t.Fatal("the first chart on screen has no data")
	}
	if len(mets.Series("Port allocation errors")) != 0 {
		t.Fatal("the last chart, off screen, was read")
	}
	press(t, m, "G")
	if len(mets.Series("Port allocation errors")) == 0 {
		t.Fatal("scrolled to the last chart: it is read")
	}

	e.region.Faults().Set(sim.FaultConfig{ThrottleRatio: 1, Only: []string{"GetMetricData"}})
	press(t, m, "g", "w") // another window: every chart on screen reads again
	v := plain(m.View())
	if n := strings.Count(v, "Throttling"); n < 2 {
		t.Fatalf("a throttled read says so on every chart it left empty (%d):\n%s", n, v)
	}
	e.region.Faults().Set(sim.FaultConfig{})
	press(t, m, "W")
	if v := plain(m.View()); strings.Contains(v, "Throttling") {
		t.Fatalf("a read that succeeds clears the error:\n%s", v)
	}
}

// serviceLabelled is the service the console lists under this name.
func serviceLabelled(t *testing.T, m *Root, label string) model.EndpointService {
	t.Helper()
	for _, s := range m.ctx.Store.Services() {
		if s.Label() == label {
			return s
		}
	}
	t.Fatalf("no service %s", label)
	return model.EndpointService{}
}
