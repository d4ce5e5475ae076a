package model

import (
	"fmt"
	"testing"
	"time"
)

func TestChoosePeriod(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tt := range []struct {
		name      string
		start     time.Time
		end       time.Time
		maxPoints int
		want      time.Duration
	}{
		{"last hour", now.Add(-time.Hour), now, 60, time.Minute},
		{"last hour, 30 points", now.Add(-time.Hour), now, 30, 2 * time.Minute},
		{"last hour, 25 points", now.Add(-time.Hour), now, 25, 3 * time.Minute},
		{"last 3 hours, default budget", now.Add(-3 * time.Hour), now, 0, time.Minute},
		{"last day, 1440", now.Add(-day), now, 1440, time.Minute},
		{"last day, 100", now.Add(-day), now, 100, 15 * time.Minute},
		{"last 7 days, 1440", now.Add(-7 * day), now, 1440, 10 * time.Minute},
		{"16 days ago, small window", now.Add(-16 * day), now.Add(-16*day + time.Hour), 1440, 5 * time.Minute},
		{"30 days", now.Add(-30 * day), now, 1440, 30 * time.Minute},
		{"64 days ago, one hour", now.Add(-64 * day), now.Add(-64*day + time.Hour), 1440, time.Hour},
		{"a year, 100 points", now.Add(-365 * day), now, 100, 4 * day},
		{"empty window", now, now, 100, time.Minute},
		{"reversed window, old", now.Add(-20 * day), now.Add(-21 * day), 100, 5 * time.Minute},
		{"exactly 15 days old", now.Add(-15 * day), now, 100000, time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ChoosePeriod(tt.start, tt.end, now, tt.maxPoints)
			if got != tt.want {
				t.Errorf("ChoosePeriod = %s, want %s", got, tt.want)
			}
			if err := ValidatePeriod(got, tt.start, now); err != nil {
				t.Errorf("chosen period fails validation: %v", err)
			}
		})
	}
}

func TestValidatePeriod(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tt := range []struct {
		period time.Duration
		age    time.Duration
		ok     bool
		msg    string
	}{
		{time.Minute, time.Hour, true, ""},
		{2 * time.Minute, 14 * day, true, ""},
		{90 * time.Second, time.Hour, false, "multiples of 60"},
		{30 * time.Second, time.Hour, false, "multiples of 60"},
		{time.Minute, 16 * day, false, "300"},
		{10 * time.Minute, 16 * day, true, ""},
		{5 * time.Minute, 64 * day, false, "3600"},
		{2 * time.Hour, 64 * day, true, ""},
		{0, time.Hour, false, "positive"},
		{-time.Minute, time.Hour, false, "positive"},
		{time.Minute + time.Millisecond, time.Hour, false, "whole number"},
	} {
		err := ValidatePeriod(tt.period, now.Add(-tt.age), now)
		checkErr(t, fmt.Sprint(tt.period, "@", tt.age), err, tt.ok, tt.msg)
	}
}

func TestDatapoints(t *testing.T) {
	s := time.Unix(0, 0)
	for _, tt := range []struct {
		w, p time.Duration
		want int
	}{
		{time.Hour, time.Minute, 60}, {time.Hour + time.Second, time.Minute, 61}, {0, time.Minute, 0}, {time.Hour, 0, 0},
	} {
		if got := Datapoints(s, s.Add(tt.w), tt.p); got != tt.want {
			t.Errorf("Datapoints(%s, %s) = %d, want %d", tt.w, tt.p, got, tt.want)
		}
	}
}

func queries(n int) []MetricQuery {
	q := make([]MetricQuery, n)
	for i := range q {
		q[i].ID = fmt.Sprintf("m%d", i)
	}
	return q
}

func TestBatchQueries(t *testing.T) {
	for _, tt := range []struct {
		n, max int
		sizes  []int
	}{
		{0, 500, nil},
		{1, 500, []int{1}},
		{500, 500, []int{500}},
		{501, 500, []int{500, 1}},
		{1200, 0, []int{500, 500, 200}},
		{1200, 1000, []int{500, 500, 200}},
		{7, 3, []int{3, 3, 1}},
	} {
		b := BatchQueries(queries(tt.n), tt.max)
		var sizes []int
		next := 0
		for _, batch := range b {
			sizes = append(sizes, len(batch))
			for _, q := range batch {
				if q.ID != fmt.Sprintf("m%d", next) {
					t.Fatalf("n=%d: out of order at %s", tt.n, q.ID)
				}
				next++
			}
		}
		if fmt.Sprint(sizes) != fmt.Sprint(tt.sizes) {
			t.Errorf("BatchQueries(%d, %d) sizes = %v, want %v", tt.n, tt.max, sizes, tt.sizes)
		}
	}
	// Appending to one batch must not overwrite the next.
	b := BatchQueries(queries(4), 2)
	_ = append(b[0], MetricQuery{ID: "x"})
	if b[1][0].ID != "m2" {
		t.Errorf("append to batch 0 overwrote batch 1: %s", b[1][0].ID)
	}
}

func TestValidateMetricRequest(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	q := MetricQuery{ID: "m1", Namespace: NamespacePrivateLinkServices, Metric: "ActiveConnections", Stat: "Sum"}
	ok := MetricRequest{Start: now.Add(-time.Hour), End: now, Queries: []MetricQuery{q}}
	for _, tt := range []struct {
		name string
		mod  func(r *MetricRequest)
		msg  string
	}{
		{"ok", func(r *MetricRequest) {}, ""},
		{"reversed", func(r *MetricRequest) { r.Start, r.End = r.End, r.Start }, "not before"},
		{"bad period", func(r *MetricRequest) { r.Period = 45 * time.Second }, "60"},
		{"bad id", func(r *MetricRequest) { r.Queries = []MetricQuery{{ID: "M", Namespace: "n", Metric: "m", Stat: "Sum"}} }, "query 0"},
		{"dup id", func(r *MetricRequest) { r.Queries = []MetricQuery{q, q} }, "twice"},
		{"no stat", func(r *MetricRequest) { r.Queries = []MetricQuery{{ID: "m1", Namespace: "n", Metric: "m"}} }, "statistic"},
	} {
		r := ok
		tt.mod(&r)
		checkErr(t, tt.name, ValidateMetricRequest(r, now), tt.msg == "", tt.msg)
	}
}

func FuzzChoosePeriod(f *testing.F) {
	f.Add(int64(3600), int64(0), 1440)
	f.Add(int64(30*86400), int64(20*86400), 100)
	f.Add(int64(400*86400), int64(0), 7)
	f.Add(int64(-5), int64(10), 0)
	f.Fuzz(func(t *testing.T, windowSec, endAgoSec int64, maxPoints int) {
		const limit = 500 * 86400
		if windowSec > limit || windowSec < -limit || endAgoSec < 0 || endAgoSec > limit || maxPoints > 100800 {
			return
		}
		now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		end := now.Add(-time.Duration(endAgoSec) * time.Second)
		start := end.Add(-time.Duration(windowSec) * time.Second)
		p := ChoosePeriod(start, end, now, maxPoints)
		if err := ValidatePeriod(p, start, now); err != nil {
			t.Fatalf("ChoosePeriod gave %s: %v", p, err)
		}
		budget := maxPoints
		if budget <= 0 {
			budget = DefaultMaxPoints
		}
		if n := Datapoints(start, end, p); n > budget {
			t.Fatalf("period %s gives %d points > %d", p, n, budget)
		}
	})
}

func FuzzBatchQueries(f *testing.F) {
	f.Add(0, 0)
	f.Add(1001, 500)
	f.Add(10, 3)
	f.Fuzz(func(t *testing.T, n, max int) {
		if n < 0 || n > 5000 {
			return
		}
		b := BatchQueries(queries(n), max)
		total := 0
		for _, batch := range b {
			if len(batch) == 0 || len(batch) > MaxQueriesPerCall || (max > 0 && len(batch) > max) {
				t.Fatalf("batch of %d (max %d)", len(batch), max)
			}
			total += len(batch)
		}
		if total != n {
			t.Fatalf("lost queries: %d of %d", total, n)
		}
	})
}
