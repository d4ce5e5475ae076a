// Package simtest is the test harness of everything that talks to the simulated region
// (awsops/sim): it serves a region on a loopback port for the length of one test, on a
// clock that only the test moves, and builds SDK configurations for its accounts. The
// region's own tests (package sim) cannot import it (it imports sim); they build their SDK
// clients with sdktest, as Region.AWSConfig does.
//
// It imports neither awsops nor ui, so package awsops's own tests can use it; the awsops
// client for tests outside awsops comes from package awsopstest.
package simtest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/sdktest"
)

// Epoch is where a region's clock starts unless the test says otherwise: a fixed instant,
// so ages, expiries and metric windows are the same on every run.
var Epoch = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// MaxAttempts is how many attempts per call a test's SDK client makes: enough to ride out a
// dropped loopback connection, few enough that injected faults fail a call quickly.
const MaxAttempts = 3

// Region is a simulated region serving on a loopback port until the test ends.
type Region struct {
	*sim.Running // URL and Server

	// Clock is the region's time. It moves only when the test moves it; the world catches
	// up on the next request.
	Clock *sim.ManualClock
	// Name is the AWS region the world serves, e.g. us-east-1.
	Name string
	// Provider is the provider account's id.
	Provider string
}

// Option adjusts how Start builds a region.
type Option func(*settings)

type settings struct {
	clockStart time.Time
	regions    []string
}

// ClockAt starts the region's clock at t instead of Epoch.
func ClockAt(t time.Time) Option { return func(s *settings) { s.clockStart = t } }

// AlsoServe serves more regions on the same endpoint, each with a world of its own
// (run.Regions holds their servers).
func AlsoServe(regions ...string) Option { return func(s *settings) { s.regions = regions } }

// Start generates world and serves it on a free loopback port until the test ends.
func Start(t testing.TB, world sim.WorldConfig, opts ...Option) *Region {
	t.Helper()
	s := settings{clockStart: Epoch}
	for _, o := range opts {
		o(&s)
	}
	clock := sim.NewManualClock(s.clockStart)
	run, err := sim.Start("", sim.Options{World: world, Clock: clock, Regions: s.regions})
	if err != nil {
		t.Fatalf("starting the simulated region: %v", err)
	}
	t.Cleanup(func() { _ = run.Close() })
	w := run.Server.World()
	// Region and Provider are set at generation and never change, so reading them without
	// the world's lock is safe.
	return &Region{Running: run, Clock: clock, Name: w.Region, Provider: w.Provider.ID}
}

// World is the region's world; lock-free reads are safe only for what never changes after
// generation (ids, the account list).
func (r *Region) World() *sim.World { return r.Server.World() }

// Stats counts the requests the region has received, per service and operation.
func (r *Region) Stats() sim.StatsSnapshot { return r.Server.Stats() }

// ResetStats sets the request counters back to zero.
func (r *Region) ResetStats() { r.Server.ResetStats() }

// Faults are the region's fault knobs (throttling, latency, errors, dropped connections).
func (r *Region) Faults() *sim.Faults { return r.Server.Faults() }

// AccessKey is the access key id that acts as account in the region.
func (r *Region) AccessKey(account string) string { return sim.AccessKeyFor(account) }

// ConsumerAccounts lists the ids of the world's consumer accounts, in generation order.
func (r *Region) ConsumerAccounts() []string {
	var out []string
	// Accounts are never added or removed after generation: no lock needed.
	for _, a := range r.World().AccountList {
		if !a.Provider {
			out = append(out, a.ID)
		}
	}
	return out
}

// AWSConfig is an SDK configuration that acts as account in the region, with MaxAttempts
// attempts per call; service clients are built from it with NewFromConfig.
func (r *Region) AWSConfig(account string) aws.Config {
	return sdktest.Config(r.URL, r.Name, r.AccessKey(account), MaxAttempts)
}
