package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The members AWS always returns arrive, so code that reads them against the simulated
// region finds them against AWS too, and code that would trip on their absence is seen
// tripping here.
func TestNetworkReadsCarryAWSMembers(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})

	sgs, err := e.prov.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{})
	if err != nil || len(sgs.SecurityGroups) == 0 {
		t.Fatalf("%d groups, %v", len(sgs.SecurityGroups), err)
	}
	for _, g := range sgs.SecurityGroups {
		if g.IpPermissions == nil || g.IpPermissionsEgress == nil {
			t.Fatalf("%s: IpPermissions %v, IpPermissionsEgress %v", aws.ToString(g.GroupId), g.IpPermissions, g.IpPermissionsEgress)
		}
		for _, r := range append(append([]types.IpPermission{}, g.IpPermissions...), g.IpPermissionsEgress...) {
			if r.IpRanges == nil || r.UserIdGroupPairs == nil || r.Ipv6Ranges == nil || r.PrefixListIds == nil {
				t.Fatalf("%s: a rule without its lists: %+v", aws.ToString(g.GroupId), r)
			}
		}
		if aws.ToString(g.GroupName) == "default" {
			in := g.IpPermissions[0]
			if aws.ToString(in.IpProtocol) != "-1" || in.FromPort != nil || len(in.UserIdGroupPairs) != 1 ||
				aws.ToString(in.UserIdGroupPairs[0].GroupId) != aws.ToString(g.GroupId) {
				t.Errorf("default group's inbound rule: %+v", in)
			}
			out := g.IpPermissionsEgress[0]
			if aws.ToString(out.IpProtocol) != "-1" || len(out.IpRanges) != 1 || aws.ToString(out.IpRanges[0].CidrIp) != "0.0.0.0/0" {
				t.Errorf("default group's outbound rule: %+v", out)
			}
		}
	}

	// The subnet members of AWS's DescribeSubnets examples.
	subnets, err := e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{})
	if err != nil || len(subnets.Subnets) == 0 {
		t.Fatalf("%d subnets, %v", len(subnets.Subnets), err)
	}
	for _, sn := range subnets.Subnets {
		if sn.SubnetArn == nil || sn.AvailabilityZoneId == nil || sn.DefaultForAz == nil || sn.MapPublicIpOnLaunch == nil ||
			sn.MapCustomerOwnedIpOnLaunch == nil || sn.AssignIpv6AddressOnCreation == nil || sn.Ipv6CidrBlockAssociationSet == nil ||
			sn.EnableDns64 == nil || sn.Ipv6Native == nil || sn.PrivateDnsNameOptionsOnLaunch == nil ||
			sn.PrivateDnsNameOptionsOnLaunch.HostnameType != types.HostnameTypeIpName || sn.OwnerId == nil {
			t.Fatalf("subnet %s lacks members of AWS's examples: %+v", aws.ToString(sn.SubnetId), sn)
		}
	}

	zones, err := e.prov.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || len(zones.AvailabilityZones) == 0 {
		t.Fatalf("%d zones, %v", len(zones.AvailabilityZones), err)
	}
	for _, z := range zones.AvailabilityZones {
		if z.Messages == nil || aws.ToString(z.GroupName) != "us-east-1-zg-1" || aws.ToString(z.GroupLongName) != "US East (N. Virginia) 1" {
			t.Fatalf("zone %s: Messages %v, group %q %q", aws.ToString(z.ZoneName), z.Messages, aws.ToString(z.GroupName), aws.ToString(z.GroupLongName))
		}
	}

	// Instances name their security groups and their network interface, consistently.
	res, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{})
	if err != nil || len(res.Reservations) == 0 {
		t.Fatalf("%d reservations, %v", len(res.Reservations), err)
	}
	for _, r := range res.Reservations {
		in := r.Instances[0]
		id := aws.ToString(in.InstanceId)
		if len(in.SecurityGroups) != 1 || aws.ToString(in.SecurityGroups[0].GroupName) != "default" {
			t.Fatalf("%s: security groups %+v", id, in.SecurityGroups)
		}
		if len(in.NetworkInterfaces) != 1 {
			t.Fatalf("%s: %d network interfaces", id, len(in.NetworkInterfaces))
		}
		ni := in.NetworkInterfaces[0]
		if aws.ToString(ni.PrivateIpAddress) != aws.ToString(in.PrivateIpAddress) || aws.ToString(ni.SubnetId) != aws.ToString(in.SubnetId) ||
			ni.Attachment == nil || aws.ToInt32(ni.Attachment.DeviceIndex) != 0 || len(ni.Groups) != 1 ||
			aws.ToString(ni.Groups[0].GroupId) != aws.ToString(in.SecurityGroups[0].GroupId) || len(ni.PrivateIpAddresses) != 1 {
			t.Fatalf("%s: interface %+v disagrees with the instance", id, ni)
		}
		if len(in.BlockDeviceMappings) != 1 || in.MetadataOptions == nil || in.PrivateDnsNameOptions == nil || in.CpuOptions == nil {
			t.Fatalf("%s: launch details missing: %+v", id, in)
		}
	}
}

// Documented filters beyond the ids are applied, including the aliases the references
// name and the rule filters that look at a group's rules together.
func TestNetworkFiltersApply(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	f := func(name string, values ...string) types.Filter {
		return types.Filter{Name: aws.String(name), Values: values}
	}

	all, err := e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	first := all.Subnets[0]
	for _, name := range []string{"cidr-block", "cidr", "cidrBlock"} {
		got, err := e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{
			f(name, aws.ToString(first.CidrBlock)), f("vpc-id", aws.ToString(first.VpcId))}})
		if err != nil || len(got.Subnets) != 1 || aws.ToString(got.Subnets[0].SubnetId) != aws.ToString(first.SubnetId) {
			t.Fatalf("%s: %+v %v", name, got, err)
		}
	}
	got, err := e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{f("map-public-ip-on-launch", "true")}})
	if err != nil || len(got.Subnets) != 0 {
		t.Fatalf("map-public-ip-on-launch=true: %d subnets, %v", len(got.Subnets), err)
	}

	// The endpoints group allows HTTPS from its VPC; the default group refers to itself.
	https, err := e.prov.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
		f("ip-permission.from-port", "443"), f("ip-permission.protocol", "6"), f("egress.ip-permission.cidr", "0.0.0.0/0")}})
	if err != nil || len(https.SecurityGroups) == 0 {
		t.Fatalf("HTTPS groups: %v", err)
	}
	for _, g := range https.SecurityGroups {
		if aws.ToString(g.GroupName) == "default" {
			t.Errorf("the default group has no port 443 rule, yet matched")
		}
	}
	self, err := e.prov.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
		f("ip-permission.group-name", "default")}})
	if err != nil || len(self.SecurityGroups) == 0 {
		t.Fatalf("groups referring to a default group: %v", err)
	}
	for _, g := range self.SecurityGroups {
		if aws.ToString(g.GroupName) != "default" {
			t.Errorf("%s matched ip-permission.group-name=default", aws.ToString(g.GroupName))
		}
	}

	zones, err := e.prov.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{
		f("group-name", "us-east-1-zg-1"), f("zone-type", "availability-zone")}})
	if err != nil || len(zones.AvailabilityZones) != 6 {
		t.Fatalf("zone group filter: %+v %v", zones, err)
	}

	res, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	in := res.Reservations[0].Instances[0]
	mac := aws.ToString(in.NetworkInterfaces[0].MacAddress)
	one, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{
		f("network-interface.mac-address", mac), f("instance.group-name", "default"), f("metadata-options.http-tokens", "required")}})
	if err != nil || len(one.Reservations) != 1 || aws.ToString(one.Reservations[0].Instances[0].InstanceId) != aws.ToString(in.InstanceId) {
		t.Fatalf("instance by MAC: %+v %v", one, err)
	}
	public, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{f("ip-address", "*")}})
	if err != nil || len(public.Reservations) != 0 {
		t.Fatalf("instances with a public IP: %d, %v", len(public.Reservations), err)
	}
}
