package awsops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// faultGate serves the simulated region on a second loopback listener and, as each request
// arrives, asks set whether to change the region's faults before serving it — a deterministic
// way to make exactly "the second chunk" or "the request after GetCallerIdentity" fail.
// Requests are counted by the region's own stats.
func faultGate(t *testing.T, run *simtest.Region, set func(st sim.StatsSnapshot) (sim.FaultConfig, bool)) string {
	t.Helper()
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cfg, ok := set(run.Server.Stats()); ok {
			run.Server.Faults().Set(cfg)
		}
		run.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(gate.Close)
	return gate.URL
}

// failSecondRequest throttles the second request of one operation, and only it (the client
// makes one attempt per call).
func failSecondRequest(service, op string) func(sim.StatsSnapshot) (sim.FaultConfig, bool) {
	return func(st sim.StatsSnapshot) (sim.FaultConfig, bool) {
		switch st.Count(service, op) {
		case 1:
			return sim.FaultConfig{ThrottleRatio: 1}, true
		case 2:
			return sim.FaultConfig{}, true
		}
		return sim.FaultConfig{}, false
	}
}

// bulkIDs is 2500 ids in three chunks (1000, 1000, 500): real[i] first in chunk i, the rest
// ids nobody owns.
func bulkIDs(prefix string, real [3]string) []string {
	ids := make([]string, 0, 2500)
	for i := range 2500 {
		if i%maxEndpointIDsPerCall == 0 {
			ids = append(ids, real[i/maxEndpointIDsPerCall])
			continue
		}
		ids = append(ids, fmt.Sprintf("%s%017x", prefix, i))
	}
	return ids
}

// A bulk write over more than one chunk where the second chunk's request fails: the first
// and third chunks' outcomes are kept, the second chunk's ids report the failure, the error
// is the failure itself, and the audit line names what succeeded and what failed — for
// every bulk write (accept, reject, delete notifications, delete endpoints).
func TestBulkWriteChunkFailure(t *testing.T) {
	type fixture struct {
		c    *Client
		ids  []string
		call func(ctx context.Context) ([]model.ItemResult, error)
		// done says whether the write took effect on a real id (checked afterwards).
		done func(id string) bool
	}
	for _, tc := range []struct {
		op    string
		setup func(t *testing.T, run *simtest.Region, url string) fixture
	}{
		{"AcceptVpcEndpointConnections", func(t *testing.T, run *simtest.Region, url string) fixture {
			c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1; cfg.EndpointURL = url })
			svc := findService(t, c, "payments-api")
			pending := connectionsIn(t, c, svc.ID, model.StatePendingAcceptance)
			if len(pending) < 3 {
				t.Fatalf("payments-api has %d pending connections, want ≥3", len(pending))
			}
			// A duplicate id is sent, and reported, once.
			ids := bulkIDs("vpce-", [3]string(pending[:3]))
			ids = append([]string{ids[0]}, ids...)
			return fixture{c: c, ids: ids,
				call: func(ctx context.Context) ([]model.ItemResult, error) { return c.AcceptConnections(ctx, svc.ID, ids) },
				done: func(id string) bool { return stateOf(t, c, svc.ID, id) != model.StatePendingAcceptance },
			}
		}},
		{"RejectVpcEndpointConnections", func(t *testing.T, run *simtest.Region, url string) fixture {
			c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1; cfg.EndpointURL = url })
			svc := findService(t, c, "payments-api")
			pending := connectionsIn(t, c, svc.ID, model.StatePendingAcceptance)
			if len(pending) < 3 {
				t.Fatalf("payments-api has %d pending connections, want ≥3", len(pending))
			}
			ids := bulkIDs("vpce-", [3]string(pending[:3]))
			return fixture{c: c, ids: ids,
				call: func(ctx context.Context) ([]model.ItemResult, error) { return c.RejectConnections(ctx, svc.ID, ids) },
				done: func(id string) bool { return stateOf(t, c, svc.ID, id) == model.StateRejected },
			}
		}},
		{"DeleteVpcEndpointConnectionNotifications", func(t *testing.T, run *simtest.Region, url string) fixture {
			c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1; cfg.EndpointURL = url })
			svc := findService(t, c, "search-gateway")
			var real [3]string
			for i := range real {
				n, err := c.CreateNotification(ctxT(t), svc.ID, fmt.Sprintf("arn:aws:sns:us-east-1:%s:events-%d", providerAccount, i),
					[]model.NotificationEvent{model.EventAccept})
				if err != nil {
					t.Fatal(err)
				}
				real[i] = n.ID
			}
			ids := bulkIDs("vpce-nfn-", real)
			return fixture{c: c, ids: ids,
				call: func(ctx context.Context) ([]model.ItemResult, error) { return c.DeleteNotifications(ctx, ids) },
				done: func(id string) bool {
					d, err := c.ServiceDetail(ctxT(t), svc.ID)
					if err != nil {
						t.Fatal(err)
					}
					return !slices.ContainsFunc(d.Notifications, func(n model.Notification) bool { return n.ID == id })
				},
			}
		}},
		{"DeleteVpcEndpoints", func(t *testing.T, run *simtest.Region, url string) fixture {
			c := newClient(t, run, run.ConsumerAccounts()[0], func(cfg *Config) { cfg.MaxAttempts = 1; cfg.EndpointURL = url })
			eps, err := c.ListEndpoints(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			var real [3]string
			n := 0
			for _, ep := range eps {
				if n < 3 && (ep.State == model.StateAvailable || ep.State == model.StatePendingAcceptance) {
					real[n] = ep.ID
					n++
				}
			}
			if n < 3 {
				t.Fatalf("the consumer has %d live endpoints, want ≥3", n)
			}
			ids := bulkIDs("vpce-", real)
			return fixture{c: c, ids: ids,
				call: func(ctx context.Context) ([]model.ItemResult, error) { return c.DeleteEndpoints(ctx, ids) },
				done: func(id string) bool {
					eps, err := c.ListEndpoints(ctxT(t))
					if err != nil {
						t.Fatal(err)
					}
					for _, ep := range eps {
						if ep.ID == id {
							return ep.State == model.StateDeleting || ep.State == model.StateDeleted
						}
					}
					return true
				},
			}
		}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			run := startSim(t, testWorld(3, 120))
			url := faultGate(t, run, failSecondRequest("ec2", tc.op))
			f := tc.setup(t, run, url)
			ids := dedupe(f.ids)
			if len(ids) != 2500 {
				t.Fatalf("%d distinct ids, want 2500", len(ids))
			}
			real := []string{ids[0], ids[1000], ids[2000]}

			res, err := f.call(ctxT(t))
			run.Server.Faults().Set(sim.FaultConfig{})

			st := run.Server.Stats()
			if n, th := st.Count("ec2", tc.op), st.Requests["ec2"][tc.op].Throttled; n != 3 || th != 1 {
				t.Errorf("%d %s requests (%d throttled), want 3 (1 throttled)", n, tc.op, th)
			}
			// The error is the failed request's, as *model.AWSError.
			var ae *model.AWSError
			if !errors.As(err, &ae) || ae.Code != "RequestLimitExceeded" || ae.Operation != tc.op {
				t.Fatalf("err = %v, want the throttled request's *model.AWSError", err)
			}
			if !strings.Contains(err.Error(), "1000 of 2500 ids were not processed") {
				t.Errorf("err = %q, want how many ids the failure covers", err)
			}
			// Exactly one result per requested id, in order.
			if len(res) != len(ids) {
				t.Fatalf("%d results for %d ids", len(res), len(ids))
			}
			for i, r := range res {
				if r.ID != ids[i] {
					t.Fatalf("result %d is for %s, want %s", i, r.ID, ids[i])
				}
				isReal := i%maxEndpointIDsPerCall == 0
				switch {
				case i >= 1000 && i < 2000: // the throttled chunk
					if r.OK || r.Code != "RequestLimitExceeded" || !strings.Contains(r.Message, "throttling") {
						t.Fatalf("result %d (throttled chunk) = %+v", i, r)
					}
				case isReal:
					if !r.OK {
						t.Errorf("result %d (%s) = %+v, want OK", i, r.ID, r)
					}
				default: // ids nobody owns: refused one by one, in a request that went through
					if r.OK || r.Code == "" || r.Code == "RequestLimitExceeded" || r.Message == "" {
						t.Fatalf("result %d (%s) = %+v, want a per-item refusal", i, r.ID, r)
					}
				}
			}
			// The region agrees: the first and third chunks took effect, the second did not.
			for i, id := range real {
				if got, want := f.done(id), i != 1; got != want {
					t.Errorf("%s (chunk %d): done = %v, want %v", id, i+1, got, want)
				}
			}
			// One audit line naming what succeeded and what failed.
			audit := readAudit(t, f.c)
			var a *AuditEntry
			for i := range audit {
				if audit[i].Operation == "ec2:"+tc.op {
					if a != nil {
						t.Fatalf("more than one audit line for %s", tc.op)
					}
					a = &audit[i]
				}
			}
			if a == nil {
				t.Fatalf("no audit line for %s: %+v", tc.op, audit)
			}
			if a.Result != AuditPartial || a.ErrorCode != "RequestLimitExceeded" || a.Error == "" {
				t.Errorf("audit result %q, code %q, error %q; want partial with the failure", a.Result, a.ErrorCode, a.Error)
			}
			if want := []string{real[0], real[2]}; !slices.Equal(a.Succeeded, want) {
				t.Errorf("audit succeeded = %v, want %v", a.Succeeded, want)
			}
			var wantFailed []string
			for _, id := range ids {
				if id != real[0] && id != real[2] {
					wantFailed = append(wantFailed, id)
				}
			}
			if !slices.Equal(a.Failed, wantFailed) {
				t.Errorf("audit failed: %d ids, want %d", len(a.Failed), len(wantFailed))
			}
			if got := a.Targets[len(a.Targets)-len(ids):]; !slices.Equal(got, ids) {
				t.Errorf("audit targets end with %d ids, not the requested ones", len(got))
			}
			if len(a.RequestIDs) != 3 {
				t.Errorf("audit request ids = %v, want the three requests'", a.RequestIDs)
			}
		})
	}
}

// When every chunk's request fails, nothing succeeded: the audit line says failed, and every
// id still has its result.
func TestBulkWriteEveryRequestFails(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1 })
	ids := bulkIDs("vpce-nfn-", [3]string{"vpce-nfn-1", "vpce-nfn-2", "vpce-nfn-3"})
	run.Server.Faults().Set(sim.FaultConfig{ThrottleRatio: 1})
	res, err := c.DeleteNotifications(ctxT(t), ids)
	run.Server.Faults().Set(sim.FaultConfig{})
	var ae *model.AWSError
	if !errors.As(err, &ae) || ae.Code != "RequestLimitExceeded" || strings.Contains(err.Error(), "were not processed") {
		t.Errorf("err = %v, want the plain throttling error", err)
	}
	if len(res) != len(ids) || res[2499].ID != ids[2499] || res[0].OK || res[0].Code != "RequestLimitExceeded" {
		t.Fatalf("%d results, first %+v", len(res), res[0])
	}
	audit := readAudit(t, c)
	if len(audit) != 1 || audit[0].Result != AuditFailed || len(audit[0].Succeeded) != 0 || len(audit[0].Failed) != 2500 {
		t.Errorf("audit = %+v", audit[0])
	}
}
