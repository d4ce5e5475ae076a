package awsops

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

func findService(t *testing.T, c *Client, label string) model.EndpointService {
	t.Helper()
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.DisplayName == label {
			return s
		}
	}
	t.Fatalf("no service %q", label)
	return model.EndpointService{}
}

func connectionsIn(t *testing.T, c *Client, serviceID string, st model.ConnectionState) []string {
	t.Helper()
	conns, err := c.ListConnections(ctxT(t), serviceID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, cn := range conns {
		if cn.State == st {
			ids = append(ids, cn.EndpointID)
		}
	}
	return ids
}

func stateOf(t *testing.T, c *Client, serviceID, endpointID string) model.ConnectionState {
	t.Helper()
	return connectionByID(t, c, serviceID, endpointID).State
}

// readAudit returns the audit log's outcome lines, after checking the file's mode and that
// every write sent has exactly one attempt line before its one outcome line.
func readAudit(t *testing.T, c *Client) []AuditEntry {
	t.Helper()
	st, err := os.Stat(c.AuditPath())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v, want 0600", st.Mode().Perm())
	}
	f, err := os.Open(c.AuditPath())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []AuditEntry
	attempts := map[string]AuditEntry{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20) // a bulk write's line names thousands of ids
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "SIMU") || strings.Contains(line, demoSecretAccessKey) {
			t.Errorf("audit line holds credentials: %s", line)
		}
		var e AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		switch e.Phase {
		case AuditAttempt:
			if _, dup := attempts[e.WriteID]; dup || e.Result != "" || e.WriteID == "" {
				t.Errorf("attempt line %s: a second one, a result, or no id", line)
			}
			attempts[e.WriteID] = e
		case AuditOutcome:
			a, sent := attempts[e.WriteID]
			delete(attempts, e.WriteID)
			switch {
			case e.Result == AuditRefused && !sent:
			case !sent:
				t.Errorf("outcome with no attempt before it: %s", line)
			case a.Operation != e.Operation || strings.Join(a.Targets, ",") != strings.Join(e.Targets, ","):
				t.Errorf("attempt and outcome of %s disagree on what was sent", e.WriteID)
			}
			out = append(out, e)
		default:
			t.Errorf("audit line without a phase: %s", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the audit log: %v", err)
	}
	for id := range attempts {
		t.Errorf("write %s has an attempt and no outcome", id)
	}
	return out
}

func TestAcceptAndRejectConnections(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "payments-api")
	pending := connectionsIn(t, c, svc.ID, model.StatePendingAcceptance)
	if len(pending) < 3 {
		t.Fatalf("payments-api has %d pending connections, want ≥3", len(pending))
	}
	run.Server.ResetStats()
	res, err := c.AcceptConnections(ctxT(t), svc.ID, pending[:2])
	if err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "ec2", "AcceptVpcEndpointConnections"); n != 1 {
		t.Errorf("%d accept requests for 2 endpoints, want 1", n)
	}
	if len(res) != 2 || !res[0].OK || !res[1].OK || res[0].ID != pending[0] {
		t.Fatalf("accept results = %+v", res)
	}
	for _, id := range pending[:2] {
		if st := stateOf(t, c, svc.ID, id); st != model.StatePending && st != model.StateAvailable {
			t.Errorf("accepted %s is %s", id, st)
		}
	}
	res, err = c.RejectConnections(ctxT(t), svc.ID, pending[2:3])
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].OK {
		t.Fatalf("reject results = %+v", res)
	}
	if st := stateOf(t, c, svc.ID, pending[2]); st != model.StateRejected {
		t.Errorf("rejected %s is %s", pending[2], st)
	}

	audit := readAudit(t, c)
	if len(audit) != 2 {
		t.Fatalf("audit has %d lines, want 2", len(audit))
	}
	a := audit[0]
	if a.Operation != "ec2:AcceptVpcEndpointConnections" || a.Result != AuditOK || a.CallerARN != c.Identity().ARN ||
		a.Region != "us-east-1" || a.Account != providerAccount || len(a.RequestIDs) != 1 || a.Time.IsZero() ||
		len(a.Targets) != 3 || a.Targets[0] != svc.ID || a.Mode != string(model.ModeDemo) {
		t.Errorf("audit entry = %+v", a)
	}
	if audit[1].Operation != "ec2:RejectVpcEndpointConnections" {
		t.Errorf("second audit entry = %+v", audit[1])
	}
}

// A bulk accept where some endpoints cannot be accepted reports each one on its own; one that
// is accepted already is reported as such (the state asked for holds), while the audit keeps
// what AWS answered.
func TestAcceptPartialFailure(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "payments-api")
	pending := connectionsIn(t, c, svc.ID, model.StatePendingAcceptance)
	available := connectionsIn(t, c, svc.ID, model.StateAvailable)
	if len(pending) == 0 || len(available) == 0 {
		t.Fatalf("need pending and available connections: %d, %d", len(pending), len(available))
	}
	missing := "vpce-0123456789abcdef0"
	ids := []string{pending[0], available[0], missing}
	res, err := c.AcceptConnections(ctxT(t), svc.ID, ids)
	if err != nil {
		t.Fatalf("a partial failure is not an error of the call: %v", err)
	}
	if len(res) != 3 {
		t.Fatalf("results = %+v", res)
	}
	byID := map[string]model.ItemResult{}
	for _, r := range res {
		byID[r.ID] = r
	}
	if !byID[pending[0]].OK {
		t.Errorf("pending endpoint not accepted: %+v", byID[pending[0]])
	}
	if r := byID[available[0]]; !r.OK || !strings.Contains(r.Message, "already accepted") {
		t.Errorf("result for the available endpoint = %+v, want already accepted", r)
	}
	if r := byID[missing]; r.OK || r.Code == "" || r.Message == "" || !strings.HasSuffix(r.Message, ".") {
		t.Errorf("result for %s = %+v, want a failure with code and sentence", missing, r)
	}
	audit := readAudit(t, c)
	if len(audit) != 1 || audit[0].Result != AuditPartial || len(audit[0].Failed) != 2 {
		t.Errorf("audit = %+v", audit)
	}
}

func TestCreateServiceIsIdempotent(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	lbs, err := c.ListLoadBalancers(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var spare string
	for _, lb := range lbs {
		if lb.Name == "orders-nlb" {
			spare = lb.ARN
		}
	}
	if spare == "" {
		t.Fatal("no spare NLB orders-nlb")
	}
	in := model.CreateServiceInput{
		NetworkLoadBalancerARNs: []string{spare},
		AcceptanceRequired:      true,
		Tags:                    map[string]string{"Name": "orders-api", "team": "orders"},
		ClientToken:             "plconsole-test-token-1",
	}
	first, err := c.CreateService(ctxT(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.ID, "vpce-svc-") || first.DisplayName != "orders-api" || !first.AcceptanceRequired ||
		len(first.NetworkLoadBalancers) != 1 {
		t.Errorf("created = %+v", first)
	}
	again, err := c.CreateService(ctxT(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Errorf("same ClientToken created a second service: %s and %s", first.ID, again.ID)
	}
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 4 {
		t.Errorf("%d services after creating one, want 4", len(svcs))
	}

	// Delete it: it has no connections, so it goes.
	if err := c.DeleteService(ctxT(t), first.ID); err != nil {
		t.Fatal(err)
	}
	svcs, err = c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.ID == first.ID && s.State != model.ServiceDeleting && s.State != model.ServiceDeleted {
			t.Errorf("deleted service is %s", s.State)
		}
	}
}

func TestModifyServiceAndPrincipals(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "ledger-ingest")
	no := false
	if err := c.ModifyService(ctxT(t), model.ModifyServiceInput{
		ServiceID: svc.ID, AcceptanceRequired: &no, AddSupportedRegions: []string{"eu-west-1"},
	}); err != nil {
		t.Fatal(err)
	}
	principal := "arn:aws:iam::444455556666:root"
	if err := c.AddPrincipals(ctxT(t), svc.ID, []string{principal}); err != nil {
		t.Fatal(err)
	}
	d, err := c.ServiceDetail(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.AcceptanceRequired {
		t.Error("acceptance still required after ModifyService")
	}
	found := false
	for _, r := range d.SupportedRegions {
		found = found || r.Region == "eu-west-1"
	}
	if !found {
		t.Errorf("supported regions = %+v", d.SupportedRegions)
	}
	if !hasPrincipal(d, principal) {
		t.Errorf("principals = %+v", d.AllowedPrincipals)
	}
	if err := c.RemovePrincipals(ctxT(t), svc.ID, []string{principal}); err != nil {
		t.Fatal(err)
	}
	d, err = c.ServiceDetail(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if hasPrincipal(d, principal) {
		t.Error("principal still allowed after RemovePrincipals")
	}
}

func hasPrincipal(s model.EndpointService, arn string) bool {
	for _, p := range s.AllowedPrincipals {
		if p.ARN == arn {
			return true
		}
	}
	return false
}

func TestDNSVerificationAndPayer(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "ledger-ingest")
	if svc.PrivateDNS == nil {
		t.Fatal("ledger-ingest has no private DNS name")
	}
	if err := c.StartDNSVerification(ctxT(t), svc.ID); err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "ec2", "StartVpcEndpointServicePrivateDnsVerification"); n != 1 {
		t.Errorf("%d verification requests", n)
	}
	if err := c.SetPayerResponsibility(ctxT(t), svc.ID, model.PayerServiceOwner); err != nil {
		t.Fatal(err)
	}
	d, err := c.ServiceDetail(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.PayerResponsibility != model.PayerServiceOwner {
		t.Errorf("payer = %q", d.PayerResponsibility)
	}
}

func TestNotifications(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "search-gateway")
	topic := "arn:aws:sns:us-east-1:111122223333:search-events"
	n, err := c.CreateNotification(ctxT(t), svc.ID, topic, []model.NotificationEvent{model.EventAccept, model.EventReject})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(n.ID, "vpce-nfn-") || n.TopicARN != topic || len(n.Events) != 2 {
		t.Errorf("notification = %+v", n)
	}
	d, err := c.ServiceDetail(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Notifications) != 1 || d.Notifications[0].ID != n.ID {
		t.Errorf("notifications = %+v", d.Notifications)
	}
	res, err := c.DeleteNotifications(ctxT(t), []string{n.ID, "vpce-nfn-0123456789abcdef0"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !res[0].OK || res[1].OK || res[1].Code == "" {
		t.Errorf("delete results = %+v", res)
	}
}

func TestConsumerEndpointLifecycle(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	prov := newClient(t, run, providerAccount)
	svc := findService(t, prov, "search-gateway") // principal "*", no acceptance
	consumer := run.ConsumerAccounts()[0]
	c := newClient(t, run, consumer)
	vpcs, err := c.ListVpcs(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var vpc model.Vpc
	for _, v := range vpcs {
		if v.ID != "" {
			vpc = v
			break
		}
	}
	subnets, err := c.ListSubnets(ctxT(t), vpc.ID)
	if err != nil {
		t.Fatal(err)
	}
	// One subnet in each of the service's zones, matched by AZ id.
	azIDs := map[string]bool{}
	provZones, err := prov.AvailabilityZones(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range provZones {
		for _, name := range svc.AvailabilityZones {
			if z.Name == name {
				azIDs[z.ID] = true
			}
		}
	}
	var subnetIDs []string
	used := map[string]bool{}
	for _, s := range subnets {
		if azIDs[s.AZID] && !used[s.AZID] {
			used[s.AZID] = true
			subnetIDs = append(subnetIDs, s.ID)
		}
	}
	if len(subnetIDs) == 0 {
		t.Fatalf("consumer VPC %s has no subnet in the service's zones %v", vpc.ID, svc.AvailabilityZones)
	}
	sgs, err := c.ListSecurityGroups(ctxT(t), vpc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sgIDs []string
	if len(sgs) > 0 {
		sgIDs = []string{sgs[0].ID}
	}
	ep, err := c.CreateEndpoint(ctxT(t), model.CreateEndpointInput{
		ServiceName: svc.Name, VpcID: vpc.ID, SubnetIDs: subnetIDs, SecurityGroupIDs: sgIDs, ClientToken: "consumer-token-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ep.ID, "vpce-") || ep.VpcID != vpc.ID || ep.ServiceName != svc.Name || ep.Type != "Interface" {
		t.Errorf("endpoint = %+v", ep)
	}
	again, err := c.CreateEndpoint(ctxT(t), model.CreateEndpointInput{
		ServiceName: svc.Name, VpcID: vpc.ID, SubnetIDs: subnetIDs, SecurityGroupIDs: sgIDs, ClientToken: "consumer-token-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != ep.ID {
		t.Errorf("same ClientToken created a second endpoint: %s and %s", ep.ID, again.ID)
	}
	stateOf(t, prov, svc.ID, ep.ID) // the provider sees the new connection
	res, err := c.DeleteEndpoints(ctxT(t), []string{ep.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].OK {
		t.Errorf("delete results = %+v", res)
	}
}

// Deleting a service that still has connections is refused without a delete request.
func TestDeleteServiceRefusedWithConnections(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "payments-api")
	err := c.DeleteService(ctxT(t), svc.ID)
	if !errors.Is(err, model.ErrServiceHasConnections) {
		t.Fatalf("err = %v, want ErrServiceHasConnections", err)
	}
	if !strings.Contains(err.Error(), "awaiting acceptance") || !strings.Contains(err.Error(), "available") ||
		!strings.Contains(err.Error(), svc.ID) {
		t.Errorf("message %q does not say why", err)
	}
	if n := requests(run, "ec2", "DeleteVpcEndpointServiceConfigurations"); n != 0 {
		t.Errorf("%d delete requests were sent", n)
	}
	audit := readAudit(t, c)
	if len(audit) != 1 || audit[0].Result != AuditRefused {
		t.Errorf("audit = %+v", audit)
	}
}

// Without AuditDir the audit log lives in the XDG state directory, private to the user.
func TestAuditLogDefaultsToXDGState(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	xdg.Reload()
	defer xdg.Reload()
	a := newAuditLog("")
	defer a.close()
	if err := a.write(AuditEntry{Operation: "ec2:AcceptVpcEndpointConnections", Result: AuditOK}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plconsole", AuditFileName)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	if d, _ := os.Stat(filepath.Dir(path)); d.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", d.Mode().Perm())
	}
	if (&Client{}).AuditPath() != path {
		t.Errorf("AuditPath() = %s, want %s", (&Client{}).AuditPath(), path)
	}
}

// ModifyService adds and removes Gateway Load Balancers (AddGatewayLoadBalancerArns,
// RemoveGatewayLoadBalancerArns): the region checks each list as gateway load balancers of
// a Gateway Load Balancer endpoint service, so its answers show where each ARN was sent.
func TestModifyServiceGatewayLoadBalancers(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	lbs, err := c.ListLoadBalancers(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var gwlb, nlb string
	for _, lb := range lbs {
		switch lb.Name {
		case "inspection-gwlb":
			gwlb = lb.ARN
		case "orders-nlb":
			nlb = lb.ARN
		}
	}
	if gwlb == "" || nlb == "" {
		t.Fatalf("no spare GWLB (%q) or NLB (%q)", gwlb, nlb)
	}
	svc, err := c.CreateService(ctxT(t), model.CreateServiceInput{GatewayLoadBalancerARNs: []string{gwlb}})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Type != model.ServiceTypeGateway {
		t.Fatalf("created %+v, want a Gateway Load Balancer service", svc)
	}

	// Added as a gateway load balancer: an NLB is refused for its type.
	err = c.ModifyService(ctxT(t), model.ModifyServiceInput{ServiceID: svc.ID, AddGatewayLoadBalancerARNs: []string{nlb}})
	var ae *model.AWSError
	if !errors.As(err, &ae) || !strings.Contains(ae.Message, "not a Gateway Load Balancer") {
		t.Errorf("adding an NLB as a GWLB: %v", err)
	}
	// Removed: the service's only load balancer cannot go.
	err = c.ModifyService(ctxT(t), model.ModifyServiceInput{ServiceID: svc.ID, RemoveGatewayLoadBalancerARNs: []string{gwlb}})
	if !errors.As(err, &ae) || !strings.Contains(ae.Message, "must keep at least one load balancer") {
		t.Errorf("removing the only GWLB: %v", err)
	}
	// Both in one request: removed, then added back.
	if err := c.ModifyService(ctxT(t), model.ModifyServiceInput{ServiceID: svc.ID,
		RemoveGatewayLoadBalancerARNs: []string{gwlb}, AddGatewayLoadBalancerARNs: []string{gwlb}}); err != nil {
		t.Fatal(err)
	}
	d, err := c.ServiceDetail(ctxT(t), svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.GatewayLoadBalancers) != 1 || d.GatewayLoadBalancers[0] != gwlb {
		t.Errorf("gateway load balancers = %v", d.GatewayLoadBalancers)
	}
	if n := requests(run, "ec2", "ModifyVpcEndpointServiceConfiguration"); n != 3 {
		t.Errorf("%d modify requests, want 3", n)
	}
	// The audit names the load balancers each change touched.
	audit := readAudit(t, c)
	last := audit[len(audit)-1]
	if last.Operation != "ec2:ModifyVpcEndpointServiceConfiguration" || last.Result != AuditOK ||
		!slices.Equal(last.Targets, []string{svc.ID, gwlb}) {
		t.Errorf("audit = %+v", last)
	}
}

// When the reply to an accept is lost after AWS carried it out, the SDK sends it again and
// AWS refuses the repeat: the result still says accepted, and nothing was changed twice.
func TestLostReplyToAnAcceptIsStillAnAccept(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount)
	svc := findService(t, c, "payments-api")
	pending := connectionsIn(t, c, svc.ID, model.StatePendingAcceptance)
	run.Faults().Set(sim.FaultConfig{LostReplyRatio: 1})
	// every reply is lost: the retries run out on a network error, yet the result is read
	// from the state: accepted
	res, err := c.AcceptConnections(ctxT(t), svc.ID, pending[:1])
	run.Faults().Set(sim.FaultConfig{})
	if err == nil {
		t.Fatal("with every reply lost the request itself cannot succeed")
	}
	if len(res) != 1 || !res[0].OK {
		t.Fatalf("results when every reply was lost: %+v", res)
	}
	if st := stateOf(t, c, svc.ID, pending[0]); st != model.StatePending && st != model.StateAvailable {
		t.Fatalf("the first attempt was carried out: state %s", st)
	}
	// the console's retry of the same accept, replies arriving again
	res, err = c.AcceptConnections(ctxT(t), svc.ID, pending[:1])
	if err != nil || len(res) != 1 || !res[0].OK {
		t.Fatalf("accepting an accepted endpoint again: %+v, %v", res, err)
	}
	if n := run.Stats().Count("ec2", "AcceptVpcEndpointConnections"); n < 2 {
		t.Fatalf("%d accept requests", n)
	}
}
