package sim

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// CloudWatch statistics (MetricStat.Stat), as the CloudWatch User Guide's "statistics
// definitions" define them: the five simple ones, percentiles (p99, p99.9), and the
// trimmed family — trimmed mean (tm99, TM(2%:98%), TM(150:1000)), interquartile mean
// (IQM), winsorized mean (WM), trimmed count (TC), trimmed sum (TS) and percentile rank
// (PR(:300)).
//
// The simulated region keeps one value per metric per minute, so a period's "raw data
// points" are its minutes' values: SampleCount is the number of minutes, p99 the value
// below which 99% of the minutes fall. (AWS computes these statistics from the raw points
// it was sent; for vended metrics published as statistic sets it may return no data.)

type statKind int

const (
	statSum statKind = iota
	statAverage
	statMinimum
	statMaximum
	statSampleCount
	statPercentile
	statTrimmedMean
	statWinsorizedMean
	statTrimmedCount
	statTrimmedSum
	statPercentileRank
)

// cwStatistic is a parsed Stat.
type cwStatistic struct {
	kind statKind
	// The bounds of a percentile (lo unused) or of the trimmed family. percent: the bounds
	// are percentiles of the period's values; otherwise values themselves (lower bound
	// exclusive, upper inclusive). A missing bound is open.
	lo, hi       float64
	hasLo, hasHi bool
	percent      bool
}

var (
	// p99, p99.9, p100 (CloudWatch allows up to two decimals).
	statPercentilePattern = regexp.MustCompile(`^p(\d{1,2}(\.\d{1,2})?|100)$`)
	// tm99, wm98, tc90, ts90: one percentage, lowercase only.
	statShortPattern = regexp.MustCompile(`^(tm|wm|tc|ts)(\d{1,2}(\.\d{1,10})?|100)$`)
	// TM(10%:90%), TM(:95%), TC(80:500), PR(:300): uppercase, with parentheses.
	statRangePattern = regexp.MustCompile(`^(TM|WM|TC|TS|PR)\(([^:()]*):([^:()]*)\)$`)
	statBoundPattern = regexp.MustCompile(`^\d+(\.\d{1,10})?%?$`)
)

var simpleStatistics = map[string]statKind{
	"Sum": statSum, "Average": statAverage, "Minimum": statMinimum, "Maximum": statMaximum, "SampleCount": statSampleCount,
}

var trimmedKinds = map[string]statKind{
	"tm": statTrimmedMean, "wm": statWinsorizedMean, "tc": statTrimmedCount, "ts": statTrimmedSum, "pr": statPercentileRank,
}

// parseStatistic reads a Stat, or says why it is not one.
func parseStatistic(s string) (cwStatistic, error) {
	if k, ok := simpleStatistics[s]; ok {
		return cwStatistic{kind: k}, nil
	}
	if s == "IQM" {
		return cwStatistic{kind: statTrimmedMean, lo: 25, hi: 75, hasLo: true, hasHi: true, percent: true}, nil
	}
	if statPercentilePattern.MatchString(s) {
		p, _ := strconv.ParseFloat(s[1:], 64)
		return cwStatistic{kind: statPercentile, hi: p, hasHi: true, percent: true}, nil
	}
	if m := statShortPattern.FindStringSubmatch(s); m != nil {
		p, _ := strconv.ParseFloat(m[2], 64)
		return cwStatistic{kind: trimmedKinds[m[1]], hi: p, hasHi: true, percent: true}, nil
	}
	m := statRangePattern.FindStringSubmatch(s)
	if m == nil {
		return cwStatistic{}, fmt.Errorf("not a statistic: use SampleCount, Average, Sum, Minimum, Maximum, a percentile (p99), or TM, WM, TC, TS, PR and IQM as the CloudWatch statistics definitions write them")
	}
	st := cwStatistic{kind: trimmedKinds[strings.ToLower(m[1])]}
	lo, hi := m[2], m[3]
	if lo == "" && hi == "" {
		return cwStatistic{}, fmt.Errorf("%s needs at least one bound", m[1])
	}
	var percents []bool
	for _, b := range []struct {
		text  string
		value *float64
		set   *bool
	}{{lo, &st.lo, &st.hasLo}, {hi, &st.hi, &st.hasHi}} {
		if b.text == "" {
			continue
		}
		if !statBoundPattern.MatchString(b.text) {
			return cwStatistic{}, fmt.Errorf("the bound %q is not a number (with up to 10 decimals, optionally a percentage)", b.text)
		}
		pct := strings.HasSuffix(b.text, "%")
		*b.value, _ = strconv.ParseFloat(strings.TrimSuffix(b.text, "%"), 64)
		*b.set = true
		percents = append(percents, pct)
		if pct && *b.value > 100 {
			return cwStatistic{}, fmt.Errorf("the percentage %s is above 100%%", b.text)
		}
	}
	if len(percents) == 2 && percents[0] != percents[1] {
		return cwStatistic{}, fmt.Errorf("the bounds of %s must both be percentages or both be values", s)
	}
	st.percent = percents[0]
	if st.kind == statPercentileRank && st.percent {
		return cwStatistic{}, fmt.Errorf("PR takes values as bounds, not percentages")
	}
	if st.hasLo && st.hasHi && st.lo > st.hi {
		return cwStatistic{}, fmt.Errorf("the lower bound of %s is above its upper bound", s)
	}
	return st, nil
}

// needsSamples says whether the statistic needs the period's values themselves rather
// than their sum, count and extremes.
func (st cwStatistic) needsSamples() bool { return st.kind >= statPercentile }

// ofSamples computes the statistic over a period's values (sorted ascending, at least
// one). ok is false when the statistic has no value for them (a trimmed range with no
// value in it).
func (st cwStatistic) ofSamples(sorted []float64) (v float64, ok bool) {
	n := len(sorted)
	if st.kind == statPercentile {
		// Nearest rank: the smallest value with at least p% of the values at or below it.
		rank := int(math.Ceil(st.hi/100*float64(n))) - 1
		return sorted[min(max(rank, 0), n-1)], true
	}
	if st.kind == statPercentileRank {
		in := 0
		for _, x := range sorted {
			if st.inValueRange(x) {
				in++
			}
		}
		return 100 * float64(in) / float64(n), true
	}
	// The trimmed family keeps the values within the bounds: by rank for percentages,
	// by value otherwise.
	var kept []float64
	var lowEdge, highEdge float64
	if st.percent {
		lo, hi := 0, n
		if st.hasLo {
			lo = int(math.Floor(st.lo / 100 * float64(n)))
		}
		if st.hasHi {
			hi = int(math.Ceil(st.hi / 100 * float64(n)))
		}
		if lo >= hi {
			kept = nil
		} else {
			kept = sorted[lo:hi]
			lowEdge, highEdge = kept[0], kept[len(kept)-1]
		}
	} else {
		for _, x := range sorted {
			if st.inValueRange(x) {
				kept = append(kept, x)
			}
		}
		lowEdge, highEdge = st.lo, st.hi
	}
	var sum float64
	for _, x := range kept {
		sum += x
	}
	switch st.kind {
	case statTrimmedCount:
		return float64(len(kept)), true
	case statTrimmedSum:
		return sum, true
	case statTrimmedMean:
		if len(kept) == 0 {
			return 0, false
		}
		return sum / float64(len(kept)), true
	}
	// Winsorized mean: every value outside the bounds counts as the nearest bound.
	if st.percent && len(kept) == 0 {
		return 0, false
	}
	var total float64
	for _, x := range sorted {
		switch {
		case (st.hasLo || st.percent) && x < lowEdge:
			x = lowEdge
		case (st.hasHi || st.percent) && x > highEdge:
			x = highEdge
		}
		total += x
	}
	return total / float64(n), true
}

// inValueRange applies value bounds: above lo (exclusive), at most hi (inclusive).
func (st cwStatistic) inValueRange(x float64) bool {
	return (!st.hasLo || x > st.lo) && (!st.hasHi || x <= st.hi)
}
