package sim

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// One endpoint serves several regions, each with its own world: a request goes to the
// region its signature names, and a region the endpoint does not serve is refused.
func TestOneEndpointServesSeveralRegions(t *testing.T) {
	run, err := Start("", Options{World: WorldConfig{Seed: 3, Static: true}, Regions: []string{"eu-west-1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	if len(run.Regions) != 2 || run.Regions["us-east-1"] != run.Server || run.Regions["eu-west-1"] == nil {
		t.Fatalf("regions %v", run.Regions)
	}
	ids := map[string]string{}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		cfg := testAWSConfig(run, ProviderAccountID, 1)
		cfg.Region = region
		c := ec2.NewFromConfig(cfg)
		zones, err := c.DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		if z := aws.ToString(zones.AvailabilityZones[0].ZoneName); !strings.HasPrefix(z, region) {
			t.Errorf("%s answers with zone %s", region, z)
		}
		svcs, err := c.DescribeVpcEndpointServiceConfigurations(context.Background(), &ec2.DescribeVpcEndpointServiceConfigurationsInput{})
		if err != nil || len(svcs.ServiceConfigurations) == 0 {
			t.Fatalf("%s: %v", region, err)
		}
		ids[region] = aws.ToString(svcs.ServiceConfigurations[0].ServiceId)
		if name := aws.ToString(svcs.ServiceConfigurations[0].ServiceName); !strings.Contains(name, "."+region+".") {
			t.Errorf("%s serves %s", region, name)
		}
	}
	if ids["us-east-1"] == ids["eu-west-1"] {
		t.Error("both regions have the same services")
	}
	cfg := testAWSConfig(run, ProviderAccountID, 1)
	cfg.Region = "ap-south-1"
	if _, err := ec2.NewFromConfig(cfg).DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{}); err == nil || !strings.Contains(err.Error(), "AuthFailure") {
		t.Errorf("a region the endpoint does not serve: %v", err)
	}
	if _, err := Start("", Options{Regions: []string{"mars-east-1"}}); err == nil {
		t.Error("a region AWS does not have is refused")
	}
}
