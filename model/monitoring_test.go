package model

import (
	"math"
	"testing"
	"time"
)

func TestWindowRange(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 34, 56, 0, time.UTC)
	want := map[string]time.Duration{
		"1h": time.Minute, "3h": time.Minute, "12h": 3 * time.Minute, "24h": 10 * time.Minute,
		"7d": time.Hour, "30d": 3 * time.Hour,
	}
	for _, w := range MetricWindows {
		start, end, period := WindowRange(w, now)
		if period != want[w.Name] {
			t.Errorf("%s: period %s, want %s", w.Name, period, want[w.Name])
		}
		if err := ValidatePeriod(period, start, now); err != nil {
			t.Errorf("%s: CloudWatch would refuse the period: %v", w.Name, err)
		}
		if end.Sub(start) != w.Duration || end.After(now) || !end.Equal(end.Truncate(period)) {
			t.Errorf("%s: window %s – %s is not %s ending at the last whole period before %s", w.Name, start, end, w.Duration, now)
		}
		if n := Datapoints(start, end, period); n > ChartPoints {
			t.Errorf("%s: %d points per series, budget %d", w.Name, n, ChartPoints)
		}
	}
	// A window reaching past 15 days is asked at 5-minute multiples, past 63 days at hours.
	for _, d := range []time.Duration{16 * 24 * time.Hour, 64 * 24 * time.Hour} {
		start, _, p := WindowRange(MetricWindow{"x", d}, now)
		if err := ValidatePeriod(p, start, now); err != nil {
			t.Errorf("%s window: %v", d, err)
		}
	}
}

func TestUnitRates(t *testing.T) {
	for _, tt := range []struct {
		u      MetricUnit
		v      float64
		period time.Duration
		want   float64
		text   string
	}{
		{UnitBytesPerSecond, 6_000_000, time.Minute, 100_000, "100 kB/s"},
		{UnitBytesPerSecond, 1_500_000 * 300, 5 * time.Minute, 1_500_000, "1.5 MB/s"},
		{UnitPerSecond, 120, time.Minute, 2, "2/s"},
		{UnitPerMinute, 30, 5 * time.Minute, 6, "6/min"},
		{UnitPerMinute, 1, time.Hour, 1.0 / 60, "0.02/min"},
		{UnitCount, 42, time.Hour, 42, "42"},
		{UnitCount, 12_345, time.Minute, 12_345, "12.3k"},
	} {
		got := tt.u.Rate(tt.v, tt.period)
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%v.Rate(%v, %s) = %v, want %v", tt.u, tt.v, tt.period, got, tt.want)
		}
		if s := tt.u.Format(got); s != tt.text {
			t.Errorf("%v.Format(%v) = %q, want %q", tt.u, got, s, tt.text)
		}
	}
}

func TestHumanNumbers(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0 B", 950: "950 B", 999.4: "999 B", 999.6: "1 kB", 1234: "1.23 kB", 34_500_000: "34.5 MB", 1e9: "1 GB", 2.5e15: "2.5 PB",
	} {
		if got := HumanBytes(v); got != want {
			t.Errorf("HumanBytes(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{
		0: "0", 7: "7", 12.5: "12.5", 0.333: "0.33", 950: "950", 1200: "1.2k", 3_400_000: "3.4M", -2000: "-2k", math.NaN(): "-",
	} {
		if got := HumanNumber(v); got != want {
			t.Errorf("HumanNumber(%v) = %q, want %q", v, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		30 * time.Second: "30s", 15 * time.Minute: "15 min", 3 * time.Hour: "3h", 150 * time.Minute: "2h30m", 7 * 24 * time.Hour: "7d",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

func series(start time.Time, period time.Duration, vals ...float64) MetricSeries {
	s := MetricSeries{ID: "m", Complete: true}
	for i, v := range vals {
		if math.IsNaN(v) {
			continue // a period CloudWatch has no datapoint for
		}
		s.Timestamps = append(s.Timestamps, start.Add(time.Duration(i)*period))
		s.Values = append(s.Values, v)
	}
	return s
}

func TestSeriesStatsAndFill(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := series(t0, time.Minute, 60, math.NaN(), 120, 0)
	st := s.Stats()
	if st.Points != 3 || st.Sum != 180 || st.Max != 120 || st.Last != 0 || st.Mean != 60 || !st.End.Equal(t0.Add(3*time.Minute)) {
		t.Errorf("stats = %+v", st)
	}
	got := FillSeries(s, t0, t0.Add(5*time.Minute), time.Minute, UnitPerSecond, -1)
	want := []float64{1, -1, 2, 0, -1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("FillSeries = %v, want %v", got, want)
		}
	}
	if b := s.Between(t0.Add(time.Minute), t0.Add(3*time.Minute)); len(b.Values) != 1 || b.Values[0] != 120 {
		t.Errorf("Between = %+v", b)
	}
	if (MetricSeries{}).Stats().Points != 0 {
		t.Error("an empty series has points")
	}
}

func TestMergeSeries(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	old := series(t0, time.Minute, 1, 2, 3, 4)                      // 12:00 … 12:03
	fresh := series(t0.Add(2*time.Minute), time.Minute, 30, 40, 50) // 12:02 … 12:04: 12:02 and 12:03 were still filling
	fresh.Complete = false
	got := MergeSeries(old, fresh, t0.Add(time.Minute)) // the window moved on by a minute
	want := []float64{2, 30, 40, 50}
	if len(got.Values) != len(want) {
		t.Fatalf("merged %v, want %v", got.Values, want)
	}
	for i := range want {
		if got.Values[i] != want[i] || !got.Timestamps[i].Equal(t0.Add(time.Duration(i+1)*time.Minute)) {
			t.Fatalf("merged %v at %v, want %v", got.Values, got.Timestamps, want)
		}
	}
	if got.Complete {
		t.Error("the fresh read's PartialData was lost")
	}
	// Nothing new: the old points stay, trimmed to the window.
	if got := MergeSeries(old, MetricSeries{}, t0.Add(3*time.Minute)); len(got.Values) != 1 || got.Values[0] != 4 {
		t.Errorf("merge with an empty read = %v", got.Values)
	}
}

func TestMetricsCostPerDay(t *testing.T) {
	// 1,000 metrics a minute is about $14 a day (PRIVATELINK.md, "Cost of asking").
	if got := MetricsCostPerDay(1000); math.Abs(got-14.4) > 1e-9 {
		t.Errorf("cost = %v", got)
	}
}
