package awsops

import (
	"slices"
	"testing"

	"github.com/plconsole/plconsole/model"
)

// ledgerIngest reads the demo world's ledger-ingest service and its load balancers.
func ledgerIngest(t *testing.T, c *Client) (model.EndpointService, []model.LoadBalancer) {
	t.Helper()
	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(svcs, func(s model.EndpointService) bool { return s.Label() == "ledger-ingest" })
	if i < 0 {
		t.Fatal("the demo world has no ledger-ingest service")
	}
	lbs, err := c.ListLoadBalancers(ctxT(t), svcs[i].NetworkLoadBalancers)
	if err != nil {
		t.Fatal(err)
	}
	if len(lbs) != 1 || len(lbs[0].TargetGroups) != 1 || lbs[0].TargetGroups[0].TargetType != "instance" {
		t.Fatalf("ledger-ingest load balancers: %+v", lbs)
	}
	return svcs[i], lbs
}

// ELB does not say which zone an instance target is in; awsops asks EC2, and with the zones
// known Diagnose sees ledger-ingest's zone whose targets are all unhealthy (cross-zone off).
func TestInstanceTargetZonesFromDescribeInstances(t *testing.T) {
	run := startSim(t, testWorld(3, 40))
	c := newClient(t, run, providerAccount)
	run.Server.ResetStats()
	svc, lbs := ledgerIngest(t, c)
	if n := requests(run, "ec2", "DescribeInstances"); n != 1 {
		t.Errorf("%d DescribeInstances for one target group's instances, want 1", n)
	}
	lb := lbs[0]
	tg := lb.TargetGroups[0]
	var zones []string
	for _, z := range lb.AvailabilityZones {
		zones = append(zones, z.Name)
	}
	perZone := map[string]int{}
	for _, tt := range tg.Targets {
		if !slices.Contains(zones, tt.AZ) {
			t.Errorf("target %s in zone %q, load balancer zones %v", tt.ID, tt.AZ, zones)
		}
		perZone[tt.AZ]++
	}
	if len(perZone) != 3 {
		t.Errorf("targets per zone %v, want two in each of three zones", perZone)
	}

	findings := model.Diagnose(svc, lbs, nil, model.DiagnoseOptions{})
	var found *model.Finding
	for i, f := range findings {
		if f.Code == model.CodeAZNoHealthyTarget {
			found = &findings[i]
		}
	}
	if found == nil {
		t.Fatalf("no %s finding; findings: %+v", model.CodeAZNoHealthyTarget, findings)
	}
	if found.Severity != model.SeverityCritical || !slices.Contains(zones, found.Resource) {
		t.Errorf("finding %+v", *found)
	}
	for _, tt := range tg.Targets {
		if tt.AZ == found.Resource && tt.State == model.TargetHealthy {
			t.Errorf("the finding's zone %s has healthy target %s", found.Resource, tt.ID)
		}
	}

	// Without the zones the finding cannot be made: that is what the EC2 read buys.
	blind := slices.Clone(lbs)
	blind[0].TargetGroups = slices.Clone(lbs[0].TargetGroups)
	blind[0].TargetGroups[0].Targets = slices.Clone(tg.Targets)
	for i := range blind[0].TargetGroups[0].Targets {
		blind[0].TargetGroups[0].Targets[i].AZ = ""
	}
	for _, f := range model.Diagnose(svc, blind, nil, model.DiagnoseOptions{}) {
		if f.Code == model.CodeAZNoHealthyTarget {
			t.Errorf("a finding without zones: %+v", f)
		}
	}

	// An instance never moves: later reads in the session use the cache.
	run.Server.ResetStats()
	_, again := ledgerIngest(t, c)
	if n := requests(run, "ec2", "DescribeInstances"); n != 0 {
		t.Errorf("%d DescribeInstances on a second read, want 0", n)
	}
	for i, tt := range again[0].TargetGroups[0].Targets {
		if tt.AZ != tg.Targets[i].AZ {
			t.Errorf("second read: %s in %q, first %q", tt.ID, tt.AZ, tg.Targets[i].AZ)
		}
	}
}

// EC2 refuses a whole InstanceIds request when one id does not exist (a target whose instance
// was terminated); awsops then reads the batch through the instance-id filter.
func TestInstanceZonesSurviveUnknownInstance(t *testing.T) {
	run := startSim(t, testWorld(3, 0))
	c := newClient(t, run, providerAccount)
	_, lbs := ledgerIngest(t, c)
	s := c.session()
	s.instanceAZs = instanceAZCache{} // forget what the first read learned
	var ids []string
	for _, tt := range lbs[0].TargetGroups[0].Targets {
		ids = append(ids, tt.ID)
	}
	const gone = "i-0fffffffffffffff0"
	run.Server.ResetStats()
	if err := c.describeInstanceAZs(ctxT(t), s, append(slices.Clone(ids), gone)); err != nil {
		t.Fatal(err)
	}
	if n := requests(run, "ec2", "DescribeInstances"); n != 2 {
		t.Errorf("%d DescribeInstances, want 2 (the refused one, then the filter)", n)
	}
	for _, id := range ids {
		if az, ok := s.instanceAZs.get(id); !ok || az == "" {
			t.Errorf("%s: zone %q cached %v", id, az, ok)
		}
	}
	if _, ok := s.instanceAZs.get(gone); ok {
		t.Errorf("the unknown instance was cached")
	}
}
