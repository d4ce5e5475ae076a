package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// DescribeVpcEndpointServices lists AWS's own services next to the shared ones, as in any
// Region, and tag filters see only the tags the listing shows.
func TestDescribeEndpointServicesListsAWSServices(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	payments := e.serviceByLabel("payments-api")
	cons := e.client(e.consumer(payments).ID)
	f := func(name string, values ...string) types.Filter {
		return types.Filter{Name: aws.String(name), Values: values}
	}

	out, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]types.ServiceType{}
	for i, d := range out.ServiceDetails {
		name := aws.ToString(d.ServiceName)
		byName[name] = append(byName[name], d.ServiceType[0].ServiceType)
		if out.ServiceNames[i] != name || d.Tags == nil || d.ServiceId == nil {
			t.Fatalf("detail %d: %+v (name %s)", i, d, out.ServiceNames[i])
		}
		if i > 0 && name < aws.ToString(out.ServiceDetails[i-1].ServiceName) {
			t.Fatalf("not ordered by name at %s", name)
		}
	}
	if s3 := byName["com.amazonaws.us-east-1.s3"]; len(s3) != 2 || s3[0] != types.ServiceTypeGateway || s3[1] != types.ServiceTypeInterface {
		t.Fatalf("s3 listed as %v, want its gateway and its interface service", s3)
	}
	if len(byName["com.amazonaws.us-east-1.ec2"]) != 1 || len(byName[payments.Name]) != 1 {
		t.Fatalf("listing: %v", out.ServiceNames)
	}

	amazon, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []types.Filter{f("owner", "amazon")}})
	if err != nil || len(amazon.ServiceDetails) == 0 || len(amazon.ServiceDetails) >= len(out.ServiceDetails) {
		t.Fatalf("owner=amazon: %d of %d, %v", len(amazon.ServiceDetails), len(out.ServiceDetails), err)
	}
	for _, d := range amazon.ServiceDetails {
		if aws.ToString(d.Owner) != "amazon" || len(d.AvailabilityZones) != 6 || len(d.BaseEndpointDnsNames) != 1 {
			t.Errorf("%s: %+v", aws.ToString(d.ServiceName), d)
		}
	}
	ec2svc, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-east-1.ec2"}})
	if err != nil || len(ec2svc.ServiceDetails) != 1 || aws.ToString(ec2svc.ServiceDetails[0].PrivateDnsName) != "ec2.us-east-1.amazonaws.com" {
		t.Fatalf("ec2 by name: %+v %v", ec2svc, err)
	}
	gateways, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []types.Filter{f("service-type", "Gateway")}})
	if err != nil || len(gateways.ServiceDetails) != 2 {
		t.Fatalf("gateway services: %v %v", gateways.ServiceNames, err)
	}

	// payments-api carries a Name tag: its owner sees and filters on it, the consumer it is
	// shared with sees no tags, so no tag filter can find it there.
	var nameTag string
	e.read(func(w *World) { nameTag = payments.NameTag() })
	byTag := []types.Filter{f("tag:Name", nameTag)}
	own, err := e.prov.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: byTag})
	if err != nil || len(own.ServiceDetails) != 1 || len(own.ServiceDetails[0].Tags) == 0 {
		t.Fatalf("the owner by tag: %+v %v", own, err)
	}
	shared, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: byTag})
	if err != nil || len(shared.ServiceDetails) != 0 {
		t.Fatalf("a consumer found %d services by a tag it is not shown", len(shared.ServiceDetails))
	}

	// Endpoints to AWS services are out of the simulated region's scope, and say so.
	vpcID, _, _ := e.subnetsFor(e.consumer(payments), payments)
	_, err = cons.CreateVpcEndpoint(ec2ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpcID),
		ServiceName: aws.String("com.amazonaws.us-east-1.s3"), VpcEndpointType: types.VpcEndpointTypeGateway})
	wantCode(t, err, "UnsupportedOperation")
}
