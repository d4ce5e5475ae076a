package sim

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// worldInstanceTargets lists the world's instance targets by id (with the target group's VPC).
func worldInstanceTargets(e *ec2Env) (map[string]*Target, map[string]string) {
	targets, vpcs := map[string]*Target{}, map[string]string{}
	e.read(func(w *World) {
		for _, tg := range w.TargetGroupList {
			if tg.TargetType != "instance" {
				continue
			}
			for _, t := range tg.Targets {
				targets[t.ID], vpcs[t.ID] = t, tg.VpcID
			}
		}
	})
	return targets, vpcs
}

func describeAllInstances(t *testing.T, c *ec2.Client, in *ec2.DescribeInstancesInput) []ec2types.Instance {
	t.Helper()
	var out []ec2types.Instance
	p := ec2.NewDescribeInstancesPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ec2ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Reservations {
			out = append(out, r.Instances...)
		}
	}
	return out
}

// Every instance target of the world is an instance the provider can describe, placed in the
// target's zone, in a subnet of the target group's VPC in that zone, running.
func TestDescribeInstancesServesTargets(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true, Services: 6})
	targets, vpcs := worldInstanceTargets(e)
	if len(targets) < 10 {
		t.Fatalf("the world has only %d instance targets", len(targets))
	}
	// Pages of 5: the paginator must see every instance exactly once.
	got := describeAllInstances(t, e.prov, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	if len(got) != len(targets) {
		t.Fatalf("DescribeInstances listed %d instances, the world has %d instance targets", len(got), len(targets))
	}
	seen, ips := map[string]bool{}, map[string]string{}
	for _, in := range got {
		id := aws.ToString(in.InstanceId)
		tgt := targets[id]
		if tgt == nil || seen[id] {
			t.Fatalf("unexpected or repeated instance %s", id)
		}
		seen[id] = true
		if in.Placement == nil || aws.ToString(in.Placement.AvailabilityZone) != tgt.AZ ||
			aws.ToString(in.Placement.AvailabilityZoneId) != tgt.AZID {
			t.Errorf("%s placement %+v, target in %s (%s)", id, in.Placement, tgt.AZ, tgt.AZID)
		}
		if in.State == nil || in.State.Name != ec2types.InstanceStateNameRunning || aws.ToInt32(in.State.Code) != 16 {
			t.Errorf("%s state %+v", id, in.State)
		}
		if aws.ToString(in.VpcId) != vpcs[id] {
			t.Errorf("%s in VPC %s, target group VPC %s", id, aws.ToString(in.VpcId), vpcs[id])
		}
		var sn *Subnet
		e.read(func(w *World) { sn = w.Subnet(aws.ToString(in.SubnetId)) })
		if sn == nil || sn.VpcID != vpcs[id] || sn.AZ != tgt.AZ {
			t.Errorf("%s subnet %s is not the VPC's subnet in %s", id, aws.ToString(in.SubnetId), tgt.AZ)
		} else {
			ip := aws.ToString(in.PrivateIpAddress)
			base, size, _ := parseCIDR(sn.CIDR)
			v, ok := ipv4Value(ip)
			if !ok || v <= base || v >= base+size-1 {
				t.Errorf("%s private IP %q outside %s", id, ip, sn.CIDR)
			}
			if other, dup := ips[ip]; dup {
				t.Errorf("%s and %s share %s", id, other, ip)
			}
			ips[ip] = id
		}
		if in.InstanceType == "" || in.LaunchTime == nil || !in.LaunchTime.Before(tgt.RegisteredAt) {
			t.Errorf("%s type %q launched %v, registered %v", id, in.InstanceType, in.LaunchTime, tgt.RegisteredAt)
		}
		if !strings.HasPrefix(aws.ToString(in.PrivateDnsName), "ip-") {
			t.Errorf("%s private DNS name %q", id, aws.ToString(in.PrivateDnsName))
		}
	}
	// The same world describes the same instances, call after call.
	again := describeAllInstances(t, e.prov, &ec2.DescribeInstancesInput{})
	for i := range got {
		if aws.ToString(got[i].InstanceId) != aws.ToString(again[i].InstanceId) ||
			aws.ToString(got[i].PrivateIpAddress) != aws.ToString(again[i].PrivateIpAddress) ||
			got[i].InstanceType != again[i].InstanceType {
			t.Fatalf("instance %d differs between calls", i)
		}
	}
}

func TestDescribeInstancesByIDAndFilters(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	ledger := e.serviceByLabel("ledger-ingest")
	var ids []string
	var vpcID, az string
	e.read(func(w *World) {
		lb := w.LoadBalancers[ledger.NLBARNs[0]]
		tg := lb.TargetGroups[0]
		vpcID, az = tg.VpcID, tg.Targets[0].AZ
		for _, t := range tg.Targets {
			ids = append(ids, t.ID)
		}
	})
	out, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, r := range out.Reservations {
		if aws.ToString(r.OwnerId) != ProviderAccountID || aws.ToString(r.ReservationId) == "" {
			t.Errorf("reservation %s owner %s", aws.ToString(r.ReservationId), aws.ToString(r.OwnerId))
		}
		n += len(r.Instances)
	}
	if n != len(ids) || out.NextToken != nil {
		t.Fatalf("%d instances for %d ids (next %v)", n, len(ids), out.NextToken)
	}

	count := func(filters ...ec2types.Filter) int {
		return len(describeAllInstances(t, e.prov, &ec2.DescribeInstancesInput{Filters: filters}))
	}
	f := func(name string, values ...string) ec2types.Filter {
		return ec2types.Filter{Name: aws.String(name), Values: values}
	}
	all := count()
	if got := count(f("instance-id", ids...)); got != len(ids) {
		t.Errorf("instance-id filter: %d, want %d", got, len(ids))
	}
	inAZ := count(f("availability-zone", az))
	if inAZ == 0 || inAZ >= all {
		t.Errorf("availability-zone %s: %d of %d", az, inAZ, all)
	}
	if got := count(f("instance-id", ids...), f("availability-zone", az)); got != 2 {
		t.Errorf("ledger-ingest instances in %s: %d, want 2 (two per zone)", az, got)
	}
	if got := count(f("vpc-id", vpcID)); got != all {
		t.Errorf("vpc-id: %d, want %d", got, all)
	}
	if got := count(f("vpc-id", "vpc-0000000000000000")); got != 0 {
		t.Errorf("unknown vpc-id: %d", got)
	}
	if got := count(f("instance-state-name", "running")); got != all {
		t.Errorf("instance-state-name running: %d, want %d", got, all)
	}
	if got := count(f("instance-state-name", "stopped", "terminated")); got != 0 {
		t.Errorf("instance-state-name stopped: %d", got)
	}
	if got := count(f("availability-zone", "us-east-1*"), f("tag:Name", "ledger-ingest-*")); got != len(ids) {
		t.Errorf("wildcards: %d, want %d", got, len(ids))
	}
	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{f("color", "blue")}})
	wantCode(t, err, "InvalidParameterValue")
}

func TestDescribeInstancesErrors(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	targets, _ := worldInstanceTargets(e)
	var known string
	for id := range targets {
		known = id
		break
	}
	const unknown = "i-0123456789abcdef0"
	_, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{known, unknown}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
	if !strings.Contains(err.Error(), "The instance ID '"+unknown+"' does not exist") {
		t.Errorf("message: %v", err)
	}
	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{unknown, "i-0123456789abcdef1"}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"instance-1"}})
	wantCode(t, err, "InvalidInstanceID.Malformed")

	// MaxResults and InstanceIds do not go together; MaxResults is 5–1000.
	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{known}, MaxResults: aws.Int32(5)})
	wantCode(t, err, "InvalidParameterCombination")
	for _, n := range []int32{4, 1001} {
		_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(n)})
		wantCode(t, err, "InvalidParameterValue")
	}
	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidNextToken")

	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	_, err = e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{DryRun: aws.Bool(true), InstanceIds: []string{unknown}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
}

// A consumer account sees none of the provider's instances.
func TestDescribeInstancesOwnerOnly(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	targets, _ := worldInstanceTargets(e)
	var known string
	for id := range targets {
		known = id
		break
	}
	cons := e.client(e.consumer(nil).ID)
	if got := describeAllInstances(t, cons, &ec2.DescribeInstancesInput{}); len(got) != 0 {
		t.Fatalf("a consumer sees %d instances", len(got))
	}
	_, err := cons.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{known}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
}

// ipv4Value parses a dotted IPv4 address.
func ipv4Value(s string) (uint32, bool) {
	base, size, ok := parseCIDR(s + "/32")
	return base, ok && size == 1
}
