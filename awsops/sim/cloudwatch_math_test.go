package sim

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// mathEnv runs GetMetricData against a static world over the last three hours, with m as a
// service's BytesProcessed per minute.
type mathEnv struct {
	t          *testing.T
	c          *cloudwatch.Client
	m          cwtypes.MetricDataQuery
	start, end time.Time
	svc        *Service
}

func newMathEnv(t *testing.T) *mathEnv {
	run := startReadSim(t, WorldConfig{})
	svc := worldService(t, run, "payments")
	end := elbTestStart.Truncate(time.Minute)
	return &mathEnv{t: t, c: cloudwatch.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1)),
		m:     cwQ("m", nsPLServices, "BytesProcessed", "Sum", 60, dimServiceID, svc.ID),
		start: end.Add(-3 * time.Hour), end: end, svc: svc}
}

// get returns the results by id of m and the given expressions (id → expression).
func (e *mathEnv) get(exprs ...string) map[string]cwtypes.MetricDataResult {
	e.t.Helper()
	qs := []cwtypes.MetricDataQuery{e.m}
	for i := 0; i+1 < len(exprs); i += 2 {
		qs = append(qs, cwtypes.MetricDataQuery{Id: aws.String(exprs[i]), Expression: aws.String(exprs[i+1])})
	}
	return getAll(e.t, e.c, &cloudwatch.GetMetricDataInput{MetricDataQueries: qs,
		StartTime: aws.Time(e.start), EndTime: aws.Time(e.end), ScanBy: cwtypes.ScanByTimestampAscending})
}

// points is a result as timestamp → value.
func points(r cwtypes.MetricDataResult) map[time.Time]float64 {
	out := make(map[time.Time]float64, len(r.Values))
	for i, t := range r.Timestamps {
		out[t.UTC()] = r.Values[i]
	}
	return out
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// RATE, DIFF, IF, FILL and arithmetic over gaps compute what the CloudWatch User Guide's
// metric math section defines.
func TestMetricMathFunctions(t *testing.T) {
	e := newMathEnv(t)
	res := e.get(
		"r", "RATE(m)",
		"d", "DIFF(m)",
		"hi", "IF(m > AVG(m), m)",
		"flag", "IF(m > AVG(m), 1, 0)",
		"f0", "FILL(hi, 0)",
		"frep", "FILL(hi, REPEAT)",
		"flin", "FILL(hi, LINEAR)",
		"plus", "m + hi",
		"avg2", "AVG([m, hi])",
		"both", "m > AVG(m) AND m < MAX(m) || m == MIN(m)",
		"pw", "m ^ 0.5",
	)
	m := res["m"]
	if len(m.Values) != 180 {
		t.Fatalf("m has %d points, want 180", len(m.Values))
	}
	var avg, mn, mx float64
	mn, mx = math.Inf(1), math.Inf(-1)
	for _, v := range m.Values {
		avg += v / float64(len(m.Values))
		mn, mx = min(mn, v), max(mx, v)
	}

	r, d := points(res["r"]), points(res["d"])
	if len(r) != 179 || len(d) != 179 {
		t.Fatalf("RATE %d points, DIFF %d: the first point has no predecessor, want 179", len(r), len(d))
	}
	for i := 1; i < len(m.Values); i++ {
		ts := m.Timestamps[i].UTC()
		if !near(d[ts], m.Values[i]-m.Values[i-1]) || !near(r[ts], (m.Values[i]-m.Values[i-1])/60) {
			t.Fatalf("at %s: DIFF %v RATE %v, from %v → %v", ts, d[ts], r[ts], m.Values[i-1], m.Values[i])
		}
	}

	hi, flag := points(res["hi"]), points(res["flag"])
	f0, frep, flin := points(res["f0"]), points(res["frep"]), points(res["flin"])
	plus, avg2, both, pw := points(res["plus"]), points(res["avg2"]), points(res["both"]), points(res["pw"])
	if len(hi) == 0 || len(hi) == len(m.Values) || len(flag) != len(m.Values) || len(f0) != len(m.Values) {
		t.Fatalf("IF kept %d of %d points, flag %d, FILL(…, 0) %d", len(hi), len(m.Values), len(flag), len(f0))
	}
	var last, lastAt = math.NaN(), -1
	for i, v := range m.Values {
		ts := m.Timestamps[i].UTC()
		h, isHigh := hi[ts]
		if isHigh != (v > avg) || (isHigh && h != v) || flag[ts] != map[bool]float64{true: 1, false: 0}[v > avg] {
			t.Fatalf("IF at %s: m %v avg %v → %v (%v), flag %v", ts, v, avg, h, isHigh, flag[ts])
		}
		// Arithmetic and AVG of an array count the gap as 0.
		if !near(plus[ts], v+h) || !near(avg2[ts], (v+h)/2) {
			t.Fatalf("at %s: m+hi %v, AVG([m,hi]) %v, from %v and %v", ts, plus[ts], avg2[ts], v, h)
		}
		wantBoth := (v > avg && v < mx) || v == mn
		if both[ts] != map[bool]float64{true: 1, false: 0}[wantBoth] || !near(pw[ts], math.Sqrt(v)) {
			t.Fatalf("at %s: logical %v, ^0.5 %v for %v", ts, both[ts], pw[ts], v)
		}
		if f0[ts] != h {
			t.Fatalf("FILL(hi, 0) at %s = %v, want %v", ts, f0[ts], h)
		}
		rep, ok := frep[ts]
		switch {
		case isHigh && rep != h, !isHigh && lastAt >= 0 && rep != last, !isHigh && lastAt < 0 && ok:
			t.Fatalf("FILL(hi, REPEAT) at %s = %v (%v), last high %v", ts, rep, ok, last)
		}
		if isHigh {
			last, lastAt = h, i
		}
	}
	// LINEAR draws the line across each inner gap.
	for i := 1; i+1 < len(m.Values); i++ {
		ts := m.Timestamps[i].UTC()
		if _, ok := hi[ts]; ok {
			continue
		}
		p, n := i-1, i+1
		for p >= 0 && !isIn(hi, m.Timestamps[p]) {
			p--
		}
		for n < len(m.Values) && !isIn(hi, m.Timestamps[n]) {
			n++
		}
		got, ok := flin[ts]
		if p < 0 || n == len(m.Values) {
			if ok {
				t.Fatalf("FILL(hi, LINEAR) filled an edge gap at %s", ts)
			}
			continue
		}
		pv, nv := hi[m.Timestamps[p].UTC()], hi[m.Timestamps[n].UTC()]
		want := pv + (nv-pv)*float64(i-p)/float64(n-p)
		if !ok || !near(got, want) {
			t.Fatalf("FILL(hi, LINEAR) at %s = %v, want %v", ts, got, want)
		}
	}
}

func isIn(p map[time.Time]float64, t time.Time) bool { _, ok := p[t.UTC()]; return ok }

// Percentiles and the trimmed family over five-minute periods agree with the definitions
// applied to the five one-minute values of each period; every result carries Messages.
func TestMetricStatisticsTrimmedFamily(t *testing.T) {
	e := newMathEnv(t)
	stat := func(id, s string) cwtypes.MetricDataQuery {
		return cwQ(id, nsPLServices, "BytesProcessed", s, 300, dimServiceID, e.svc.ID)
	}
	// PR's bound: the median minute, so the ranks vary between periods.
	all := slices.Clone(e.get()["m"].Values)
	sort.Float64s(all)
	threshold := math.Round(all[len(all)/2])
	queries := []cwtypes.MetricDataQuery{e.m,
		stat("p99", "p99"), stat("p50", "p50"), stat("tm90", "tm90"), stat("tmr", "TM(20%:80%)"), stat("iqm", "IQM"),
		stat("wm", "WM(20%:80%)"), stat("tc", "tc90"), stat("ts", "TS(20%:)"), stat("pr", "PR(:"+strconv.FormatFloat(threshold, 'f', 0, 64)+")")}
	out, err := e.c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{MetricDataQueries: queries,
		StartTime: aws.Time(e.start), EndTime: aws.Time(e.end), ScanBy: cwtypes.ScanByTimestampAscending})
	if err != nil {
		t.Fatal(err)
	}
	if out.Messages == nil {
		t.Fatal("GetMetricData's Messages is absent")
	}
	byID := map[string]cwtypes.MetricDataResult{}
	for _, r := range out.MetricDataResults {
		if r.Messages == nil {
			t.Fatalf("%s: Messages absent", aws.ToString(r.Id))
		}
		byID[aws.ToString(r.Id)] = r
	}
	minutes := byID["m"]
	for k, ts := range byID["p99"].Timestamps {
		var five []float64
		for i, mt := range minutes.Timestamps {
			if !mt.Before(ts) && mt.Before(ts.Add(5*time.Minute)) {
				five = append(five, minutes.Values[i])
			}
		}
		if len(five) != 5 {
			t.Fatalf("period %s holds %d minutes", ts, len(five))
		}
		sort.Float64s(five)
		mean := func(v []float64) float64 { return sum(v) / float64(len(v)) }
		want := map[string]float64{
			"p99": five[4], "p50": five[2], "tm90": mean(five), // 90% of 5 rounds up to all 5
			"tmr": mean(five[1:4]), "iqm": mean(five[1:4]),
			"wm": (five[1] + sum(five[1:4]) + five[3]) / 5, "tc": 5, "ts": sum(five[1:]),
			"pr": 100 * float64(countAtMost(five, threshold)) / 5,
		}
		for id, w := range want {
			if got := byID[id].Values[k]; !near(got, w) {
				t.Fatalf("%s at %s = %v, want %v from %v", id, ts, got, w, five)
			}
		}
	}
	// Statistics that are not CloudWatch's, or not well formed, are refused.
	for _, bad := range []string{"p101", "TM99", "tm", "TM(10%:90)", "TM(90%:10%)", "PR(10%:)", "Median"} {
		_, err := e.c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
			MetricDataQueries: []cwtypes.MetricDataQuery{stat("x", bad)}, StartTime: aws.Time(e.start), EndTime: aws.Time(e.end)})
		if apiCode(err) != "InvalidParameterValue" {
			t.Errorf("Stat %q: %v", bad, err)
		}
	}
}

func countAtMost(v []float64, limit float64) int {
	return len(slices.DeleteFunc(slices.Clone(v), func(x float64) bool { return x > limit }))
}

// Functions the simulated region does not compute, and lowercase function names, are
// refused with InvalidParameterValue naming the problem.
func TestMetricMathRefusals(t *testing.T) {
	e := newMathEnv(t)
	for expr, why := range map[string]string{
		"ANOMALY_DETECTION_BAND(m)":  "not supported",
		"SORT(METRICS(), AVG, DESC)": "not supported",
		"rate(m)":                    "uppercase",
		"FILL(m)":                    "FILL takes",
		"IF(METRICS(), m)":           "arrays",
		"SUM(m)":                     "constant",
		"FILL(m, REPEAT) + REPEAT":   "only arguments of FILL",
	} {
		_, err := e.c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
			MetricDataQueries: []cwtypes.MetricDataQuery{e.m, {Id: aws.String("x"), Expression: aws.String(expr)}},
			StartTime:         aws.Time(e.start), EndTime: aws.Time(e.end)})
		if apiCode(err) != "InvalidParameterValue" || !containsFold(err.Error(), why) {
			t.Errorf("%s: %v, want InvalidParameterValue saying %q", expr, err, why)
		}
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
