package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// vpc-endpoint-region=cross-region finds the connections from every other Region, as the
// DescribeVpcEndpointConnections reference documents; it can be combined with a Region name.
func TestConnectionsCrossRegionFilter(t *testing.T) {
	e := newEC2Env(t, WorldConfig{Static: true})
	list := func(values ...string) map[string]string {
		t.Helper()
		out := map[string]string{}
		p := ec2.NewDescribeVpcEndpointConnectionsPaginator(e.prov, &ec2.DescribeVpcEndpointConnectionsInput{
			Filters: []types.Filter{{Name: aws.String("vpc-endpoint-region"), Values: values}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ec2ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.VpcEndpointConnections {
				out[aws.ToString(c.VpcEndpointId)] = aws.ToString(c.VpcEndpointRegion)
			}
		}
		return out
	}
	cross := list("cross-region")
	if len(cross) == 0 {
		t.Fatal("cross-region matched nothing; the default world has consumers in us-west-2")
	}
	for id, region := range cross {
		if region == "us-east-1" {
			t.Errorf("%s is in the service's own Region", id)
		}
	}
	home := list("us-east-1")
	both := list("cross-region", "us-east-1")
	if len(both) != len(home)+len(cross) || len(home) == 0 {
		t.Fatalf("cross-region %d + us-east-1 %d, together %d", len(cross), len(home), len(both))
	}
	if west := list("us-west-2"); len(west) == 0 || len(west) > len(cross) {
		t.Fatalf("us-west-2 alone: %d of %d cross-region", len(west), len(cross))
	}
}
