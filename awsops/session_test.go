package awsops

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// writeProfiles writes a config and a credentials file with a provider and a consumer
// profile; the access keys select the simulated accounts.
func writeProfiles(t *testing.T, url, consumer string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte(
		"[profile provider]\nregion = us-east-1\nendpoint_url = "+url+"\n\n"+
			"[profile consumer]\nregion = us-east-1\nendpoint_url = "+url+"\n\n[sso-session corp]\nsso_region = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte(
		"[provider]\naws_access_key_id = "+sim.AccessKeyFor(providerAccount)+"\naws_secret_access_key = not-a-secret\n\n"+
			"[consumer]\naws_access_key_id = "+sim.AccessKeyFor(consumer)+"\naws_secret_access_key = not-a-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
}

func profileClient(t *testing.T, profile string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Profile: profile, AuditDir: t.TempDir(), RetryMaxBackoff: 20 * time.Millisecond,
		APILogFile: filepath.Join(apiLogDir, sanitize(t.Name())+"-"+profile+".jsonl")}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(ctxT(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Switching profile rebuilds the clients (new identity) and drops cached results.
func TestSwitchProfile(t *testing.T) {
	run := startSim(t, testWorld(3, 30))
	consumer := run.ConsumerAccounts()[0]
	writeProfiles(t, run.URL, consumer)
	if got := Profiles(); strings.Join(got, ",") != "consumer,provider" {
		t.Errorf("Profiles() = %v", got)
	}

	c := profileClient(t, "provider")
	if id := c.Identity(); id.Account != providerAccount || id.Profile != "provider" || id.Endpoint != run.URL {
		t.Fatalf("identity = %+v", id)
	}
	if c.Mode() != model.ModeLive {
		t.Errorf("mode = %s, want LIVE", c.Mode())
	}
	snap, err := c.Refresh(ctxT(t), model.RefreshRequest{LoadBalancers: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Services) != 3 || len(snap.LoadBalancers) != 3 {
		t.Fatalf("provider refresh: %d services, %d load balancers", len(snap.Services), len(snap.LoadBalancers))
	}
	old := c.session()
	if len(old.lbCache) == 0 {
		t.Fatal("refresh cached no load balancer details")
	}

	if id, err := c.SwitchProfile(ctxT(t), "consumer"); err != nil || id != c.Identity() {
		t.Fatalf("switch: %+v, %v (now %+v)", id, err, c.Identity())
	}
	if id := c.Identity(); id.Account != consumer || id.Profile != "consumer" {
		t.Fatalf("after switch: identity = %+v", id)
	}
	if c.session() == old || len(c.session().lbCache) != 0 {
		t.Error("switching profile kept the old session's cache")
	}
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 0 {
		t.Errorf("the consumer sees %d provider services", len(svcs))
	}

	// A failed switch leaves the working session in place.
	if _, err := c.SwitchProfile(ctxT(t), "nonexistent"); err == nil {
		t.Error("switching to a missing profile succeeded")
	}
	if c.Identity().Account != consumer {
		t.Errorf("failed switch changed the identity to %+v", c.Identity())
	}

	// The simulated region serves us-east-1 only: a switch away is refused (TestSwitchRegion).
	if _, err := c.SwitchRegion(ctxT(t), "us-west-2"); err == nil {
		t.Error("switching to a region the endpoint does not serve succeeded")
	}
	if id := c.Identity(); id.Region != "us-east-1" || id.Account != consumer || id.Profile != "consumer" {
		t.Errorf("after the refused region switch: %+v", id)
	}
}

// Overlapping switches run one at a time in the order they were asked for: the client ends in
// the session of the last one asked for, whatever the timing, and a switch builds on the one
// before it.
func TestOverlappingSwitchesEndInTheLastAskedFor(t *testing.T) {
	run := startSim(t, testWorld(3, 30))
	consumer := run.ConsumerAccounts()[0]
	writeProfiles(t, run.URL, consumer)
	c := profileClient(t, "provider")
	run.Server.Faults().Set(sim.FaultConfig{LatencyMs: 100})
	defer run.Server.Faults().Set(sim.FaultConfig{})

	ticketsIssued := func() uint64 {
		c.switches.mu.Lock()
		defer c.switches.mu.Unlock()
		return c.switches.next
	}
	type result struct {
		id  model.Identity
		err error
	}
	results := make([]chan result, 3)
	for i, profile := range []string{"consumer", "provider", "consumer"} {
		results[i] = make(chan result, 1)
		go func() {
			id, err := c.SwitchProfile(ctxT(t), profile)
			results[i] <- result{id, err}
		}()
		// the next switch is asked for only once this one holds its place in the line
		for ticketsIssued() != uint64(i+1) {
			time.Sleep(time.Millisecond)
		}
	}
	var last result
	for i := range results {
		r := <-results[i]
		if r.err != nil && !errors.Is(r.err, model.ErrSwitchSuperseded) {
			t.Fatalf("switch %d: %v", i, r.err)
		}
		last = r
	}
	if last.err != nil || last.id.Account != consumer || c.Identity() != last.id {
		t.Fatalf("after overlapping switches: identity %+v, last switch returned %+v, %v", c.Identity(), last.id, last.err)
	}

	// A cancelled switch that waits for its turn leaves the line without switching.
	hold := make(chan result, 1)
	go func() {
		id, err := c.SwitchProfile(ctxT(t), "provider")
		hold <- result{id, err}
	}()
	for ticketsIssued() != 4 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.SwitchProfile(ctx, "consumer"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled switch: %v", err)
	}
	if r := <-hold; r.err != nil || r.id.Account != providerAccount {
		t.Fatalf("the switch before the cancelled one: %+v, %v", r.id, r.err)
	}
	if c.Identity().Account != providerAccount {
		t.Errorf("the cancelled switch changed the identity to %+v", c.Identity())
	}
	// the line still moves after a caller left it
	if id, err := c.SwitchProfile(ctxT(t), "consumer"); err != nil || id.Account != consumer {
		t.Errorf("switch after a cancelled one: %+v, %v", id, err)
	}
}

// STS answers from any region, so a switch must not "succeed" into a region whose EC2
// refuses the caller: the session's probe fails the switch with a sentence naming the
// region, the old session stays, and a switch to a region that answers works.
func TestSwitchRegion(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	before := c.Identity()
	old := c.session()

	run.Server.ResetStats()
	_, err := c.SwitchRegion(ctxT(t), "eu-west-1")
	if err == nil {
		t.Fatal("switching to eu-west-1, which the simulated region does not serve, succeeded")
	}
	var ae *model.AWSError
	if !errors.As(err, &ae) || ae.Code != "AuthFailure" || ae.Operation != "DescribeAvailabilityZones" {
		t.Errorf("err = %v, want the probe's AuthFailure", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, `region eu-west-1 is not usable with profile "demo": `) ||
		!strings.Contains(msg, "not 'eu-west-1'") || !strings.Contains(msg, "AuthFailure") {
		t.Errorf("error = %q, want one sentence naming the region and the AWS code", msg)
	}
	if got := c.Identity(); got != before || c.session() != old {
		t.Errorf("identity after the refused switch = %+v, want %+v", got, before)
	}
	// The refusal cost exactly the new session's two requests: STS, and the EC2 probe (which
	// the region refuses before reading its action, so it counts it under "unknown").
	if st := run.Server.Stats(); st.Total != 2 || st.Count("sts", "GetCallerIdentity") != 1 {
		t.Errorf("refused switch: %d requests\n%s", st.Total, statsTable(run))
	}
	if _, err := c.ListServices(ctxT(t)); err != nil {
		t.Errorf("the old session stopped working: %v", err)
	}

	if _, err := c.SwitchRegion(ctxT(t), "us-east-1"); err != nil {
		t.Fatalf("switching to the served region: %v", err)
	}
	if got := c.Identity(); got.Region != "us-east-1" || got.Account != providerAccount || c.session() == old {
		t.Errorf("after the switch: %+v (new session: %v)", got, c.session() != old)
	}

	// New refuses such a region in the same words.
	_, err = newClientErr(t, run, providerAccount, func(cfg *Config) { cfg.Region = "eu-west-1" })
	if err == nil || !strings.Contains(err.Error(), "region eu-west-1 is not usable") {
		t.Errorf("New in eu-west-1: %v", err)
	}
}

// A probe failure that says nothing about the region (here: throttling past the retries)
// does not fail the session; the zones are then read when asked for.
func TestRegionProbeToleratesThrottling(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	// GetCallerIdentity goes through; from the next request on (the probe), every request is
	// throttled.
	url := faultGate(t, run, func(st sim.StatsSnapshot) (sim.FaultConfig, bool) {
		probing := st.Count("sts", "GetCallerIdentity") == 1 && st.Count("ec2", "DescribeAvailabilityZones") == 0
		return sim.FaultConfig{ThrottleRatio: 1}, probing
	})
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1; cfg.EndpointURL = url })
	run.Server.Faults().Set(sim.FaultConfig{})
	if n := requests(run, "ec2", "DescribeAvailabilityZones"); n != 1 {
		t.Fatalf("%d probes, want 1", n)
	}
	if c.session().zones != nil {
		t.Error("a throttled probe left zones")
	}
	zones, err := c.AvailabilityZones(ctxT(t))
	if err != nil || len(zones) == 0 {
		t.Errorf("zones after a throttled probe = %+v, %v", zones, err)
	}
	if n := requests(run, "ec2", "DescribeAvailabilityZones"); n != 2 {
		t.Errorf("%d DescribeAvailabilityZones, want the probe and the read", n)
	}
}

// AWS_ENDPOINT_URL alone points every client at the endpoint.
func TestEndpointFromEnvironment(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	t.Setenv("AWS_ENDPOINT_URL", run.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", sim.AccessKeyFor(providerAccount))
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	c := profileClient(t, "")
	if id := c.Identity(); id.Endpoint != run.URL || id.Account != providerAccount || id.Profile != "default" {
		t.Fatalf("identity = %+v", id)
	}
	if _, err := c.ListServices(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "ec2", "DescribeVpcEndpointServiceConfigurations"); n != 1 {
		t.Errorf("sim saw %d service reads", n)
	}
}

func TestNoRegionIsAClearError(t *testing.T) {
	_, err := New(ctxT(t), Config{StaticAccessKey: "AKIAX", EndpointURL: "http://127.0.0.1:1", AuditDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "region") {
		t.Fatalf("err = %v", err)
	}
}

func TestErrorMapping(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 2 })

	// Not found.
	_, err := c.ServiceDetail(ctxT(t), "vpce-svc-0123456789abcdef0")
	var ae *model.AWSError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %T %v, want *model.AWSError", err, err)
	}
	if !strings.HasSuffix(ae.Code, "NotFound") || ae.Operation != "DescribeVpcEndpointServiceConfigurations" ||
		!strings.Contains(ae.Sentence, "not found") || ae.RequestID == "" {
		t.Errorf("not found: %+v", ae)
	}
	if !strings.Contains(err.Error(), ae.Code) || !strings.Contains(err.Error(), ae.RequestID) {
		t.Errorf("Error() = %q lacks code or request id", err)
	}

	// Invalid parameter.
	_, err = c.CreateService(ctxT(t), model.CreateServiceInput{NetworkLoadBalancerARNs: []string{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nope/0123456789abcdef"}})
	if !errors.As(err, &ae) || ae.Code == "" || ae.RequestID == "" || ae.Sentence == "" {
		t.Errorf("invalid parameter: %v", err)
	}

	// Throttling: every attempt is throttled, the retries run out.
	run.Server.Faults().Set(sim.FaultConfig{ThrottleRatio: 1})
	_, err = c.ListServices(ctxT(t))
	run.Server.Faults().Set(sim.FaultConfig{})
	if !errors.As(err, &ae) || ae.Code != "RequestLimitExceeded" || !strings.Contains(ae.Sentence, "throttling") {
		t.Fatalf("throttled: %v", err)
	}
	calls := c.APICalls()
	last := calls[len(calls)-1]
	if last.Attempts != 2 || last.ErrorCode != "RequestLimitExceeded" || last.Status != 503 && last.Status != 400 {
		t.Errorf("logged throttled call = %+v", last)
	}

	// Internal error.
	run.Server.Faults().Set(sim.FaultConfig{ServerErrorRatio: 1})
	_, err = c.ListConnections(ctxT(t), "")
	run.Server.Faults().Set(sim.FaultConfig{})
	if !errors.As(err, &ae) || !strings.Contains(ae.Sentence, "internal error") {
		t.Errorf("5xx: %v", err)
	}
}

// The per-call timeout ends a call the region would answer only after the caller's own
// deadline: the error is the call's deadline, while the caller's context is still live. A
// cancelled caller ends its call in flight. Neither is timed: a loaded machine only makes
// the waits longer, never the outcome different.
func TestTimeoutAndCancel(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1 })
	// Short only from here on, so New's own requests never race it on a loaded machine.
	c.cfg.CallTimeout = 100 * time.Millisecond

	// A second client reaches the region through a gate that, once armed, cancels the
	// caller's context as the request arrives: the call is then in flight, whatever the
	// machine's speed, and its own per-call timeout (the default) is far away.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var armed atomic.Bool // New's own requests pass through untouched
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if armed.Load() {
			cancel()
		}
		run.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(gate.Close)
	cancelled := newClient(t, run, providerAccount, func(cfg *Config) { cfg.MaxAttempts = 1; cfg.EndpointURL = gate.URL })

	// Longer than the caller's deadline below: only the per-call timeout can end the call
	// with the caller's context still live.
	run.Faults().Set(sim.FaultConfig{LatencyMs: 60000})
	defer run.Faults().Set(sim.FaultConfig{})
	caller, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	_, err := c.ListServices(caller)
	var ae *model.AWSError
	if !errors.As(err, &ae) || ae.Code != "Timeout" || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow call: %v, want the Timeout code wrapping context.DeadlineExceeded", err)
	}
	if caller.Err() != nil {
		t.Errorf("the call ran until the caller's own deadline: the per-call timeout was not applied (%v)", err)
	}

	armed.Store(true)
	_, err = cancelled.ListConnections(ctx, "")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v", err)
	}
}

func TestAPICallLogRingAndFile(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	file := filepath.Join(t.TempDir(), "api.jsonl")
	// room for three calls like these (each 96 bytes and its strings: 175), not four
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.APILogBytes = 600; cfg.APILogFile = file })
	for i := 0; i < 4; i++ {
		if _, err := c.ListServices(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	}
	calls := c.APICalls()
	if len(calls) != 3 {
		t.Fatalf("ring holds %d calls, want 3", len(calls))
	}
	for i, call := range calls {
		if call.Operation != "DescribeVpcEndpointServiceConfigurations" || call.Service != "ec2" || call.RequestID == "" || call.Status != 200 {
			t.Errorf("call %d = %+v", i, call)
		}
		if i > 0 && call.Time.Before(calls[i-1].Time) {
			t.Error("calls not oldest first")
		}
	}
	if c.APICallCount() != 6 { // New's two and four ListServices
		t.Errorf("count = %d, want 6", c.APICallCount())
	}
	if err := c.APILogError(); err != nil { // also waits for the lines to reach the file
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l apiLogLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sc.Text(), "SIMU") {
			t.Errorf("API log holds an access key: %s", sc.Text())
		}
		lines++
	}
	if lines != 6 {
		t.Errorf("file has %d lines, want 6", lines)
	}
}

// A configured CA bundle (AWS_CA_BUNDLE, common on corporate machines) must not stop the
// session from loading: the SDK installs it through the HTTP client's transport options.
func TestCABundleFromEnvironment(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	t.Setenv("AWS_CA_BUNDLE", writeTestCABundle(t))
	c := newClient(t, run, providerAccount)
	if _, err := c.ListServices(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

// writeTestCABundle writes a self-signed CA certificate in PEM to a temporary file.
func writeTestCABundle(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "plconsole test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A failed write to the API-call log file is not lost: the first one is kept, reported by
// APILogError and returned by Close, while the in-memory log goes on.
func TestAPILogWriteFailureIsReported(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount, func(cfg *Config) { cfg.APILogFile = "/dev/full" })
	err := c.APILogError()
	if err == nil || !strings.Contains(err.Error(), "API-call log /dev/full") || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("APILogError = %v, want the disk-full failure naming the file", err)
	}
	if _, err := c.ListServices(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(c.APICalls()); n != 3 {
		t.Errorf("in-memory log holds %d calls, want 3", n)
	}
	if again := c.APILogError(); again.Error() != err.Error() {
		t.Errorf("APILogError changed to %v; want the first failure kept", again)
	}
	if cerr := c.Close(); cerr == nil || !errors.Is(cerr, syscall.ENOSPC) {
		t.Errorf("Close = %v, want the log's write failure", cerr)
	}

	ok := newClient(t, run, providerAccount)
	if err := ok.APILogError(); err != nil {
		t.Errorf("APILogError of a working log = %v", err)
	}
	if err := ok.Close(); err != nil {
		t.Errorf("Close of a working log = %v", err)
	}
}

// An unreachable endpoint is reported with the host and port that refused, not only
// "connection refused".
func TestUnreachableEndpointNamesTheAddress(t *testing.T) {
	_, err := New(ctxT(t), Config{StaticAccessKey: "AKIAX", Region: "us-east-1", EndpointURL: "http://127.0.0.1:1",
		AuditDir: t.TempDir(), MaxAttempts: 1})
	var ae *model.AWSError
	if !errors.As(err, &ae) || ae.Code != "NetworkError" {
		t.Fatalf("err = %v, want a NetworkError", err)
	}
	want := "Could not reach AWS for GetCallerIdentity: dial tcp 127.0.0.1:1: connect: connection refused."
	if ae.Sentence != want {
		t.Errorf("sentence = %q, want %q", ae.Sentence, want)
	}
}

// A profile switch takes the profile's region, unless the user chose one (--region, or a
// region switch): then the chosen region stays.
func TestProfileSwitchTakesTheProfilesRegion(t *testing.T) {
	run := simtest.Start(t, testWorld(2, 10), simtest.AlsoServe("eu-west-1"))
	dir := t.TempDir()
	cfg, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	key := sim.AccessKeyFor(providerAccount)
	if err := os.WriteFile(cfg, []byte("[profile home]\nregion = us-east-1\nendpoint_url = "+run.URL+
		"\n\n[profile euro]\nregion = eu-west-1\nendpoint_url = "+run.URL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[home]\naws_access_key_id = "+key+"\naws_secret_access_key = x\n\n[euro]\naws_access_key_id = "+
		key+"\naws_secret_access_key = x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)

	c := profileClient(t, "home")
	if id, err := c.SwitchProfile(ctxT(t), "euro"); err != nil || id.Region != "eu-west-1" {
		t.Fatalf("switching to euro: %+v, %v; want its region eu-west-1", id, err)
	}
	if id, err := c.SwitchRegion(ctxT(t), "us-east-1"); err != nil || id.Region != "us-east-1" {
		t.Fatalf("region switch: %+v, %v", id, err)
	}
	if id, err := c.SwitchProfile(ctxT(t), "home"); err != nil || id.Region != "us-east-1" {
		t.Fatalf("after choosing us-east-1 the profile switch keeps it: %+v, %v", id, err)
	}
	pinned := profileClient(t, "home", func(cfg *Config) { cfg.Region = "us-east-1" })
	if id, err := pinned.SwitchProfile(ctxT(t), "euro"); err != nil || id.Region != "us-east-1" {
		t.Fatalf("with --region us-east-1, euro's region does not apply: %+v, %v", id, err)
	}
}

// With no credentials anywhere the error says where they are looked for and suggests the
// demo; a region whose endpoint does not resolve is called unknown.
func TestNewcomerErrors(t *testing.T) {
	run := startSim(t, testWorld(1, 1))
	_, err := New(ctxT(t), Config{Region: "us-east-1", EndpointURL: run.URL, AuditDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials found") || !strings.Contains(err.Error(), "plconsole --demo") ||
		!strings.Contains(err.Error(), "~/.aws/credentials") {
		t.Fatalf("without credentials: %v", err)
	}
	if !isUnknownHost(fmt.Errorf("op: %w", &net.DNSError{Name: "sts.mars-east-1.amazonaws.com", IsNotFound: true})) ||
		isUnknownHost(&net.DNSError{Name: "x", IsTimeout: true}) {
		t.Error("an unknown host is a DNS not-found")
	}
	if !model.IsKnownRegion("eu-west-2") || model.IsKnownRegion("mars-east-1") {
		t.Error("known regions")
	}
}
