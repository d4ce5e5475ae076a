package model

import (
	"fmt"
	"time"
)

// CloudWatch keeps 1-minute data for 15 days, 5-minute data for 63 days and 1-hour data for
// 455 days, and GetMetricData refuses a Period finer than what is kept for the oldest
// datapoint asked for. These rules decide the Period of every metrics request.
const (
	OneMinuteRetention  = 15 * 24 * time.Hour
	FiveMinuteRetention = 63 * 24 * time.Hour
	OneHourRetention    = 455 * 24 * time.Hour

	// MaxQueriesPerCall is GetMetricData's limit on queries in one request.
	MaxQueriesPerCall = 500
	// MaxDatapointsPerCall is GetMetricData's limit on datapoints returned by one request.
	MaxDatapointsPerCall = 100800
	// DefaultMaxPoints is the datapoint budget per series ChoosePeriod uses when given none.
	DefaultMaxPoints = 1440
)

// MinPeriod is the finest period CloudWatch serves for data starting at start, seen at now:
// 60 s up to 15 days old, 300 s up to 63 days old, 3600 s beyond.
func MinPeriod(start, now time.Time) time.Duration {
	age := now.Sub(start)
	switch {
	case age > FiveMinuteRetention:
		return time.Hour
	case age > OneMinuteRetention:
		return 5 * time.Minute
	}
	return time.Minute
}

// periodLadder is the set of periods charts read well at; longer windows use whole days.
var periodLadder = []time.Duration{
	time.Minute, 2 * time.Minute, 3 * time.Minute, 5 * time.Minute, 10 * time.Minute,
	15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour,
	6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// ChoosePeriod picks the Period for a GetMetricData window [start, end) seen at now: the
// smallest "round" period (1, 2, 3, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, then whole days)
// that CloudWatch accepts for the window's oldest data and that keeps each series at or below
// maxPoints datapoints (DefaultMaxPoints when maxPoints <= 0).
func ChoosePeriod(start, end, now time.Time, maxPoints int) time.Duration {
	if maxPoints <= 0 {
		maxPoints = DefaultMaxPoints
	}
	unit := MinPeriod(start, now)
	window := end.Sub(start)
	if window <= 0 {
		return unit
	}
	// Smallest period p with ceil(window/p) <= maxPoints is ceil(window/maxPoints).
	need := window / time.Duration(maxPoints)
	if need*time.Duration(maxPoints) < window {
		need++
	}
	for _, p := range periodLadder {
		if p >= need && p >= unit && p%unit == 0 {
			return p
		}
	}
	day := 24 * time.Hour
	days := need / day
	if days*day < need {
		days++
	}
	return days * day
}

// Datapoints is how many datapoints one series has over [start, end) at period.
func Datapoints(start, end time.Time, period time.Duration) int {
	w := end.Sub(start)
	if w <= 0 || period <= 0 {
		return 0
	}
	n := w / period
	if n*period < w {
		n++
	}
	return int(n)
}

// ValidatePeriod checks a Period against CloudWatch's rules for data starting at start, seen
// at now: a positive multiple of 60 s, of 300 s for data older than 15 days, of 3600 s for
// data older than 63 days.
func ValidatePeriod(period time.Duration, start, now time.Time) error {
	if period <= 0 {
		return invalidf("period %s must be positive", period)
	}
	if period%time.Second != 0 {
		return invalidf("period %s must be a whole number of seconds", period)
	}
	unit := MinPeriod(start, now)
	if period%unit != 0 {
		why := "CloudWatch periods are multiples of 60 seconds"
		switch unit {
		case 5 * time.Minute:
			why = "data older than 15 days is kept at 5-minute resolution, so the period must be a multiple of 300 seconds"
		case time.Hour:
			why = "data older than 63 days is kept at 1-hour resolution, so the period must be a multiple of 3600 seconds"
		}
		return invalidf("period %s (%d s) is not allowed: %s", period, int64(period/time.Second), why)
	}
	return nil
}

// BatchQueries splits queries into GetMetricData-sized batches of at most max (at most 500,
// the API's limit; max <= 0 means 500). Batches share the input's backing array but are
// capped, so appending to one cannot overwrite the next.
func BatchQueries(q []MetricQuery, max int) [][]MetricQuery {
	if max <= 0 || max > MaxQueriesPerCall {
		max = MaxQueriesPerCall
	}
	if len(q) == 0 {
		return nil
	}
	out := make([][]MetricQuery, 0, (len(q)+max-1)/max)
	for i := 0; i < len(q); i += max {
		j := min(i+max, len(q))
		out = append(out, q[i:j:j])
	}
	return out
}

// ValidateMetricRequest checks a request before it is sent: a window with start before end,
// valid and unique query ids, each query naming a namespace, metric and statistic, and (when
// set) a Period CloudWatch accepts.
func ValidateMetricRequest(r MetricRequest, now time.Time) error {
	if !r.Start.Before(r.End) {
		return invalidf("metrics window starts at %s, not before its end %s", r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339))
	}
	if r.Period != 0 {
		if err := ValidatePeriod(r.Period, r.Start, now); err != nil {
			return err
		}
	}
	seen := make(map[string]bool, len(r.Queries))
	for i, q := range r.Queries {
		if err := ValidateMetricQueryID(q.ID); err != nil {
			return fmt.Errorf("query %d: %w", i, err)
		}
		if seen[q.ID] {
			return invalidf("query id %s is used twice; ids must be unique within a request", quote(q.ID))
		}
		seen[q.ID] = true
		if q.Namespace == "" || q.Metric == "" || q.Stat == "" {
			return invalidf("query %s needs a namespace, a metric name and a statistic", quote(q.ID))
		}
	}
	return nil
}
