package model

import (
	"errors"
	"time"
)

// Cadence is how often one part of a session's data is read (pending requests, the
// inventory, target health, settings), slowed while AWS throttles it. AWS's rate limits are
// the account's, shared with every other tool in it: a console that answers throttling by
// asking again at the same rate makes everyone's calls fail, so a throttled part doubles
// its interval (up to MaxBackoff times its base) and halves it again with each read that
// succeeds, back to the base.
type Cadence struct {
	Base  time.Duration // the configured interval
	Every time.Duration // the interval now: Base, or more while backing off
	Last  time.Time     // when the latest read started (zero: never)
}

// MaxBackoff is how far a throttled part slows: at most this many times its base interval.
const MaxBackoff = 8

// NewCadence is a cadence reading every base.
func NewCadence(base time.Duration) Cadence { return Cadence{Base: base, Every: base} }

// Due says whether the part should be read at now. A little is allowed early (a tenth of the
// interval, at most a second), so a part whose interval equals the refresh tick is read on
// every tick even when a tick arrives a few milliseconds early.
func (c Cadence) Due(now time.Time) bool {
	return c.Last.IsZero() || now.Sub(c.Last) >= c.Every-min(c.Every/10, time.Second)
}

// Started records a read starting at now.
func (c *Cadence) Started(now time.Time) { c.Last = now }

// Finished adjusts the interval after a read: throttled, it doubles (up to MaxBackoff×Base);
// successful, it halves back towards Base. Another failure leaves it as it is: retrying
// a network error at the usual rate costs the account nothing.
func (c *Cadence) Finished(err error) {
	if c.Every < c.Base {
		c.Every = c.Base
	}
	switch {
	case IsThrottling(err):
		c.Every = min(c.Every*2, c.Base*MaxBackoff)
	case err == nil:
		c.Every = max(c.Every/2, c.Base)
	}
}

// Rebase changes the configured interval (a CloudWatch read that grew, a new refresh
// interval), keeping how far the cadence is backing off: a part read every 2× its old base
// is read every 2× its new one.
func (c *Cadence) Rebase(base time.Duration) {
	if base <= 0 || base == c.Base {
		return
	}
	if c.Base <= 0 || c.Every <= 0 {
		c.Base, c.Every = base, base
		return
	}
	// as a ratio: Every×base in nanoseconds overflows for intervals of an hour and more
	c.Every = time.Duration(float64(c.Every) / float64(c.Base) * float64(base))
	c.Base = base
}

// BackingOff says whether the part reads less often than configured because of throttling.
func (c Cadence) BackingOff() bool { return c.Every > c.Base }

// throttleCodes are the codes AWS services answer with when a caller exceeds its rate.
var throttleCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true, "RequestThrottledException": true,
	"TooManyRequestsException": true, "RequestLimitExceeded": true, "RequestThrottled": true, "SlowDown": true,
	"PriorRequestNotComplete": true, "EC2ThrottledException": true, "BandwidthLimitExceeded": true,
}

// IsThrottleCode says whether an AWS error code means the caller is asking too fast.
func IsThrottleCode(code string) bool { return throttleCodes[code] }

// IsThrottling says whether err (or any error it joins or wraps) is AWS throttling.
func IsThrottling(err error) bool {
	if err == nil {
		return false
	}
	var ae *AWSError
	if errors.As(err, &ae) && IsThrottleCode(ae.Code) {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if IsThrottling(e) {
				return true
			}
		}
	}
	return false
}

// MetricsCadence is how often a read of perRead CloudWatch metrics may run to stay within
// budget metrics a day (CloudWatch bills GetMetricData per metric requested), never more
// often than floor. A zero or negative budget means no limit but the floor.
func MetricsCadence(perRead, budget int, floor time.Duration) time.Duration {
	if budget <= 0 || perRead <= 0 {
		return floor
	}
	every := time.Duration(int64(24*time.Hour) * int64(perRead) / int64(budget))
	// whole minutes, rounded up: the windows CloudWatch answers are minute-aligned
	if r := every % time.Minute; r != 0 {
		every += time.Minute - r
	}
	return max(every, floor)
}
