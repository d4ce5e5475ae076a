package sim

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// A Gateway Load Balancer has no DNS name, hosted zone or scheme: the SDK must see those
// members absent (nil), as AWS leaves them out, not as empty strings.
func TestGatewayLoadBalancerHasNoEmptyMembers(t *testing.T) {
	run := startReadSim(t, WorldConfig{})
	gwlb := worldLB(t, run, "inspection-gwlb")
	client := elb.NewFromConfig(testAWSConfig(run, ProviderAccountID, 1))
	out, err := client.DescribeLoadBalancers(ec2ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{gwlb.ARN}})
	if err != nil || len(out.LoadBalancers) != 1 {
		t.Fatalf("%+v %v", out, err)
	}
	lb := out.LoadBalancers[0]
	if lb.Type != "gateway" || lb.DNSName != nil || lb.Scheme != "" || lb.CanonicalHostedZoneId != nil {
		t.Fatalf("gateway load balancer: type %s DNSName %v Scheme %q zone %v", lb.Type, lb.DNSName, lb.Scheme, lb.CanonicalHostedZoneId)
	}
	nlb := worldLB(t, run, "orders-nlb")
	out, err = client.DescribeLoadBalancers(ec2ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{nlb.ARN}})
	if err != nil || aws.ToString(out.LoadBalancers[0].DNSName) == "" || out.LoadBalancers[0].Scheme == "" {
		t.Fatalf("network load balancer: %+v %v", out, err)
	}
}
