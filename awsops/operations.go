package awsops

import "sort"

// Service names as they appear in the API-call log (the SigV4 signing names).
const (
	svcEC2        = "ec2"
	svcELB        = "elasticloadbalancing"
	svcCloudWatch = "monitoring"
	svcSTS        = "sts"
)

// iamPrefix is the IAM action prefix of each service; CloudWatch signs as "monitoring" but
// its IAM actions are "cloudwatch:*".
var iamPrefix = map[string]string{
	svcEC2:        "ec2",
	svcELB:        "elasticloadbalancing",
	svcCloudWatch: "cloudwatch",
	svcSTS:        "sts",
}

// operation is one AWS API operation awsops calls.
type operation struct {
	Service string
	Name    string
	Write   bool
}

// IAMAction is the IAM action that authorises the operation ("ec2:AcceptVpcEndpointConnections").
func (o operation) IAMAction() string { return iamPrefix[o.Service] + ":" + o.Name }

// operations is every operation awsops calls. The read-only guard refuses the writes; the
// IAM policies in docs/iam grant exactly these (reads in readonly.json, all in operator.json).
var operations = []operation{
	{svcSTS, "GetCallerIdentity", false},

	{svcEC2, "DescribeVpcEndpointServiceConfigurations", false},
	{svcEC2, "DescribeVpcEndpointServicePermissions", false},
	{svcEC2, "DescribeVpcEndpointConnectionNotifications", false},
	{svcEC2, "DescribeVpcEndpointConnections", false},
	{svcEC2, "DescribeAvailabilityZones", false},
	{svcEC2, "DescribeVpcs", false},
	{svcEC2, "DescribeSubnets", false},
	{svcEC2, "DescribeSecurityGroups", false},
	{svcEC2, "DescribeVpcEndpoints", false},
	{svcEC2, "DescribeInstances", false},

	{svcELB, "DescribeLoadBalancers", false},
	{svcELB, "DescribeListeners", false},
	{svcELB, "DescribeLoadBalancerAttributes", false},
	{svcELB, "DescribeTargetGroups", false},
	{svcELB, "DescribeTargetGroupAttributes", false},
	{svcELB, "DescribeTargetHealth", false},

	{svcCloudWatch, "GetMetricData", false},

	{svcEC2, "AcceptVpcEndpointConnections", true},
	{svcEC2, "RejectVpcEndpointConnections", true},
	{svcEC2, "CreateVpcEndpointServiceConfiguration", true},
	{svcEC2, "ModifyVpcEndpointServiceConfiguration", true},
	{svcEC2, "ModifyVpcEndpointServicePermissions", true},
	{svcEC2, "StartVpcEndpointServicePrivateDnsVerification", true},
	{svcEC2, "ModifyVpcEndpointServicePayerResponsibility", true},
	{svcEC2, "CreateVpcEndpointConnectionNotification", true},
	{svcEC2, "DeleteVpcEndpointConnectionNotifications", true},
	{svcEC2, "CreateVpcEndpoint", true},
	{svcEC2, "DeleteVpcEndpoints", true},
	{svcEC2, "DeleteVpcEndpointServiceConfigurations", true},
	{svcEC2, "ModifyVpcEndpointPayerResponsibility", true},
	{svcEC2, "CreateTags", true},
	{svcEC2, "DeleteTags", true},
}

// taggingOnCreate lists IAM actions the policies need without awsops calling them: tagging a
// resource in its create call (TagSpecifications) is authorised as ec2:CreateTags too.
var taggingOnCreate = []string{"ec2:CreateTags"}

// multiRegionPermission is the permission-only action AWS checks when a service is offered
// to other Regions (SupportedRegions): it is part of no API call, so the operation table
// does not list it, but operator.json must grant it.
var multiRegionPermission = []string{"vpce:AllowMultiRegion"}

// isWrite says whether an operation of a service changes anything. Unknown operations are
// treated as writes, so the read-only guard fails closed.
func isWrite(service, name string) bool {
	for _, o := range operations {
		if o.Service == service && o.Name == name {
			return o.Write
		}
	}
	return true
}

// knownOperation says whether the operation is in the table.
func knownOperation(service, name string) (operation, bool) {
	for _, o := range operations {
		if o.Service == service && o.Name == name {
			return o, true
		}
	}
	return operation{}, false
}

// IAMActions lists the IAM actions awsops needs: only the reads when readOnly, else all.
// Sorted; docs/iam/readonly.json and operator.json hold the same lists.
func IAMActions(readOnly bool) []string {
	var out []string
	for _, o := range operations {
		if readOnly && o.Write {
			continue
		}
		out = append(out, o.IAMAction())
	}
	sort.Strings(out)
	return out
}
