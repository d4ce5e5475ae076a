package sim

// AWS-managed endpoint services: what DescribeVpcEndpointServices lists in every Region
// besides the services other accounts share (com.amazonaws.<region>.s3, ….ec2, …). They
// are listed for discovery only; the simulated region does not create endpoints to them
// (see CreateVpcEndpoint).

// awsServiceOwner is the Owner AWS gives its own endpoint services.
const awsServiceOwner = "amazon"

// awsManagedService is one AWS service reachable through PrivateLink (or, for S3 and
// DynamoDB, also through a gateway endpoint).
type awsManagedService struct {
	name       string // the last part of com.amazonaws.<region>.<name>
	gateway    bool   // the gateway endpoint of S3 or DynamoDB, not the interface one
	privateDNS bool   // the interface endpoint can take over <name>.<region>.amazonaws.com
}

// awsManagedServices is a representative part of what a commercial Region offers: the
// services a PrivateLink provider's own VPCs typically reach privately.
var awsManagedServices = []awsManagedService{
	{name: "dynamodb", gateway: true},
	{name: "dynamodb"},
	{name: "ec2", privateDNS: true},
	{name: "ec2messages", privateDNS: true},
	{name: "ecr.api", privateDNS: true},
	{name: "ecr.dkr", privateDNS: true},
	{name: "elasticloadbalancing", privateDNS: true},
	{name: "events", privateDNS: true},
	{name: "execute-api", privateDNS: true},
	{name: "kinesis-streams", privateDNS: true},
	{name: "kms", privateDNS: true},
	{name: "lambda", privateDNS: true},
	{name: "logs", privateDNS: true},
	{name: "monitoring", privateDNS: true},
	{name: "s3", gateway: true},
	{name: "s3"},
	{name: "secretsmanager", privateDNS: true},
	{name: "sns", privateDNS: true},
	{name: "sqs", privateDNS: true},
	{name: "ssm", privateDNS: true},
	{name: "ssmmessages", privateDNS: true},
	{name: "sts", privateDNS: true},
}

func (m awsManagedService) serviceName(region string) string {
	return "com.amazonaws." + region + "." + m.name
}

func (m awsManagedService) serviceType() string {
	if m.gateway {
		return "Gateway"
	}
	return ServiceTypeInterface
}

// detail is the service as DescribeVpcEndpointServices shows it to an account.
func (m awsManagedService) detail(region string, zones []AZ) xmlServiceDetail {
	x := xmlServiceDetail{
		ServiceName:                m.serviceName(region),
		ServiceID:                  hashID("vpce-svc-", "aws/"+region+"/"+m.name+"/"+m.serviceType()),
		ServiceType:                []xmlServiceTypeDetail{{ServiceType: m.serviceType()}},
		ServiceRegion:              region,
		Owner:                      awsServiceOwner,
		VpcEndpointPolicySupported: true,
		AcceptanceRequired:         false,
		ManagesVpcEndpoints:        false,
		SupportedIPAddressTypes:    []string{"ipv4"},
	}
	for _, z := range zones {
		x.AvailabilityZones = append(x.AvailabilityZones, z.Name)
		x.AvailabilityZoneIDs = append(x.AvailabilityZoneIDs, z.ID)
	}
	if m.gateway {
		x.BaseEndpointDNSNames = []string{m.name + "." + region + ".amazonaws.com"}
		return x
	}
	x.BaseEndpointDNSNames = []string{m.name + "." + region + ".vpce.amazonaws.com"}
	if m.privateDNS {
		name := m.name + "." + region + ".amazonaws.com"
		x.PrivateDNSName = name
		x.PrivateDNSNames = []xmlPrivateDNSDetails{{PrivateDNSName: name}}
		x.PrivateDNSNameVerificationState = DNSVerified
	}
	return x
}

// isAWSServiceName says whether name is one of the region's AWS-managed services.
func isAWSServiceName(name, region string) bool {
	for _, m := range awsManagedServices {
		if m.serviceName(region) == name {
			return true
		}
	}
	return false
}
