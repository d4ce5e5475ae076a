package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestNetworkReads(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	consumer := e.consumer(nil)
	cons := e.client(consumer.ID)

	// Availability zones: the account's own name → id mapping.
	azs, err := cons.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(azs.AvailabilityZones) != 6 {
		t.Fatalf("%d zones", len(azs.AvailabilityZones))
	}
	provAZs, _ := e.prov.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{})
	differs := false
	for i, z := range azs.AvailabilityZones {
		if aws.ToString(z.ZoneName) != aws.ToString(provAZs.AvailabilityZones[i].ZoneName) {
			t.Fatal("zone names are listed in a different order")
		}
		if aws.ToString(z.ZoneId) != aws.ToString(provAZs.AvailabilityZones[i].ZoneId) {
			differs = true
		}
		if z.State != types.AvailabilityZoneStateAvailable || aws.ToString(z.RegionName) != "us-east-1" {
			t.Fatalf("zone %+v", z)
		}
	}
	if !differs {
		t.Fatal("consumer and provider map zone names to the same ids; the mapping should be per account")
	}
	byID, err := cons.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{ZoneIds: []string{"use1-az1"}})
	if err != nil || len(byID.AvailabilityZones) != 1 || aws.ToString(byID.AvailabilityZones[0].ZoneId) != "use1-az1" {
		t.Fatalf("by id: %v %v", byID, err)
	}
	byFilter, err := cons.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []types.Filter{{Name: aws.String("zone-name"), Values: []string{"us-east-1a", "us-east-1b"}}}})
	if err != nil || len(byFilter.AvailabilityZones) != 2 {
		t.Fatalf("filter: %v %v", byFilter, err)
	}
	_, err = cons.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1z"}})
	wantCode(t, err, "InvalidParameterValue")
	_, err = cons.DescribeAvailabilityZones(ec2ctx, &ec2.DescribeAvailabilityZonesInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")

	// VPCs.
	vpcs, err := cons.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{})
	if err != nil || len(vpcs.Vpcs) == 0 {
		t.Fatalf("vpcs: %v %v", vpcs, err)
	}
	v := vpcs.Vpcs[0]
	if aws.ToString(v.OwnerId) != consumer.ID || aws.ToString(v.CidrBlock) == "" || v.State != types.VpcStateAvailable ||
		len(v.Tags) != 1 || len(v.CidrBlockAssociationSet) != 1 {
		t.Fatalf("vpc %+v", v)
	}
	vpcID := aws.ToString(v.VpcId)
	one, err := cons.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
	if err != nil || len(one.Vpcs) != 1 {
		t.Fatalf("by id: %v %v", one, err)
	}
	_, err = e.prov.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
	wantCode(t, err, "InvalidVpcID.NotFound")
	tagged, err := cons.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"*"}}}})
	if err != nil || len(tagged.Vpcs) != len(vpcs.Vpcs) {
		t.Fatalf("tag filter: %v %v", tagged, err)
	}
	_, err = cons.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(3)})
	wantCode(t, err, "InvalidParameterValue")
	_, err = cons.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")

	// Subnets carry AZ names in the caller's mapping and AZ ids; paging by 5.
	var subnets []types.Subnet
	p := ec2.NewDescribeSubnetsPaginator(e.prov, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ec2ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		subnets = append(subnets, out.Subnets...)
	}
	if len(subnets) != 6 || pages != 2 {
		t.Fatalf("provider subnets: %d in %d pages", len(subnets), pages)
	}
	mine, err := cons.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}})
	if err != nil || len(mine.Subnets) == 0 {
		t.Fatalf("consumer subnets: %v %v", mine, err)
	}
	e.read(func(w *World) {
		for _, sn := range mine.Subnets {
			if w.AZID(consumer, aws.ToString(sn.AvailabilityZone)) != aws.ToString(sn.AvailabilityZoneId) {
				t.Fatalf("subnet %s: zone %s is not %s for this account", aws.ToString(sn.SubnetId),
					aws.ToString(sn.AvailabilityZone), aws.ToString(sn.AvailabilityZoneId))
			}
		}
	})
	byZone, err := cons.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{
		{Name: aws.String("availability-zone-id"), Values: []string{aws.ToString(mine.Subnets[0].AvailabilityZoneId)}}}})
	if err != nil || len(byZone.Subnets) == 0 {
		t.Fatalf("zone id filter: %v %v", byZone, err)
	}
	_, err = cons.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0000000000000000b"}})
	wantCode(t, err, "InvalidSubnetID.NotFound")
	_, err = cons.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")

	// Security groups.
	sgs, err := cons.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{
		Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}})
	if err != nil || len(sgs.SecurityGroups) != 2 {
		t.Fatalf("security groups: %v %v", sgs, err)
	}
	byName, err := cons.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}})
	if err != nil || len(byName.SecurityGroups) == 0 || aws.ToString(byName.SecurityGroups[0].GroupName) != "default" {
		t.Fatalf("by name: %v %v", byName, err)
	}
	_, err = cons.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0000000000000000c"}})
	wantCode(t, err, "InvalidGroup.NotFound")
	_, err = cons.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
}
