package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// MaxResults above 1,000 is served as 1,000 where the reference says so (the endpoint
// service listings) and refused where the API model bounds it (the network reads).
func TestMaxResultsAboveTheLimit(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true, Services: 2, Connections: 1100})
	conns, err := e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(5000)})
	if err != nil {
		t.Fatal(err)
	}
	if len(conns.VpcEndpointConnections) != 1000 || conns.NextToken == nil {
		t.Fatalf("MaxResults 5000: %d connections, next token %v; want 1000 and a token",
			len(conns.VpcEndpointConnections), conns.NextToken != nil)
	}
	if _, err := e.prov.DescribeVpcEndpointServiceConfigurations(ec2ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{
		MaxResults: aws.Int32(1001)}); err != nil {
		t.Errorf("DescribeVpcEndpointServiceConfigurations MaxResults 1001: %v", err)
	}
	svc := e.serviceByLabel("payments-api")
	if _, err := e.prov.DescribeVpcEndpointServicePermissions(ec2ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(svc.ID), MaxResults: aws.Int32(1001)}); err != nil {
		t.Errorf("DescribeVpcEndpointServicePermissions MaxResults 1001: %v", err)
	}
	cons := e.client(e.consumer(svc).ID)
	if _, err := cons.DescribeVpcEndpointServices(ec2ctx, &ec2.DescribeVpcEndpointServicesInput{MaxResults: aws.Int32(1001)}); err != nil {
		t.Errorf("DescribeVpcEndpointServices MaxResults 1001: %v", err)
	}
	if _, err := cons.DescribeVpcEndpoints(ec2ctx, &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(1001)}); err != nil {
		t.Errorf("DescribeVpcEndpoints MaxResults 1001: %v", err)
	}
	// Below the documented minimum of 5 the provider listings refuse.
	_, err = e.prov.DescribeVpcEndpointConnections(ec2ctx, &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(4)})
	wantCode(t, err, "InvalidParameterValue")

	for name, call := range map[string]func(n int32) error{
		"DescribeVpcs": func(n int32) error {
			_, err := e.prov.DescribeVpcs(ec2ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(n)})
			return err
		},
		"DescribeSubnets": func(n int32) error {
			_, err := e.prov.DescribeSubnets(ec2ctx, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(n)})
			return err
		},
		"DescribeSecurityGroups": func(n int32) error {
			_, err := e.prov.DescribeSecurityGroups(ec2ctx, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(n)})
			return err
		},
		"DescribeInstances": func(n int32) error {
			_, err := e.prov.DescribeInstances(ec2ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(n)})
			return err
		},
	} {
		for _, n := range []int32{4, 1001} {
			if code := apiCode(call(n)); code != "InvalidParameterValue" {
				t.Errorf("%s MaxResults %d: code %q, want InvalidParameterValue", name, n, code)
			}
		}
		if err := call(1000); err != nil {
			t.Errorf("%s MaxResults 1000: %v", name, err)
		}
	}
}
