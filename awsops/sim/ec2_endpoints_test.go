package sim

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeEndpointServicesAsConsumer(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	search := e.serviceByLabel("search-gateway")
	consumer := e.consumer(payments)
	cons := e.client(consumer.ID)
	out, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var details *types.ServiceDetail
	for i, d := range out.ServiceDetails {
		if aws.ToString(d.ServiceId) == payments.ID {
			details = &out.ServiceDetails[i]
		}
	}
	if details == nil || !slices.Contains(out.ServiceNames, search.Name) || len(out.ServiceNames) != len(out.ServiceDetails) {
		t.Fatalf("consumer sees %v", out.ServiceNames)
	}
	// Zones: the same physical zones (ids) as the provider's, under the consumer's names.
	if !slices.Equal(sortedCopy(details.AvailabilityZoneIds), sortedCopy(payments.AZIDs)) {
		t.Fatalf("zone ids %v, provider's %v", details.AvailabilityZoneIds, payments.AZIDs)
	}
	e.read(func(w *World) {
		for i, id := range details.AvailabilityZoneIds {
			if w.AZName(consumer, id) != details.AvailabilityZones[i] {
				t.Fatalf("zone %s shown as %s, the consumer calls it %s", id, details.AvailabilityZones[i], w.AZName(consumer, id))
			}
		}
	})
	if aws.ToString(details.Owner) != ProviderAccountID || !aws.ToBool(details.AcceptanceRequired) ||
		aws.ToString(details.PrivateDnsName) != "api.payments.example.com" ||
		details.PrivateDnsNameVerificationState != types.DnsNameStateVerified || len(details.Tags) != 0 ||
		details.ServiceType[0].ServiceType != types.ServiceTypeInterface || aws.ToString(details.ServiceRegion) != "us-east-1" {
		t.Fatalf("details = %+v", details)
	}

	// A consumer not allowed on payments-api does not see it, and naming it is an error.
	var outsider *Account
	e.read(func(w *World) {
		for _, a := range w.AccountList[1:] {
			if !payments.AllowsAccount(a.ID) {
				outsider = a
				break
			}
		}
	})
	if outsider != nil {
		o := e.client(outsider.ID)
		_, err = o.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{payments.Name}})
		wantCode(t, err, "InvalidServiceName")
	}
	// Named lookup, filters, paging.
	named, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{search.Name}})
	if err != nil || len(named.ServiceDetails) != 1 {
		t.Fatalf("named: %v %v", named, err)
	}
	filtered, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{
		Filters: []types.Filter{{Name: aws.String("service-name"), Values: []string{payments.Name}}}})
	if err != nil || len(filtered.ServiceDetails) != 1 {
		t.Fatalf("filtered: %v %v", filtered, err)
	}
	first, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{MaxResults: aws.Int32(1)})
	if err != nil || len(first.ServiceDetails) != 1 || first.NextToken == nil {
		t.Fatalf("page 1: %v %v", first, err)
	}
	second, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{MaxResults: aws.Int32(1), NextToken: first.NextToken})
	if err != nil || len(second.ServiceDetails) != 1 || aws.ToString(second.ServiceDetails[0].ServiceId) == aws.ToString(first.ServiceDetails[0].ServiceId) {
		t.Fatalf("page 2: %v %v", second, err)
	}
	_, err = cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	_, err = cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{
		Filters: []types.Filter{{Name: aws.String("nope"), Values: []string{"x"}}}})
	wantCode(t, err, "InvalidParameterValue")
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestCreateEndpointErrors(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	ledger := e.serviceByLabel("ledger-ingest")
	consumer := e.consumer(payments)
	cons := e.client(consumer.ID)
	vpcID, in, outZones := e.subnetsFor(consumer, payments)
	base := func() *ec2.CreateVpcEndpointInput {
		return &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, VpcId: aws.String(vpcID),
			ServiceName: aws.String(payments.Name), SubnetIds: in[:1]}
	}
	var otherSubnet string
	var sg string
	e.read(func(w *World) {
		for _, v := range consumer.VPCs {
			if v.ID != vpcID {
				otherSubnet = v.Subnets[0].ID
			}
		}
		sg = w.VPC(vpcID).SecurityGroups[1].ID
	})
	cases := []struct {
		name string
		mod  func(*ec2.CreateVpcEndpointInput)
		code string
	}{
		{"gateway default", func(in *ec2.CreateVpcEndpointInput) { in.VpcEndpointType = "" }, "InvalidParameter"},
		{"gateway", func(in *ec2.CreateVpcEndpointInput) { in.VpcEndpointType = types.VpcEndpointTypeGateway }, "InvalidParameter"},
		{"bad type", func(in *ec2.CreateVpcEndpointInput) { in.VpcEndpointType = "Tunnel" }, "InvalidVpcEndpointType"},
		{"unknown service", func(in *ec2.CreateVpcEndpointInput) {
			in.ServiceName = aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-0000")
		}, "InvalidServiceName"},
		{"unknown vpc", func(in *ec2.CreateVpcEndpointInput) { in.VpcId = aws.String("vpc-0000000000000000a") }, "InvalidVpcID.NotFound"},
		{"unknown subnet", func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = []string{"subnet-0000000000000000a"} }, "InvalidSubnetID.NotFound"},
		{"no subnet", func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = nil }, "InvalidParameter"},
		{"unsupported zone", func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = outZones[:1] }, "InvalidParameter"},
		{"unknown sg", func(in *ec2.CreateVpcEndpointInput) { in.SecurityGroupIds = []string{"sg-0000000000000000a"} }, "InvalidGroup.NotFound"},
		{"route tables", func(in *ec2.CreateVpcEndpointInput) { in.RouteTableIds = []string{"rtb-1"} }, "InvalidParameter"},
		{"bad ip type", func(in *ec2.CreateVpcEndpointInput) { in.IpAddressType = "ipv5" }, "InvalidParameterValue"},
		{"ipv6 unsupported", func(in *ec2.CreateVpcEndpointInput) { in.IpAddressType = types.IpAddressTypeDualstack }, "InvalidParameter"},
		{"bad tag type", func(in *ec2.CreateVpcEndpointInput) {
			in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}
		}, "InvalidParameterValue"},
		{"not verified private dns", func(in *ec2.CreateVpcEndpointInput) { in.ServiceName = aws.String(ledger.Name) }, "InvalidParameter"},
		{"dry run", func(in *ec2.CreateVpcEndpointInput) { in.DryRun = aws.Bool(true) }, "DryRunOperation"},
	}
	// Let the consumer use ledger-ingest, whose private DNS name is still unverified.
	if _, err := e.prov.ModifyVpcEndpointServicePermissions(ec2ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(ledger.ID), AddAllowedPrincipals: []string{"arn:aws:iam::" + consumer.ID + ":root"}}); err != nil {
		t.Fatal(err)
	}
	if len(outZones) == 0 {
		t.Fatal("the consumer's VPC has no zone the service lacks; the AZ-mismatch case needs one")
	}
	if otherSubnet != "" {
		cases = append(cases, struct {
			name string
			mod  func(*ec2.CreateVpcEndpointInput)
			code string
		}{"subnet of another vpc", func(in *ec2.CreateVpcEndpointInput) { in.SubnetIds = []string{otherSubnet} }, "InvalidParameter"})
	}
	for _, tc := range cases {
		in := base()
		tc.mod(in)
		_, err := cons.CreateVpcEndpoint(ec2ctx, in)
		if got := apiCode(err); got != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if tc.name == "not verified private dns" && !strings.Contains(err.Error(), "not verified") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	e.wantRawCode(consumer.ID, "CreateVpcEndpoint", "ServiceName="+payments.Name, "MissingParameter")
	e.wantRawCode(consumer.ID, "CreateVpcEndpoint", "VpcId="+vpcID, "MissingParameter")
	// A second subnet in the same zone: one subnet per zone only.
	e.world.mu.Lock()
	first := e.world.Subnet(in[0])
	twin := &Subnet{ID: "subnet-0feedfeedfeedfeed", VpcID: vpcID, OwnerID: consumer.ID, CIDR: "10.0.200.0/24",
		AZ: first.AZ, AZID: first.AZID, AvailableIPs: 251, State: "available"}
	e.world.Subnets[twin.ID] = twin
	e.world.VPC(vpcID).Subnets = append(e.world.VPC(vpcID).Subnets, twin)
	e.world.mu.Unlock()
	_, err := cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(vpcID), ServiceName: aws.String(payments.Name), SubnetIds: []string{in[0], twin.ID}})
	wantCode(t, err, "DuplicateSubnetsInSameZone")

	// Private DNS on a verified name is the default; the endpoint shows the name.
	ok, err := cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(vpcID), ServiceName: aws.String(payments.Name), SubnetIds: in, SecurityGroupIds: []string{sg},
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpoint,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("test-connection")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	ep := ok.VpcEndpoint
	if !aws.ToBool(ep.PrivateDnsEnabled) || len(ep.SubnetIds) != len(in) || len(ep.NetworkInterfaceIds) != len(in) ||
		ep.VpcEndpointType != types.VpcEndpointTypeInterface || aws.ToString(ep.OwnerId) != consumer.ID ||
		len(ep.Groups) != 1 || aws.ToString(ep.Groups[0].GroupId) != sg || aws.ToString(ep.Tags[0].Value) != "test-connection" {
		t.Fatalf("endpoint = %+v", ep)
	}
	if aws.ToString(ep.DnsEntries[len(ep.DnsEntries)-1].DnsName) != "api.payments.example.com" || len(ep.DnsEntries) != len(in)+2 {
		t.Fatalf("dns entries = %+v", ep.DnsEntries)
	}
	// A consumer cannot enable private DNS on a service without a name.
	search := e.serviceByLabel("search-gateway")
	svpc, sin, _ := e.subnetsFor(consumer, search)
	_, err = cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(svpc), ServiceName: aws.String(search.Name), SubnetIds: sin[:1], PrivateDnsEnabled: aws.Bool(true)})
	wantCode(t, err, "InvalidParameter")
	// Idempotency: same token, different service is a mismatch.
	_, err = cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(svpc), ServiceName: aws.String(search.Name), SubnetIds: sin[:1], ClientToken: aws.String("tok")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(vpcID), ServiceName: aws.String(payments.Name), SubnetIds: in, ClientToken: aws.String("tok")})
	wantCode(t, err, "IdempotentParameterMismatch")
}

func TestEndpointQuotaPerVPC(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	search := e.serviceByLabel("search-gateway")
	consumer := e.consumer(search)
	vpcID, in, _ := e.subnetsFor(consumer, search)
	var have int
	e.read(func(w *World) { have = w.VPC(vpcID).EndpointCount })
	cons := e.client(consumer.ID)
	for i := have; i < maxEndpointsPerVPC; i++ {
		if _, err := cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
			VpcId: aws.String(vpcID), ServiceName: aws.String(search.Name), SubnetIds: in[:1]}); err != nil {
			t.Fatalf("endpoint %d: %v", i+1, err)
		}
	}
	_, err := cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		VpcId: aws.String(vpcID), ServiceName: aws.String(search.Name), SubnetIds: in[:1]})
	wantCode(t, err, "VpcEndpointLimitExceeded")
}

func TestDescribeEndpointsAsConsumer(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Services: 4, Connections: 400, Consumers: 3, Static: true})
	var owner *Account
	var want int
	e.read(func(w *World) {
		owner = w.AccountList[1]
		for _, ep := range owner.Endpoints {
			if ep.Region == w.Region && ep.State != EndpointDeleted {
				want++
			}
		}
	})
	cons := e.client(owner.ID)
	var got []types.VpcEndpoint
	p := ec2.NewDescribeVpcEndpointsPaginator(cons, &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(25)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ec2ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.VpcEndpoints...)
	}
	if len(got) != want || pages < 2 {
		t.Fatalf("listed %d endpoints in %d pages, want %d", len(got), pages, want)
	}
	for _, ep := range got {
		if aws.ToString(ep.OwnerId) != owner.ID {
			t.Fatalf("foreign endpoint %s", aws.ToString(ep.VpcEndpointId))
		}
	}
	id := aws.ToString(got[0].VpcEndpointId)
	one, err := cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	if err != nil || len(one.VpcEndpoints) != 1 {
		t.Fatalf("by id: %v %v", one, err)
	}
	byState, err := cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{
		Filters: []types.Filter{{Name: aws.String("vpc-endpoint-state"), Values: []string{"available"}},
			{Name: aws.String("vpc-id"), Values: []string{aws.ToString(got[0].VpcId)}}}})
	if err != nil || len(byState.VpcEndpoints) == 0 {
		t.Fatalf("filters: %v %v", byState, err)
	}
	// The provider does not own these endpoints.
	_, err = e.prov.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	wantCode(t, err, "InvalidVpcEndpointId.NotFound")
	_, err = cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{DryRun: aws.Bool(true)})
	wantCode(t, err, "DryRunOperation")
	_, err = cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{NextToken: aws.String("x")})
	wantCode(t, err, "InvalidNextToken")
	e.wantRawCode(owner.ID, "DeleteVpcEndpoints", "", "MissingParameter")
}
