package model

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// MetricWindow is one of the time windows the metrics views offer.
type MetricWindow struct {
	Name     string // "1h", "3h", …
	Duration time.Duration
}

// MetricWindows are the windows the console offers, shortest first.
var MetricWindows = []MetricWindow{
	{"1h", time.Hour}, {"3h", 3 * time.Hour}, {"12h", 12 * time.Hour},
	{"24h", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour},
}

// ChartPoints is the datapoint budget per chart series: a chart is at most ~120 columns of
// braille (two points a column), so more points would only be averaged away on screen.
const ChartPoints = 240

// WindowRange is the request window of w seen at now: it ends at the last whole period
// (CloudWatch's EndTime is exclusive, and the running period is still filling) and spans
// w.Duration, with the Period CloudWatch accepts for data that old (ChoosePeriod) at no more
// than ChartPoints points per series.
func WindowRange(w MetricWindow, now time.Time) (start, end time.Time, period time.Duration) {
	// The period depends on how old the start is, and the start on the period's alignment;
	// one pass with the unaligned start is exact because aligning moves it by less than a
	// period, which never crosses a retention boundary by more than the ladder allows.
	period = ChoosePeriod(now.Add(-w.Duration), now, now, ChartPoints)
	end = now.Truncate(period)
	start = end.Add(-w.Duration)
	if p := ChoosePeriod(start, end, now, ChartPoints); p > period {
		period = p
		end = now.Truncate(period)
		start = end.Add(-w.Duration)
	}
	return start, end, period
}

// MetricUnit says how a metric's values are shown.
type MetricUnit int

const (
	// UnitCount is a level (connections, hosts): shown as the statistic's value.
	UnitCount MetricUnit = iota
	// UnitBytesPerSecond is a Sum of bytes per period turned into a rate.
	UnitBytesPerSecond
	// UnitPerSecond is a Sum of events per period turned into events per second.
	UnitPerSecond
	// UnitPerMinute is a Sum of events per period turned into events per minute (resets and
	// errors are rare enough that per second would read as 0.0).
	UnitPerMinute
)

// Suffix is the unit's label on an axis or a legend.
func (u MetricUnit) Suffix() string {
	switch u {
	case UnitBytesPerSecond:
		return "B/s"
	case UnitPerSecond:
		return "/s"
	case UnitPerMinute:
		return "/min"
	}
	return ""
}

// Rate turns one datapoint of the statistic into the unit's value: a Sum over period into a
// per-second or per-minute rate; a level unchanged.
func (u MetricUnit) Rate(v float64, period time.Duration) float64 {
	secs := period.Seconds()
	if secs <= 0 {
		return v
	}
	switch u {
	case UnitBytesPerSecond, UnitPerSecond:
		return v / secs
	case UnitPerMinute:
		return v / secs * 60
	}
	return v
}

// Format writes a value of the unit for people: "1.5 MB/s", "12.3k", "4/min".
func (u MetricUnit) Format(v float64) string {
	switch u {
	case UnitBytesPerSecond:
		return HumanBytes(v) + "/s"
	case UnitPerSecond:
		return HumanNumber(v) + "/s"
	case UnitPerMinute:
		return HumanNumber(v) + "/min"
	}
	return HumanNumber(v)
}

// HumanBytes writes a byte count in decimal units (as CloudWatch and AWS bills count):
// "0 B", "950 B", "1.2 kB", "34.5 MB", "1.00 GB".
func HumanBytes(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	i := 0
	for math.Abs(v) >= 999.5 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return trimNumber(v, i > 0) + " " + units[i]
}

// HumanNumber writes a count or rate compactly: "0", "7", "12.5", "950", "1.2k", "3.4M".
func HumanNumber(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	suffixes := []string{"", "k", "M", "G", "T"}
	i := 0
	for math.Abs(v) >= 999.5 && i < len(suffixes)-1 {
		v /= 1000
		i++
	}
	return trimNumber(v, i > 0 || v != math.Trunc(v)) + suffixes[i]
}

// trimNumber writes v with up to three significant digits (at least one decimal when
// scaled), without trailing zeros after the point.
func trimNumber(v float64, decimals bool) string {
	if !decimals {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	prec := 2
	switch a := math.Abs(v); {
	case a >= 99.95:
		prec = 0
	case a >= 9.995:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// SeriesStats summarises one series.
type SeriesStats struct {
	Points int
	Sum    float64
	Mean   float64
	Max    float64
	Last   float64 // the newest datapoint
	First  time.Time
	End    time.Time // the newest datapoint's timestamp
}

// Stats summarises a series (zero Points: no data).
func (s MetricSeries) Stats() SeriesStats {
	var st SeriesStats
	n := min(len(s.Values), len(s.Timestamps))
	for i := 0; i < n; i++ {
		v := s.Values[i]
		if math.IsNaN(v) {
			continue
		}
		if st.Points == 0 || v > st.Max {
			st.Max = v
		}
		if st.Points == 0 {
			st.First = s.Timestamps[i]
		}
		st.Points++
		st.Sum += v
		st.Last, st.End = v, s.Timestamps[i]
	}
	if st.Points > 0 {
		st.Mean = st.Sum / float64(st.Points)
	}
	return st
}

// Between returns the part of the series with start <= t < end.
func (s MetricSeries) Between(start, end time.Time) MetricSeries {
	out := MetricSeries{ID: s.ID, Label: s.Label, Complete: s.Complete}
	for i := 0; i < min(len(s.Values), len(s.Timestamps)); i++ {
		t := s.Timestamps[i]
		if !t.Before(start) && t.Before(end) {
			out.Timestamps = append(out.Timestamps, t)
			out.Values = append(out.Values, s.Values[i])
		}
	}
	return out
}

// MergeSeries adds a newer read of a series (live mode asks only for the last few periods)
// to what was read before: points of fresh replace the old ones at the same timestamps
// (CloudWatch may still have been filling them), points before windowStart are dropped, and
// the result is in time order. fresh's completeness wins.
func MergeSeries(old, fresh MetricSeries, windowStart time.Time) MetricSeries {
	out := MetricSeries{ID: old.ID, Label: old.Label, Complete: fresh.Complete}
	if out.ID == "" {
		out.ID = fresh.ID
	}
	if fresh.Label != "" {
		out.Label = fresh.Label
	}
	var cut time.Time // old points from here on are replaced by fresh
	if len(fresh.Timestamps) > 0 {
		cut = fresh.Timestamps[0]
	}
	for i := 0; i < min(len(old.Values), len(old.Timestamps)); i++ {
		t := old.Timestamps[i]
		if t.Before(windowStart) || (!cut.IsZero() && !t.Before(cut)) {
			continue
		}
		out.Timestamps = append(out.Timestamps, t)
		out.Values = append(out.Values, old.Values[i])
	}
	for i := 0; i < min(len(fresh.Values), len(fresh.Timestamps)); i++ {
		if fresh.Timestamps[i].Before(windowStart) {
			continue
		}
		out.Timestamps = append(out.Timestamps, fresh.Timestamps[i])
		out.Values = append(out.Values, fresh.Values[i])
	}
	return out
}

// FillSeries lays a series on the window's period grid [start, end): one value per period,
// missing periods as fill (CloudWatch leaves out periods without data: for the PrivateLink
// metrics that means no traffic, so charts fill with 0). Values are in the unit (Rate).
func FillSeries(s MetricSeries, start, end time.Time, period time.Duration, unit MetricUnit, fill float64) []float64 {
	n := Datapoints(start, end, period)
	out := make([]float64, n)
	for i := range out {
		out[i] = fill
	}
	for i := 0; i < min(len(s.Values), len(s.Timestamps)); i++ {
		k := int(s.Timestamps[i].Sub(start) / period)
		if k >= 0 && k < n && !s.Timestamps[i].Before(start) {
			out[k] = unit.Rate(s.Values[i], period)
		}
	}
	return out
}

// MetricsCostPerDay is what CloudWatch bills a day for asking metricsPerMinute metrics a
// minute, at GetMetricData's public price of $0.01 per 1,000 metrics requested.
func MetricsCostPerDay(metricsPerMinute float64) float64 {
	return metricsPerMinute * 60 * 24 / 1000 * 0.01
}

// FormatMoney writes dollars with cents ("0.32", "14.40"), or with a tenth of a cent below
// a cent ("0.004").
func FormatMoney(v float64) string {
	if v > 0 && v < 0.01 {
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
