package awsops

import (
	"errors"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

func spareNLB(t *testing.T, c *Client) model.LoadBalancer {
	t.Helper()
	lbs, err := c.ListLoadBalancers(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, lb := range lbs {
		if lb.Name == "orders-nlb" {
			return lb
		}
	}
	t.Fatal("no spare NLB orders-nlb")
	return model.LoadBalancer{}
}

// Load balancer zones carry their zone ids (ELBv2 names zones only) and the IP address
// type, at no extra request: the region probe read the zone mapping already.
func TestLoadBalancerZonesCarryIDs(t *testing.T) {
	run := startSim(t, testWorld(3, 0))
	c := newClient(t, run, providerAccount)
	zones, err := c.AvailabilityZones(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	ix := model.NewZoneIndex(zones)
	before := requests(run, "ec2", "DescribeAvailabilityZones")
	lbs, err := c.ListLoadBalancers(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "ec2", "DescribeAvailabilityZones"); n != before {
		t.Fatalf("reading load balancers asked for the zones again (%d → %d)", before, n)
	}
	for _, lb := range lbs {
		if lb.IPAddressType != "ipv4" {
			t.Errorf("%s: IP address type %q", lb.Name, lb.IPAddressType)
		}
		for _, z := range lb.AvailabilityZones {
			if id, _ := ix.ID(z.Name); z.ID == "" || z.ID != id {
				t.Errorf("%s: zone %s has id %q, want %q", lb.Name, z.Name, z.ID, id)
			}
		}
	}
}

// A created service reports its zones by name and by id, the ids of its load balancer's.
func TestCreatedServiceReportsZoneIDs(t *testing.T) {
	run := startSim(t, testWorld(3, 0))
	c := newClient(t, run, providerAccount)
	lb := spareNLB(t, c)
	svc, err := c.CreateService(ctxT(t), model.CreateServiceInput{NetworkLoadBalancerARNs: []string{lb.ARN}, AcceptanceRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(svc.AvailabilityZoneIDs) != len(lb.AvailabilityZones) || len(svc.AvailabilityZones) != len(lb.AvailabilityZones) {
		t.Fatalf("service zones %v / %v, load balancer zones %+v", svc.AvailabilityZones, svc.AvailabilityZoneIDs, lb.AvailabilityZones)
	}
	for _, z := range lb.AvailabilityZones {
		found := false
		for _, id := range svc.AvailabilityZoneIDs {
			found = found || id == z.ID
		}
		if !found {
			t.Errorf("zone id %s of the load balancer is not among the service's %v", z.ID, svc.AvailabilityZoneIDs)
		}
	}
}

// When every reply to the create is lost (the service is made, the client never hears), the
// create fails; the retry with the same client token returns that service, and the account
// has one new service, not two.
func TestCreateServiceRetryAfterLostReplies(t *testing.T) {
	run := startSim(t, testWorld(3, 0))
	c := newClient(t, run, providerAccount)
	lb := spareNLB(t, c)
	in := model.CreateServiceInput{NetworkLoadBalancerARNs: []string{lb.ARN}, AcceptanceRequired: true, ClientToken: "plconsole-lost-1"}
	before, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	run.Faults().Set(sim.FaultConfig{LostReplyRatio: 1})
	_, err = c.CreateService(ctxT(t), in)
	var ae *model.AWSError
	if !errors.As(err, &ae) || ae.Code != "NetworkError" {
		t.Fatalf("every reply lost: want a NetworkError, got %v", err)
	}
	if n := requests(run, "ec2", "CreateVpcEndpointServiceConfiguration"); n < 2 {
		t.Fatalf("the SDK retried %d time(s)", n-1)
	}
	run.Faults().Set(sim.FaultConfig{})
	svc, err := c.CreateService(ctxT(t), in)
	if err != nil {
		t.Fatal(err)
	}
	after, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("%d services before, %d after: want exactly one more", len(before), len(after))
	}
	if svc.NetworkLoadBalancers[0] != lb.ARN {
		t.Fatalf("retry returned %+v", svc)
	}
}

// subnetFor is a subnet of the consumer's first VPC in one of the service's zones, matched
// by zone id.
func subnetFor(t *testing.T, c *Client, svc model.EndpointService) (vpcID, subnetID string) {
	t.Helper()
	vpcs, err := c.ListVpcs(ctxT(t))
	if err != nil || len(vpcs) == 0 {
		t.Fatalf("vpcs %v %v", vpcs, err)
	}
	subnets, err := c.ListSubnets(ctxT(t), vpcs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subnets {
		for _, id := range svc.AvailabilityZoneIDs {
			if s.AZID == id {
				return vpcs[0].ID, s.ID
			}
		}
	}
	t.Fatalf("no subnet of %s in the zones %v", vpcs[0].ID, svc.AvailabilityZoneIDs)
	return "", ""
}

// A consumer reads its endpoint by id; a deleted one is not found.
func TestEndpointByID(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	prov := newClient(t, run, providerAccount)
	svc := findService(t, prov, "search-gateway")
	c := newClient(t, run, run.ConsumerAccounts()[0])
	vpc, subnet := subnetFor(t, c, svc)
	ep, err := c.CreateEndpoint(ctxT(t), model.CreateEndpointInput{ServiceName: svc.Name, VpcID: vpc, SubnetIDs: []string{subnet}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Endpoint(ctxT(t), ep.ID)
	if err != nil || got.ID != ep.ID || got.ServiceName != svc.Name {
		t.Fatalf("endpoint %+v %v", got, err)
	}
	if _, err := prov.Endpoint(ctxT(t), ep.ID); err == nil {
		t.Fatal("the provider read the consumer's endpoint")
	}
}

// A consumer creates the endpoint of a Gateway Load Balancer service with that type: one
// subnet, no security groups or private DNS sent.
func TestGatewayLoadBalancerEndpoint(t *testing.T) {
	run := startSim(t, testWorld(3, 0))
	prov := newClient(t, run, providerAccount)
	var gwlb string
	lbs, err := prov.ListLoadBalancers(ctxT(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, lb := range lbs {
		if lb.Type == model.LBTypeGateway {
			gwlb = lb.ARN
		}
	}
	svc, err := prov.CreateService(ctxT(t), model.CreateServiceInput{GatewayLoadBalancerARNs: []string{gwlb}})
	if err != nil {
		t.Fatal(err)
	}
	consumer := run.ConsumerAccounts()[0]
	if err := prov.AddPrincipals(ctxT(t), svc.ID, []string{model.AccountRootARN(consumer)}); err != nil {
		t.Fatal(err)
	}
	run.Clock.Advance(sim.ServiceCreateDelay + time.Second)
	c := newClient(t, run, consumer)
	vpc, subnet := subnetFor(t, c, svc)
	in := model.CreateEndpointInput{ServiceName: svc.Name, VpcID: vpc, SubnetIDs: []string{subnet}, SecurityGroupIDs: []string{"sg-0123456789abcdef0"}}
	if _, err := c.CreateEndpoint(ctxT(t), in); err == nil {
		t.Fatal("an interface endpoint to a Gateway Load Balancer service was created")
	}
	in.Type = string(model.ServiceTypeGateway)
	ep, err := c.CreateEndpoint(ctxT(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if ep.Type != string(model.ServiceTypeGateway) || len(ep.SubnetIDs) != 1 {
		t.Fatalf("endpoint %+v", ep)
	}
}
