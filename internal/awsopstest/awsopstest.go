// Package awsopstest builds the console's awsops client on a simulated test region
// (simtest), for the tests outside package awsops: ui's and e2e's. The client is configured
// as plconsole --demo configures it (awsops.Config.ForSimulatedRegion), with the test
// clients' short retry backoff and its audit log in the test's temporary directory.
package awsopstest

import (
	"context"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/internal/sdktest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// newTimeout bounds awsops.New (two requests) against a loopback region on a loaded machine.
const newTimeout = 30 * time.Second

// New is an awsops client acting as account in the region, closed when the test ends;
// adjust changes its configuration before it is built (a read-only flag, a call timeout).
func New(t testing.TB, r *simtest.Region, account string, adjust ...func(*awsops.Config)) *awsops.Client {
	t.Helper()
	cfg := awsops.Config{AuditDir: t.TempDir(), RetryMaxBackoff: sdktest.RetryMaxBackoff}.
		ForSimulatedRegion(r.URL, r.Name, r.AccessKey(account))
	for _, a := range adjust {
		a(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), newTimeout)
	defer cancel()
	c, err := awsops.New(ctx, cfg)
	if err != nil {
		t.Fatalf("awsops.New against the simulated region: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Provider is an awsops client acting as the region's provider account in mode: READ-ONLY
// and DRY-RUN set their guard, any other mode is the demo's.
func Provider(t testing.TB, r *simtest.Region, mode model.Mode) *awsops.Client {
	t.Helper()
	return New(t, r, r.Provider, InMode(mode))
}

// InMode sets the read-only or dry-run guard that mode names.
func InMode(mode model.Mode) func(*awsops.Config) {
	return func(cfg *awsops.Config) {
		cfg.ReadOnly = mode == model.ModeReadOnly
		cfg.DryRun = mode == model.ModeDryRun
	}
}
