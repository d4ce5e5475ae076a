package sim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
)

// ec2Env is a simulated region on loopback with a manual clock, and real SDK ec2 clients
// for its accounts.
type ec2Env struct {
	t     testing.TB
	run   *Running
	clock *ManualClock
	world *World
	prov  *ec2.Client
}

var ec2TestStart = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

func newEC2Env(t testing.TB, cfg WorldConfig) *ec2Env {
	t.Helper()
	clock := NewManualClock(ec2TestStart)
	if cfg.Seed == 0 {
		cfg.Seed = 7
	}
	run := startTestSim(t, Options{World: cfg, Clock: clock})
	e := &ec2Env{t: t, run: run, clock: clock, world: run.Server.World()}
	e.prov = e.client(ProviderAccountID)
	return e
}

// client is an SDK client whose access key selects the account.
func (e *ec2Env) client(accountID string) *ec2.Client {
	return ec2.NewFromConfig(testAWSConfig(e.run, accountID, 1))
}

// advance moves the clock; the world catches up on the next request.
func (e *ec2Env) advance(d time.Duration) { e.clock.Advance(d) }

// read runs f under the world's read lock (tests inspect state the API does not show).
func (e *ec2Env) read(f func(w *World)) {
	e.world.mu.RLock()
	defer e.world.mu.RUnlock()
	f(e.world)
}

// consumer returns a consumer account the service allows (or any consumer when allowed is
// nil).
func (e *ec2Env) consumer(allowed *Service) *Account {
	var out *Account
	e.read(func(w *World) {
		for _, a := range w.AccountList[1:] {
			if allowed == nil || allowed.AllowsAccount(a.ID) {
				out = a
				return
			}
		}
	})
	if out == nil {
		e.t.Fatal("no consumer account fits")
	}
	return out
}

// serviceByLabel finds a generated service by its Name tag.
func (e *ec2Env) serviceByLabel(label string) *Service {
	var out *Service
	e.read(func(w *World) {
		for _, s := range w.ServiceList {
			if s.NameTag() == label {
				out = s
			}
		}
	})
	if out == nil {
		e.t.Fatalf("no service %q", label)
	}
	return out
}

// spareLB finds a load balancer of the type that no service uses.
func (e *ec2Env) spareLB(typ string) string {
	var arn string
	e.read(func(w *World) {
		for _, lb := range w.LoadBalancerList {
			if lb.Type == typ && lb.ServiceID == "" {
				arn = lb.ARN
				return
			}
		}
	})
	if arn == "" {
		e.t.Fatalf("no spare %s load balancer", typ)
	}
	return arn
}

// subnetsFor picks one subnet per zone of the account's first VPC, split by whether the
// service supports the zone.
func (e *ec2Env) subnetsFor(a *Account, svc *Service) (vpcID string, in, out []string) {
	e.read(func(w *World) {
		for _, v := range a.VPCs {
			if v.Region != w.Region {
				continue
			}
			vpcID = v.ID
			for _, sn := range v.Subnets {
				if svc.SupportsAZID(sn.AZID) {
					in = append(in, sn.ID)
				} else {
					out = append(out, sn.ID)
				}
			}
			return
		}
	})
	return vpcID, in, out
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := apiCode(err); got != code {
		t.Fatalf("error = %v (code %q), want %s", err, got, code)
	}
}

var ec2ctx = context.Background()

// raw posts an EC2 Query form as the account (for what the SDK's client-side validation
// would stop, such as a missing required parameter) and returns the status and body.
func (e *ec2Env) raw(accountID, action, form string) (int, string) {
	e.t.Helper()
	body := "Action=" + action + "&Version=2016-11-15"
	if form != "" {
		body += "&" + form
	}
	req, _ := http.NewRequest(http.MethodPost, e.run.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA"+accountID+
		"TEST/20250602/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// wantRawCode posts a raw form and expects an error with this code.
func (e *ec2Env) wantRawCode(accountID, action, form, code string) {
	e.t.Helper()
	status, body := e.raw(accountID, action, form)
	if status < 400 || !strings.Contains(body, "<Code>"+code+"</Code>") {
		e.t.Fatalf("%s %s: status %d body %s, want %s", action, form, status, body, code)
	}
}
