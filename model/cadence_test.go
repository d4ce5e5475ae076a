package model

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCadenceBacksOffAndRecoversGradually(t *testing.T) {
	throttled := fmt.Errorf("listing: %w", &AWSError{Code: "RequestLimitExceeded"})
	c := NewCadence(time.Minute)
	steps := []struct {
		err  error
		want time.Duration
	}{
		{throttled, 2 * time.Minute}, {throttled, 4 * time.Minute}, {throttled, 8 * time.Minute},
		{throttled, 8 * time.Minute}, // at most MaxBackoff× the base
		{errors.New("network down"), 8 * time.Minute},
		{nil, 4 * time.Minute}, {nil, 2 * time.Minute}, {nil, time.Minute}, {nil, time.Minute},
	}
	for i, s := range steps {
		c.Finished(s.err)
		if c.Every != s.want {
			t.Fatalf("step %d (%v): every %v, want %v", i, s.err, c.Every, s.want)
		}
	}
	if c.BackingOff() {
		t.Fatal("recovered, yet backing off")
	}
	if !IsThrottling(errors.Join(errors.New("x"), &AWSError{Code: "Throttling"})) {
		t.Fatal("a joined throttling error is throttling")
	}
}

func TestCadenceDue(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewCadence(5 * time.Minute)
	if !c.Due(at) {
		t.Fatal("never read: due")
	}
	c.Started(at)
	for d, want := range map[time.Duration]bool{time.Minute: false, 4*time.Minute + 30*time.Second: false, 5*time.Minute - 500*time.Millisecond: true, 6 * time.Minute: true} {
		if got := c.Due(at.Add(d)); got != want {
			t.Errorf("due after %v = %v, want %v", d, got, want)
		}
	}
}

func TestMetricsCadence(t *testing.T) {
	for _, tt := range []struct {
		perRead, budget int
		want            time.Duration
	}{
		{100, 100_000, 2 * time.Minute},    // 1.44 min, rounded up to whole minutes
		{5500, 100_000, 80 * time.Minute},  // 79.2 min
		{10, 100_000, time.Minute},         // never more often than the floor
		{5500, -1, time.Minute},            // no limit
		{1000, 1_440_000, time.Minute},     // exactly one read a minute
		{1001, 1_440_000, 2 * time.Minute}, // a little more: the next whole minute
	} {
		if got := MetricsCadence(tt.perRead, tt.budget, time.Minute); got != tt.want {
			t.Errorf("MetricsCadence(%d, %d) = %v, want %v", tt.perRead, tt.budget, got, tt.want)
		}
	}
}

func TestCadenceRebaseKeepsTheBackoff(t *testing.T) {
	c := NewCadence(time.Minute)
	c.Rebase(80 * time.Minute) // a fleet's CloudWatch read: 6e10 × 4.8e12 ns would overflow
	if c.Base != 80*time.Minute || c.Every != 80*time.Minute {
		t.Fatalf("rebased to 80m: %+v", c)
	}
	c.Finished(&AWSError{Code: "Throttling"})
	c.Rebase(40 * time.Minute)
	if c.Base != 40*time.Minute || c.Every != 80*time.Minute || !c.BackingOff() {
		t.Fatalf("backing off 2× at 80m, rebased to 40m: %+v", c)
	}
	var zero Cadence
	zero.Rebase(time.Minute)
	if zero.Every != time.Minute {
		t.Fatalf("a zero cadence rebased: %+v", zero)
	}
}
