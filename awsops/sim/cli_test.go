package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The AWS CLI is a second, independent client (botocore's own serializers and parsers; AWS
// JSON 1.0 for CloudWatch). It is set up the way the README tells users to: AWS_ENDPOINT_URL
// and the region in the environment, the access key picking the account — or, for runAWSCLI,
// --endpoint-url and --region on the command line. These tests run only where an `aws`
// binary is on PATH, and not in -short mode.

// cliCall is one `aws` invocation signed as one account.
type cliCall struct {
	account string
	args    []string
	env     []string // extra environment, e.g. AWS_MAX_ATTEMPTS
	// flags passes the endpoint and the region as --endpoint-url and --region instead of
	// through the environment.
	flags bool
}

// cliResult is one finished `aws` invocation.
type cliResult struct {
	stdout, stderr string
	err            error
}

// awsCLITest skips the test unless the CLI can run, then lets it run in parallel with the
// other CLI tests: their time is the CLI's Python start-up, which overlaps well with one
// test's sequential phases.
func awsCLITest(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("the AWS CLI start-up is slow; skipped in -short mode")
	}
	if _, err := awsBinary(); err != nil {
		t.Skip("aws CLI not on PATH")
	}
	t.Parallel()
}

// awsCLISlots bounds the CLI processes running at once across parallel tests: each one is
// CPU-bound start-up, so more than a few per core only adds memory and context switches.
var awsCLISlots = make(chan struct{}, max(4, 3*runtime.NumCPU()))

// awsBinary finds the CLI once. A pyenv shim re-executes itself through pyenv on every
// call (about a third of each invocation's start-up), so the real script is used instead.
var awsBinary = sync.OnceValues(func() (string, error) {
	bin, err := exec.LookPath("aws")
	if err != nil || filepath.Base(filepath.Dir(bin)) != "shims" {
		return bin, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, werr := exec.CommandContext(ctx, "pyenv", "which", "aws").Output()
	if real := strings.TrimSpace(string(out)); werr == nil && real != "" {
		if _, serr := os.Stat(real); serr == nil {
			return real, nil
		}
	}
	return bin, nil
})

// runAWSCLI runs invocations as the provider account with the endpoint and region given as
// flags (the other route awsCLIAs does not take).
func runAWSCLI(t *testing.T, run *Running, invocations ...[]string) []cliResult {
	t.Helper()
	calls := make([]cliCall, len(invocations))
	for i, args := range invocations {
		calls[i] = cliCall{account: ProviderAccountID, args: args, flags: true}
	}
	return awsCLIAs(t, run, calls...)
}

// awsCLIAs runs the invocations in parallel (each pays ~0.5 s of Python start-up) with no
// shared config or credentials files and --output json; it returns results in order.
func awsCLIAs(t *testing.T, run *Running, calls ...cliCall) []cliResult {
	t.Helper()
	bin, err := awsBinary()
	if err != nil {
		t.Skip("aws CLI not on PATH")
	}
	home := t.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_SECRET_ACCESS_KEY=simulated",
		"AWS_CONFIG_FILE=" + empty,
		"AWS_SHARED_CREDENTIALS_FILE=" + empty,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"AWS_MAX_ATTEMPTS=1",
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "AWS_CA_BUNDLE"} {
		if v, ok := os.LookupEnv(k); ok {
			base = append(base, k+"="+v)
		}
	}
	out := make([]cliResult, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			awsCLISlots <- struct{}{}
			defer func() { <-awsCLISlots }()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			env := append(slices.Clone(base), "AWS_ACCESS_KEY_ID="+AccessKeyFor(c.account))
			args := append(slices.Clone(c.args), "--output", "json")
			if c.flags {
				args = append([]string{"--endpoint-url", run.URL, "--region", "us-east-1"}, args...)
			} else {
				// CLI v1 (botocore) reads only AWS_DEFAULT_REGION; CLI v2 and the SDKs read AWS_REGION.
				env = append(env, "AWS_ENDPOINT_URL="+run.URL, "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1")
			}
			cmd := exec.CommandContext(ctx, bin, args...)
			cmd.Env = append(env, c.env...)
			var o, e bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &e
			err := cmd.Run()
			out[i] = cliResult{o.String(), e.String(), err}
		}()
	}
	wg.Wait()
	return out
}

// cliPhase is one batch of named invocations that run together; later phases depend on
// what earlier ones created.
type cliPhase struct {
	t     *testing.T
	run   *Running
	names []string
	calls []cliCall
	res   map[string]cliResult
}

func newPhase(t *testing.T, run *Running) *cliPhase { return &cliPhase{t: t, run: run} }

func (p *cliPhase) as(name, account string, args ...string) *cliPhase {
	p.names = append(p.names, name)
	p.calls = append(p.calls, cliCall{account: account, args: args})
	return p
}

func (p *cliPhase) prov(name string, args ...string) *cliPhase {
	return p.as(name, ProviderAccountID, args...)
}

func (p *cliPhase) do() *cliPhase {
	p.t.Helper()
	t0 := time.Now()
	out := awsCLIAs(p.t, p.run, p.calls...)
	p.t.Logf("%d aws invocations in %v", len(p.calls), time.Since(t0))
	p.res = map[string]cliResult{}
	for i, n := range p.names {
		if _, dup := p.res[n]; dup {
			p.t.Fatalf("two invocations named %s", n)
		}
		p.res[n] = out[i]
	}
	return p
}

func (p *cliPhase) desc(name string) string {
	i := slices.Index(p.names, name)
	if i < 0 {
		p.t.Fatalf("no invocation named %s", name)
	}
	return "aws " + strings.Join(p.calls[i].args, " ")
}

// decode parses an invocation's JSON output into v; the invocation must have succeeded.
func (p *cliPhase) decode(name string, v any) {
	p.t.Helper()
	r := p.res[name]
	if r.err != nil {
		p.t.Errorf("%s: %v\n%s", p.desc(name), r.err, r.stderr)
		return
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		p.t.Errorf("%s: output is not JSON: %v\n%s", p.desc(name), err, r.stdout)
	}
}

// wantError checks that an invocation failed with this AWS error code.
func (p *cliPhase) wantError(name, code string) {
	p.t.Helper()
	r := p.res[name]
	if r.err == nil || !strings.Contains(r.stderr, "("+code+")") {
		p.t.Errorf("%s: want error %s, got err %v\nstdout %s\nstderr %s", p.desc(name), code, r.err, r.stdout, r.stderr)
	}
}

// wantTrue checks a {"<field>": true} reply (Return / ReturnValue).
func (p *cliPhase) wantTrue(name, field string) {
	p.t.Helper()
	var m map[string]any
	p.decode(name, &m)
	if m != nil && m[field] != true {
		p.t.Errorf("%s: %s is not true: %s", p.desc(name), field, p.res[name].stdout)
	}
}

// JSON shapes the CLI prints (only the fields the test reads).
type (
	cliServiceConfig struct {
		ServiceId, ServiceName, ServiceState, PrivateDnsName, PayerResponsibility string
		AcceptanceRequired                                                        *bool
		ManagesVpcEndpoints                                                       *bool
		AvailabilityZones, AvailabilityZoneIds, NetworkLoadBalancerArns           []string
		BaseEndpointDnsNames, SupportedIpAddressTypes                             []string
		PrivateDnsNameConfiguration                                               *struct{ State, Type, Name, Value string }
		Tags                                                                      []struct{ Key, Value string }
		ServiceType                                                               []struct{ ServiceType string }
	}
	cliConnection struct {
		ServiceId, VpcEndpointId, VpcEndpointOwner, VpcEndpointState, VpcEndpointConnectionId string
		CreationTimestamp                                                                     string
		DnsEntries                                                                            []struct{ DnsName, HostedZoneId string }
		NetworkLoadBalancerArns                                                               []string
	}
	cliConnections struct {
		VpcEndpointConnections []cliConnection
		NextToken              string
	}
	cliUnsuccessful struct {
		Unsuccessful []struct {
			ResourceId string
			Error      struct{ Code, Message string }
		}
	}
	cliEndpoint struct {
		VpcEndpointId, VpcEndpointType, VpcId, ServiceName, State, OwnerId, CreationTimestamp string
		SubnetIds, NetworkInterfaceIds                                                        []string
		Groups                                                                                []struct{ GroupId, GroupName string }
		DnsEntries                                                                            []struct{ DnsName, HostedZoneId string }
		PrivateDnsEnabled                                                                     *bool
		RequesterManaged                                                                      *bool
	}
	cliIdentity struct{ Account, Arn, UserId string }
)

// cliWorld is what the test reads from the world before the CLI runs.
type cliWorld struct {
	payments, ledger *Service
	paymentsName     string
	ledgerName       string
	ledgerDomain     string
	cons             *Account
	vpcID, sgID      string
	inSubnets        []string
	vpcSubnets       int
	spare            string
	nlb              *LoadBalancer
	nlbZones         int
	nlbListeners     int
	nlbTGs           int
	nlbCrossZone     bool
	listenerPort     int
	tgARN            string
	tgCrossZone      string
	nServices        int
	nConns           int
	nLBs             int
	pendingPayments  int
	otherPending     string
	firstPrincipal   string
	nPrincipals      int
}

func TestAWSCLIPrivateLinkLifeCycle(t *testing.T) {
	awsCLITest(t)
	started := time.Now()
	// More connections than one default page (1000), more services than one page of 5.
	e := newEC2Env(t, WorldConfig{Services: 6, Connections: 1100, Static: true})
	var cw cliWorld
	cw.payments = e.serviceByLabel("payments-api")
	cw.ledger = e.serviceByLabel("ledger-ingest")
	cw.cons = e.consumer(cw.payments)
	cw.vpcID, cw.inSubnets, _ = e.subnetsFor(cw.cons, cw.payments)
	cw.spare = e.spareLB(LBTypeNetwork)
	e.read(func(w *World) {
		cw.paymentsName, cw.ledgerName, cw.ledgerDomain = cw.payments.Name, cw.ledger.Name, cw.ledger.PrivateDNSName
		cw.nServices, cw.nConns, cw.nLBs = len(w.ServiceList), len(w.EndpointList), len(w.LoadBalancerList)
		for _, ep := range cw.payments.Endpoints {
			if ep.State == EndpointPendingAcceptance {
				cw.pendingPayments++
				cw.otherPending = ep.ID
			}
		}
		cw.firstPrincipal, cw.nPrincipals = cw.payments.Principals[0].ARN, len(cw.payments.Principals)
		v := w.VPC(cw.vpcID)
		cw.sgID, cw.vpcSubnets = v.SecurityGroups[0].ID, len(v.Subnets)
		cw.nlb = w.LoadBalancer(cw.payments.NLBARNs[0])
		cw.nlbZones, cw.nlbListeners, cw.nlbTGs, cw.nlbCrossZone = len(cw.nlb.Zones), len(cw.nlb.Listeners), len(cw.nlb.TargetGroups), cw.nlb.CrossZone
		cw.listenerPort = int(cw.nlb.Listeners[0].Port)
		cw.tgARN, cw.tgCrossZone = cw.nlb.TargetGroups[0].ARN, cw.nlb.TargetGroups[0].CrossZone
		if !cw.payments.AcceptanceRequired || cw.otherPending == "" || cw.nConns <= 1000 || cw.nServices <= 5 || cw.ledger.PrivateDNSState != DNSPendingVerification {
			t.Fatalf("the world does not fit the test: %+v", cw)
		}
	})
	payments, ledger, cons := cw.payments.ID, cw.ledger.ID, cw.cons.ID
	const newDNSName = "api.cli-test.example.com"
	topic := "arn:aws:sns:us-east-1:" + ProviderAccountID + ":cli-connections"
	createSvc := []string{"ec2", "create-vpc-endpoint-service-configuration", "--network-load-balancer-arns", cw.spare,
		"--acceptance-required", "--private-dns-name", newDNSName, "--client-token", "cli-svc-1",
		"--tag-specifications", "ResourceType=vpc-endpoint-service,Tags=[{Key=Name,Value=cli-test}]"}
	before := e.run.Server.Stats()

	// Phase 1: reads of every kind; a consumer creates an endpoint, the provider a service
	// and a connection notification.
	p1 := newPhase(t, e.run).
		prov("configs", "ec2", "describe-vpc-endpoint-service-configurations", "--page-size", "5").
		prov("connections", "ec2", "describe-vpc-endpoint-connections").
		prov("first150", "ec2", "describe-vpc-endpoint-connections", "--page-size", "100", "--max-items", "150").
		prov("pending", "ec2", "describe-vpc-endpoint-connections", "--filters",
			"Name=vpc-endpoint-state,Values=pendingAcceptance", "Name=service-id,Values="+payments).
		prov("permissions", "ec2", "describe-vpc-endpoint-service-permissions", "--service-id", payments).
		prov("vpcs", "ec2", "describe-vpcs").
		prov("azs", "ec2", "describe-availability-zones").
		prov("createService", createSvc...).
		prov("replay", createSvc...).
		prov("modifyServiceDry", "ec2", "modify-vpc-endpoint-service-configuration", "--service-id", payments, "--no-acceptance-required", "--dry-run").
		prov("createNotification", "ec2", "create-vpc-endpoint-connection-notification", "--service-id", payments,
			"--connection-notification-arn", topic, "--connection-events", "Accept", "Reject").
		prov("acceptDry", "ec2", "accept-vpc-endpoint-connections", "--service-id", payments, "--vpc-endpoint-ids", cw.otherPending, "--dry-run").
		prov("unknownService", "ec2", "describe-vpc-endpoint-service-configurations", "--service-ids", "vpce-svc-00000000000000000").
		prov("lbPage", "elbv2", "describe-load-balancers", "--page-size", "2").
		prov("targetGroups", "elbv2", "describe-target-groups", "--load-balancer-arn", cw.nlb.ARN).
		prov("listeners", "elbv2", "describe-listeners", "--load-balancer-arn", cw.nlb.ARN).
		prov("lbAttrs", "elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", cw.nlb.ARN).
		prov("tgAttrs", "elbv2", "describe-target-group-attributes", "--target-group-arn", cw.tgARN).
		prov("health", "elbv2", "describe-target-health", "--target-group-arn", cw.tgARN).
		prov("whoProvider", "sts", "get-caller-identity").
		as("whoConsumer", cons, "sts", "get-caller-identity").
		as("services", cons, "ec2", "describe-vpc-endpoint-services", "--service-names", cw.paymentsName).
		as("subnets", cons, "ec2", "describe-subnets", "--filters", "Name=vpc-id,Values="+cw.vpcID).
		as("securityGroups", cons, "ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values="+cw.vpcID).
		as("createEndpoint", cons, append([]string{"ec2", "create-vpc-endpoint", "--vpc-endpoint-type", "Interface",
			"--vpc-id", cw.vpcID, "--service-name", cw.paymentsName, "--security-group-ids", cw.sgID,
			"--no-private-dns-enabled", "--client-token", "cli-ep-1", "--subnet-ids"}, cw.inSubnets...)...).
		as("vpcsDry", cons, "ec2", "describe-vpcs", "--dry-run").
		do()
	after := e.run.Server.Stats()

	var created struct {
		VpcEndpoint cliEndpoint
		ClientToken string
	}
	p1.decode("createEndpoint", &created)
	ep := created.VpcEndpoint
	if !strings.HasPrefix(ep.VpcEndpointId, "vpce-") || ep.State != EndpointPendingAcceptance || ep.VpcId != cw.vpcID ||
		ep.ServiceName != cw.paymentsName || ep.OwnerId != cons || ep.VpcEndpointType != "Interface" ||
		len(ep.SubnetIds) != len(cw.inSubnets) || len(ep.Groups) != 1 || ep.Groups[0].GroupId != cw.sgID ||
		ep.PrivateDnsEnabled == nil || *ep.PrivateDnsEnabled || created.ClientToken != "cli-ep-1" {
		t.Errorf("create-vpc-endpoint: %+v (token %q)", ep, created.ClientToken)
	}

	var svcs struct{ ServiceConfigurations []cliServiceConfig }
	p1.decode("configs", &svcs)
	if len(svcs.ServiceConfigurations) != cw.nServices && len(svcs.ServiceConfigurations) != cw.nServices+1 {
		t.Errorf("describe-vpc-endpoint-service-configurations --page-size 5: %d services, want %d", len(svcs.ServiceConfigurations), cw.nServices)
	}
	var ledgerTXT struct{ Name, Value string }
	for _, s := range svcs.ServiceConfigurations {
		switch s.ServiceId {
		case payments:
			if s.ServiceState != ServiceAvailable || s.AcceptanceRequired == nil || !*s.AcceptanceRequired ||
				!slices.Equal(s.NetworkLoadBalancerArns, []string{cw.nlb.ARN}) || len(s.ServiceType) != 1 ||
				s.ServiceType[0].ServiceType != "Interface" || s.ServiceName != cw.paymentsName || len(s.AvailabilityZones) == 0 ||
				len(s.AvailabilityZoneIds) != len(s.AvailabilityZones) || len(s.BaseEndpointDnsNames) == 0 {
				t.Errorf("the payments service as the CLI prints it: %+v", s)
			}
		case ledger:
			if c := s.PrivateDnsNameConfiguration; c == nil || c.State != DNSPendingVerification || c.Type != "TXT" || c.Name == "" || c.Value == "" {
				t.Errorf("the ledger's private DNS configuration: %+v", c)
			} else {
				ledgerTXT.Name, ledgerTXT.Value = c.Name, c.Value
			}
		}
	}

	// Every connection exactly once across the CLI's automatic pages (the consumer's new
	// endpoint may or may not have existed yet when the listing passed its place).
	var all cliConnections
	p1.decode("connections", &all)
	seen := map[string]bool{}
	for _, c := range all.VpcEndpointConnections {
		if seen[c.VpcEndpointId] {
			t.Errorf("connection %s listed twice", c.VpcEndpointId)
		}
		seen[c.VpcEndpointId] = true
	}
	delete(seen, ep.VpcEndpointId)
	if len(seen) != cw.nConns || all.NextToken != "" {
		t.Errorf("describe-vpc-endpoint-connections: %d distinct connections (NextToken %q), want %d", len(seen), all.NextToken, cw.nConns)
	}
	if len(all.VpcEndpointConnections) > 0 {
		c := all.VpcEndpointConnections[0]
		var want Endpoint
		e.read(func(w *World) { want = *w.Endpoint(c.VpcEndpointId) })
		ts, err := time.Parse(time.RFC3339, c.CreationTimestamp)
		if err != nil || !ts.Equal(want.CreatedAt.Truncate(time.Millisecond)) || c.VpcEndpointOwner != want.OwnerID ||
			c.VpcEndpointState != want.State || c.ServiceId != want.ServiceID || len(c.DnsEntries) == 0 ||
			c.VpcEndpointConnectionId != want.ConnectionID || len(c.NetworkLoadBalancerArns) == 0 {
			t.Errorf("the first connection as the CLI prints it: %+v (world: %s %s %s, time %v)", c, want.ID, want.State, want.CreatedAt, err)
		}
	}

	// --max-items stops mid-page and hands back a token to resume from (phase 2).
	var first150 cliConnections
	p1.decode("first150", &first150)
	if len(first150.VpcEndpointConnections) != 150 || first150.NextToken == "" {
		t.Errorf("--max-items 150: %d connections, NextToken %q", len(first150.VpcEndpointConnections), first150.NextToken)
	}

	var pend cliConnections
	p1.decode("pending", &pend)
	n := 0
	for _, c := range pend.VpcEndpointConnections {
		if c.VpcEndpointState != EndpointPendingAcceptance || c.ServiceId != payments {
			t.Errorf("the filter let %+v through", c)
		}
		if c.VpcEndpointId != ep.VpcEndpointId {
			n++
		}
	}
	if n != cw.pendingPayments {
		t.Errorf("pendingAcceptance filter: %d connections, want %d", n, cw.pendingPayments)
	}

	var perms struct {
		AllowedPrincipals []struct{ Principal, PrincipalType, ServicePermissionId, ServiceId string }
	}
	p1.decode("permissions", &perms)
	if len(perms.AllowedPrincipals) != cw.nPrincipals || perms.AllowedPrincipals[0].Principal != cw.firstPrincipal ||
		!strings.HasPrefix(perms.AllowedPrincipals[0].ServicePermissionId, "vpce-svc-perm-") || perms.AllowedPrincipals[0].ServiceId != payments {
		t.Errorf("describe-vpc-endpoint-service-permissions: %+v", perms)
	}

	var vpcs struct {
		Vpcs []struct {
			VpcId, OwnerId, CidrBlock, State string
			IsDefault                        *bool
		}
	}
	p1.decode("vpcs", &vpcs)
	if len(vpcs.Vpcs) == 0 || vpcs.Vpcs[0].OwnerId != ProviderAccountID || vpcs.Vpcs[0].State != "available" ||
		vpcs.Vpcs[0].CidrBlock == "" || vpcs.Vpcs[0].IsDefault == nil {
		t.Errorf("describe-vpcs: %+v", vpcs)
	}

	var azs struct {
		AvailabilityZones []struct{ ZoneName, ZoneId, State, RegionName, ZoneType string }
	}
	p1.decode("azs", &azs)
	if len(azs.AvailabilityZones) < 3 || azs.AvailabilityZones[0].ZoneName != "us-east-1a" ||
		!strings.HasPrefix(azs.AvailabilityZones[0].ZoneId, "use1-az") || azs.AvailabilityZones[0].State != "available" ||
		azs.AvailabilityZones[0].RegionName != "us-east-1" {
		t.Errorf("describe-availability-zones: %+v", azs)
	}

	var newSvc struct {
		ServiceConfiguration cliServiceConfig
		ClientToken          string
	}
	p1.decode("createService", &newSvc)
	svc := newSvc.ServiceConfiguration
	if !strings.HasPrefix(svc.ServiceId, "vpce-svc-") || svc.ServiceState != ServicePending ||
		svc.AcceptanceRequired == nil || !*svc.AcceptanceRequired || svc.PrivateDnsName != newDNSName ||
		svc.PrivateDnsNameConfiguration == nil || svc.PrivateDnsNameConfiguration.State != DNSPendingVerification ||
		newSvc.ClientToken != "cli-svc-1" || len(svc.Tags) != 1 || svc.Tags[0].Value != "cli-test" {
		t.Errorf("create-vpc-endpoint-service-configuration: %+v (token %q)", svc, newSvc.ClientToken)
	}
	// The same request again (at the same moment): the same service, not a second one.
	var replay struct{ ServiceConfiguration cliServiceConfig }
	p1.decode("replay", &replay)
	if replay.ServiceConfiguration.ServiceId != svc.ServiceId {
		t.Errorf("ClientToken replay answered with service %q, want %s", replay.ServiceConfiguration.ServiceId, svc.ServiceId)
	}
	p1.wantError("modifyServiceDry", "DryRunOperation")

	var nfn struct {
		ConnectionNotification struct {
			ConnectionNotificationId, ServiceId, ConnectionNotificationArn, ConnectionNotificationState, ConnectionNotificationType string
			ConnectionEvents                                                                                                        []string
		}
	}
	p1.decode("createNotification", &nfn)
	note := nfn.ConnectionNotification
	if !strings.HasPrefix(note.ConnectionNotificationId, "vpce-nfn-") || note.ServiceId != payments || note.ConnectionNotificationArn != topic ||
		note.ConnectionNotificationState != "Enabled" || note.ConnectionNotificationType != "Topic" || len(note.ConnectionEvents) != 2 {
		t.Errorf("create-vpc-endpoint-connection-notification: %+v", note)
	}
	p1.wantError("acceptDry", "DryRunOperation")
	e.read(func(w *World) {
		if st := w.Endpoint(cw.otherPending).State; st != EndpointPendingAcceptance {
			t.Errorf("the dry-run accept changed the endpoint to %s", st)
		}
	})
	p1.wantError("vpcsDry", "DryRunOperation")
	p1.wantError("unknownService", "InvalidVpcEndpointServiceId.NotFound")

	// elbv2's own PageSize parameter turns the CLI's automatic paging off: the reply carries
	// NextMarker, which phase 2 follows by hand.
	type cliLB struct {
		LoadBalancerArn, LoadBalancerName, Type, Scheme, VpcId, DNSName, CreatedTime string
		State                                                                        struct{ Code string }
		AvailabilityZones                                                            []struct{ ZoneName, SubnetId string }
	}
	var lbPage struct {
		LoadBalancers []cliLB
		NextMarker    string
	}
	p1.decode("lbPage", &lbPage)
	if len(lbPage.LoadBalancers) != 2 || lbPage.NextMarker == "" {
		t.Errorf("describe-load-balancers --page-size 2: %d load balancers, NextMarker %q", len(lbPage.LoadBalancers), lbPage.NextMarker)
	}

	var tgs struct {
		TargetGroups []struct {
			TargetGroupArn, TargetGroupName, Protocol, TargetType, HealthCheckProtocol string
			Port                                                                       int
			HealthCheckEnabled                                                         *bool
			LoadBalancerArns                                                           []string
		}
	}
	p1.decode("targetGroups", &tgs)
	if len(tgs.TargetGroups) != cw.nlbTGs || tgs.TargetGroups[0].TargetGroupArn != cw.tgARN || tgs.TargetGroups[0].Port == 0 ||
		tgs.TargetGroups[0].HealthCheckEnabled == nil || !slices.Contains(tgs.TargetGroups[0].LoadBalancerArns, cw.nlb.ARN) {
		t.Errorf("describe-target-groups: %+v", tgs)
	}

	var listeners struct {
		Listeners []struct {
			ListenerArn, LoadBalancerArn, Protocol string
			Port                                   int
			DefaultActions                         []struct{ Type, TargetGroupArn string }
		}
	}
	p1.decode("listeners", &listeners)
	if len(listeners.Listeners) != cw.nlbListeners || listeners.Listeners[0].LoadBalancerArn != cw.nlb.ARN ||
		listeners.Listeners[0].Port != cw.listenerPort || len(listeners.Listeners[0].DefaultActions) == 0 ||
		listeners.Listeners[0].DefaultActions[0].Type != "forward" {
		t.Errorf("describe-listeners: %+v", listeners)
	}

	type kv = struct{ Key, Value string }
	attr := func(as []kv, key string) string {
		for _, a := range as {
			if a.Key == key {
				return a.Value
			}
		}
		return "<absent>"
	}
	var lbAttrs, tgAttrs struct{ Attributes []kv }
	p1.decode("lbAttrs", &lbAttrs)
	p1.decode("tgAttrs", &tgAttrs)
	if v := attr(lbAttrs.Attributes, "load_balancing.cross_zone.enabled"); v != fmt.Sprint(cw.nlbCrossZone) {
		t.Errorf("describe-load-balancer-attributes: cross zone %s, want %v: %+v", v, cw.nlbCrossZone, lbAttrs)
	}
	if v := attr(tgAttrs.Attributes, "load_balancing.cross_zone.enabled"); v != cw.tgCrossZone {
		t.Errorf("describe-target-group-attributes: cross zone %s, want %s: %+v", v, cw.tgCrossZone, tgAttrs)
	}

	var health struct {
		TargetHealthDescriptions []struct {
			Target       struct{ Id, AvailabilityZone string }
			TargetHealth struct{ State, Reason, Description string }
		}
	}
	p1.decode("health", &health)
	e.read(func(w *World) {
		targets := w.TargetGroup(cw.tgARN).Targets
		if len(health.TargetHealthDescriptions) != len(targets) {
			t.Errorf("describe-target-health: %d targets, want %d", len(health.TargetHealthDescriptions), len(targets))
			return
		}
		for i, th := range health.TargetHealthDescriptions {
			tg := targets[i]
			if th.Target.Id != tg.ID || th.Target.AvailabilityZone != tg.AZ || th.TargetHealth.State != tg.State ||
				th.TargetHealth.Reason != tg.Reason || (tg.Reason != "") != (th.TargetHealth.Description != "") {
				t.Errorf("target %d: CLI %+v, world %s %s %s", i, th, tg.ID, tg.State, tg.Reason)
			}
		}
	})

	var provID, consID cliIdentity
	p1.decode("whoProvider", &provID)
	p1.decode("whoConsumer", &consID)
	if provID.Account != ProviderAccountID || consID.Account != cons || !strings.HasPrefix(consID.Arn, "arn:aws:") || consID.UserId == "" {
		t.Errorf("get-caller-identity: provider %+v, consumer %+v", provID, consID)
	}

	var details struct {
		ServiceDetails []struct {
			ServiceName, ServiceId, Owner string
			AcceptanceRequired            *bool
			AvailabilityZones             []string
			ServiceType                   []struct{ ServiceType string }
		}
	}
	p1.decode("services", &details)
	if len(details.ServiceDetails) != 1 || details.ServiceDetails[0].ServiceId != payments ||
		details.ServiceDetails[0].Owner != ProviderAccountID || details.ServiceDetails[0].AcceptanceRequired == nil ||
		!*details.ServiceDetails[0].AcceptanceRequired || len(details.ServiceDetails[0].AvailabilityZones) == 0 {
		t.Errorf("the consumer's describe-vpc-endpoint-services: %+v", details)
	}

	var subnets struct {
		Subnets []struct {
			SubnetId, VpcId, AvailabilityZone, AvailabilityZoneId, CidrBlock, OwnerId string
			AvailableIpAddressCount                                                   int
		}
	}
	p1.decode("subnets", &subnets)
	if len(subnets.Subnets) != cw.vpcSubnets {
		t.Errorf("describe-subnets with a vpc-id filter: %d subnets, want %d", len(subnets.Subnets), cw.vpcSubnets)
	}
	e.read(func(w *World) {
		for _, sn := range subnets.Subnets {
			azID := w.AZID(cw.cons, sn.AvailabilityZone)
			if sn.VpcId != cw.vpcID || sn.OwnerId != cons || azID == "" || sn.AvailabilityZoneId != azID || sn.AvailableIpAddressCount == 0 {
				t.Errorf("subnet %+v, want AZ id %s", sn, azID)
			}
		}
	})

	var sgs struct {
		SecurityGroups []struct{ GroupId, GroupName, VpcId, OwnerId, Description string }
	}
	p1.decode("securityGroups", &sgs)
	if len(sgs.SecurityGroups) == 0 || sgs.SecurityGroups[0].GroupId != cw.sgID || sgs.SecurityGroups[0].VpcId != cw.vpcID ||
		sgs.SecurityGroups[0].OwnerId != cons || sgs.SecurityGroups[0].GroupName == "" {
		t.Errorf("describe-security-groups: %+v", sgs)
	}

	// The CLI paged by itself: ceil(N/1000) requests for the full listing, two for 150 items
	// at --page-size 100, one for the filtered listing; two pages of services at 5.
	for _, c := range []struct {
		op   string
		want int
	}{
		{"DescribeVpcEndpointConnections", (cw.nConns+999)/1000 + 2 + 1},
		{"DescribeVpcEndpointServiceConfigurations", (cw.nServices+4)/5 + 1},
	} {
		if got := after.Count("ec2", c.op) - before.Count("ec2", c.op); got != int64(c.want) {
			t.Errorf("%s requests: %d, want %d", c.op, got, c.want)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// Publish the ledger's TXT record as its operator would (AWS shows the record name
	// relative to the private DNS name), before asking for verification.
	recName := ledgerTXT.Name
	if !strings.HasSuffix(recName, "."+cw.ledgerDomain) {
		recName += "." + cw.ledgerDomain
	}
	body, _ := json.Marshal(map[string]string{"name": recName, "value": ledgerTXT.Value})
	req, _ := http.NewRequest(http.MethodPut, e.run.URL+"/_sim/dns", bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("publish TXT: %s", resp.Status)
	}

	// Phase 2: the provider sees the consumer's request; modifications,
	// a reject with one unknown id, DNS verification, resuming both listings.
	p2 := newPhase(t, e.run).
		prov("mine", "ec2", "describe-vpc-endpoint-connections", "--filters", "Name=vpc-endpoint-id,Values="+ep.VpcEndpointId).
		as("consumerView", cons, "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", ep.VpcEndpointId).
		prov("modifyService", "ec2", "modify-vpc-endpoint-service-configuration", "--service-id", svc.ServiceId, "--no-acceptance-required").
		prov("addPrincipal", "ec2", "modify-vpc-endpoint-service-permissions", "--service-id", svc.ServiceId,
			"--add-allowed-principals", "arn:aws:iam::"+cons+":root").
		prov("modifyNotification", "ec2", "modify-vpc-endpoint-connection-notification", "--connection-notification-id",
			note.ConnectionNotificationId, "--connection-events", "Accept").
		prov("payer", "ec2", "modify-vpc-endpoint-service-payer-responsibility", "--service-id", payments,
			"--payer-responsibility", "ServiceOwner").
		prov("reject", "ec2", "reject-vpc-endpoint-connections", "--service-id", payments,
			"--vpc-endpoint-ids", cw.otherPending, "vpce-00000000000000000").
		prov("verify", "ec2", "start-vpc-endpoint-service-private-dns-verification", "--service-id", ledger).
		prov("rest", "ec2", "describe-vpc-endpoint-connections", "--page-size", "100", "--starting-token", first150.NextToken).
		prov("lbRest", "elbv2", "describe-load-balancers", "--marker", lbPage.NextMarker).
		do()

	var mine cliConnections
	p2.decode("mine", &mine)
	if len(mine.VpcEndpointConnections) != 1 || mine.VpcEndpointConnections[0].VpcEndpointState != EndpointPendingAcceptance ||
		mine.VpcEndpointConnections[0].VpcEndpointOwner != cons || mine.VpcEndpointConnections[0].ServiceId != payments {
		t.Errorf("the provider's view of the consumer's new endpoint: %+v", mine)
	}
	var eps struct{ VpcEndpoints []cliEndpoint }
	p2.decode("consumerView", &eps)
	if len(eps.VpcEndpoints) != 1 || eps.VpcEndpoints[0].State != EndpointPendingAcceptance || eps.VpcEndpoints[0].CreationTimestamp == "" {
		t.Errorf("the consumer's view of its new endpoint: %+v", eps)
	}
	p2.wantTrue("modifyService", "Return")
	var added struct {
		ReturnValue     *bool
		AddedPrincipals []struct{ Principal, PrincipalType, ServicePermissionId, ServiceId string }
	}
	p2.decode("addPrincipal", &added)
	if added.ReturnValue == nil || !*added.ReturnValue || len(added.AddedPrincipals) != 1 ||
		added.AddedPrincipals[0].Principal != "arn:aws:iam::"+cons+":root" || added.AddedPrincipals[0].PrincipalType != "Account" ||
		added.AddedPrincipals[0].ServiceId != svc.ServiceId {
		t.Errorf("modify-vpc-endpoint-service-permissions: %s", p2.res["addPrincipal"].stdout)
	}
	p2.wantTrue("modifyNotification", "ReturnValue")
	p2.wantTrue("payer", "ReturnValue")
	var rej cliUnsuccessful
	p2.decode("reject", &rej)
	if len(rej.Unsuccessful) != 1 || rej.Unsuccessful[0].ResourceId != "vpce-00000000000000000" ||
		rej.Unsuccessful[0].Error.Code != "InvalidVpcEndpointId.NotFound" || rej.Unsuccessful[0].Error.Message == "" {
		t.Errorf("reject with one unknown id: %+v", rej)
	}
	p2.wantTrue("verify", "ReturnValue")

	// The resumed listing continues after the first 150; with the consumer's new endpoint
	// every connection has now been listed exactly once.
	var rest cliConnections
	p2.decode("rest", &rest)
	listed := map[string]bool{}
	for _, c := range append(first150.VpcEndpointConnections, rest.VpcEndpointConnections...) {
		if listed[c.VpcEndpointId] {
			t.Errorf("--starting-token listed %s again", c.VpcEndpointId)
		}
		listed[c.VpcEndpointId] = true
	}
	if len(listed) != cw.nConns+1 || !listed[ep.VpcEndpointId] {
		t.Errorf("--max-items 150 then --starting-token: %d distinct connections, want %d", len(listed), cw.nConns+1)
	}
	var lbRest struct {
		LoadBalancers []cliLB
		NextMarker    string
	}
	p2.decode("lbRest", &lbRest)
	lbs := append(lbPage.LoadBalancers, lbRest.LoadBalancers...)
	if len(lbs) != cw.nLBs || lbRest.NextMarker != "" {
		t.Errorf("describe-load-balancers in two pages: %d, want %d (NextMarker %q)", len(lbs), cw.nLBs, lbRest.NextMarker)
	}
	for _, lb := range lbs {
		if lb.LoadBalancerArn == cw.nlb.ARN && (lb.Type != LBTypeNetwork || lb.State.Code == "" || lb.LoadBalancerName != cw.nlb.Name ||
			len(lb.AvailabilityZones) != cw.nlbZones || lb.CreatedTime == "" || lb.DNSName == "") {
			t.Errorf("the payments NLB as the CLI prints it: %+v", lb)
		}
	}
	e.read(func(w *World) {
		if st := w.Endpoint(cw.otherPending).State; st != EndpointRejected {
			t.Errorf("the rejected endpoint is %s", st)
		}
		if s := w.Service(svc.ServiceId); s == nil || s.AcceptanceRequired || !s.AllowsAccount(cons) {
			t.Errorf("the modified service: %+v", s)
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	// Phase 3: the provider accepts the consumer's request (and one unknown id); the
	// original create of the service, replayed after the modify, still names that service.
	p3 := newPhase(t, e.run).
		prov("accept", "ec2", "accept-vpc-endpoint-connections", "--service-id", payments, "--vpc-endpoint-ids",
			ep.VpcEndpointId, "vpce-00000000000000001").
		prov("replayAfterModify", createSvc...).
		do()
	replay.ServiceConfiguration = cliServiceConfig{}
	p3.decode("replayAfterModify", &replay)
	if replay.ServiceConfiguration.ServiceId != svc.ServiceId {
		t.Errorf("ClientToken replay after modify answered with service %q, want %s", replay.ServiceConfiguration.ServiceId, svc.ServiceId)
	}
	var acc cliUnsuccessful
	p3.decode("accept", &acc)
	if len(acc.Unsuccessful) != 1 || acc.Unsuccessful[0].ResourceId != "vpce-00000000000000001" ||
		acc.Unsuccessful[0].Error.Code != "InvalidVpcEndpointId.NotFound" {
		t.Errorf("accept with one unknown id: %+v", acc)
	}
	e.read(func(w *World) {
		if st := w.Endpoint(ep.VpcEndpointId).State; st != EndpointPending {
			t.Errorf("right after accept the endpoint is %s, want pending", st)
		}
	})

	// Time passes: the endpoint becomes available, the new service too, and the ledger's
	// verification finds its TXT record.
	e.advance(DNSVerifyDelay + PendingToAvailableDelay + ServiceCreateDelay)
	p4 := newPhase(t, e.run).
		prov("mine", "ec2", "describe-vpc-endpoint-connections", "--filters", "Name=vpc-endpoint-id,Values="+ep.VpcEndpointId+","+cw.otherPending).
		as("available", cons, "ec2", "describe-vpc-endpoints", "--filters", "Name=vpc-endpoint-state,Values=available",
			"Name=service-name,Values="+cw.paymentsName).
		prov("configs", "ec2", "describe-vpc-endpoint-service-configurations", "--filters", "Name=service-id,Values="+svc.ServiceId+","+ledger).
		prov("notifications", "ec2", "describe-vpc-endpoint-connection-notifications", "--connection-notification-id", note.ConnectionNotificationId).
		do()
	p4.decode("mine", &mine)
	states := map[string]string{}
	for _, c := range mine.VpcEndpointConnections {
		states[c.VpcEndpointId] = c.VpcEndpointState
	}
	if len(states) != 2 || states[ep.VpcEndpointId] != EndpointAvailable || states[cw.otherPending] != EndpointRejected {
		t.Errorf("accepted and rejected connections as the provider sees them: %v", states)
	}
	eps.VpcEndpoints = nil
	p4.decode("available", &eps)
	var found *cliEndpoint
	for i, x := range eps.VpcEndpoints {
		if x.VpcEndpointId == ep.VpcEndpointId {
			found = &eps.VpcEndpoints[i]
		}
		if x.State != EndpointAvailable || x.ServiceName != cw.paymentsName {
			t.Errorf("the filters let %s (%s, %s) through", x.VpcEndpointId, x.State, x.ServiceName)
		}
	}
	if found == nil || len(found.NetworkInterfaceIds) != len(cw.inSubnets) || len(found.DnsEntries) == 0 {
		t.Errorf("the consumer's available endpoint: %+v (of %d)", found, len(eps.VpcEndpoints))
	}
	svcs.ServiceConfigurations = nil
	p4.decode("configs", &svcs)
	if len(svcs.ServiceConfigurations) != 2 {
		t.Errorf("service-id filter with two values: %+v", svcs)
	}
	for _, s := range svcs.ServiceConfigurations {
		if s.ServiceId == ledger && (s.PrivateDnsNameConfiguration == nil || s.PrivateDnsNameConfiguration.State != DNSVerified) {
			t.Errorf("the ledger's DNS name with its TXT record published: %+v", s.PrivateDnsNameConfiguration)
		}
		if s.ServiceId == svc.ServiceId && (s.ServiceState != ServiceAvailable || s.AcceptanceRequired == nil || *s.AcceptanceRequired) {
			t.Errorf("the new service after modify and %v: %+v", ServiceCreateDelay, s)
		}
	}
	var nset struct {
		ConnectionNotificationSet []struct {
			ConnectionNotificationId string
			ConnectionEvents         []string
		}
	}
	p4.decode("notifications", &nset)
	if len(nset.ConnectionNotificationSet) != 1 || !slices.Equal(nset.ConnectionNotificationSet[0].ConnectionEvents, []string{"Accept"}) {
		t.Errorf("the notification after modify: %+v", nset)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Phase 5: the consumer deletes its endpoint; the provider deletes the notification and
	// the new service.
	p5 := newPhase(t, e.run).
		as("deleteEndpoint", cons, "ec2", "delete-vpc-endpoints", "--vpc-endpoint-ids", ep.VpcEndpointId).
		prov("deleteNotification", "ec2", "delete-vpc-endpoint-connection-notifications", "--connection-notification-ids", note.ConnectionNotificationId).
		prov("deleteService", "ec2", "delete-vpc-endpoint-service-configurations", "--service-ids", svc.ServiceId).
		do()
	for _, name := range []string{"deleteEndpoint", "deleteNotification", "deleteService"} {
		var u cliUnsuccessful
		p5.decode(name, &u)
		if len(u.Unsuccessful) != 0 {
			t.Errorf("%s: %+v", p5.desc(name), u)
		}
	}
	p6 := newPhase(t, e.run).
		prov("mine", "ec2", "describe-vpc-endpoint-connections", "--filters", "Name=vpc-endpoint-id,Values="+ep.VpcEndpointId).
		do()
	mine.VpcEndpointConnections = nil
	p6.decode("mine", &mine)
	if len(mine.VpcEndpointConnections) != 1 || (mine.VpcEndpointConnections[0].VpcEndpointState != EndpointDeleting &&
		mine.VpcEndpointConnections[0].VpcEndpointState != EndpointDeleted) {
		t.Errorf("the deleted endpoint as the provider sees it: %+v", mine)
	}
	e.read(func(w *World) {
		if w.Notification(note.ConnectionNotificationId) != nil {
			t.Errorf("the deleted notification still exists")
		}
		if s := w.Service(svc.ServiceId); s != nil && s.State != ServiceDeleting && s.State != ServiceDeleted {
			t.Errorf("the deleted service is %s", s.State)
		}
	})
	t.Logf("AWS CLI life cycle: %v", time.Since(started))
}

// The CLI recognises the simulated throttling errors (EC2 RequestLimitExceeded, ELB and
// CloudWatch Throttling) by code and retries them: with every request throttled and two
// attempts allowed, each call reports the code after one retry.
func TestAWSCLIRetriesThrottledCalls(t *testing.T) {
	awsCLITest(t)
	run := startReadSim(t, WorldConfig{})
	run.Server.Faults().Set(FaultConfig{ThrottleRatio: 1})
	twice := []string{"AWS_MAX_ATTEMPTS=2"}
	calls := []struct {
		service, op, code string
		args              []string
	}{
		{"ec2", "DescribeVpcEndpointConnections", "RequestLimitExceeded", []string{"ec2", "describe-vpc-endpoint-connections"}},
		{"elasticloadbalancing", "DescribeLoadBalancers", "Throttling", []string{"elbv2", "describe-load-balancers"}},
		{"monitoring", "ListMetrics", "Throttling", []string{"cloudwatch", "list-metrics"}},
	}
	var cc []cliCall
	for _, c := range calls {
		cc = append(cc, cliCall{account: ProviderAccountID, args: c.args, env: twice})
	}
	res := awsCLIAs(t, run, cc...)
	st := run.Server.Stats()
	for i, c := range calls {
		if res[i].err == nil || !strings.Contains(res[i].stderr, "("+c.code+")") || !strings.Contains(res[i].stderr, "reached max retries: 1") {
			t.Errorf("%s with every request throttled: err %v, stderr %s", c.op, res[i].err, res[i].stderr)
		}
		if got := st.Requests[c.service][c.op]; got.Total != 2 || got.Throttled != 2 {
			t.Errorf("%s: %+v, want two throttled attempts", c.op, got)
		}
	}
}
