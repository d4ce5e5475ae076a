package sim

// XML shapes of the ELBv2 replies: the children of <ActionResult>, as the SDK's awsquery
// deserializer expects them (lists wrapped in <member> elements).

const elbTimeFormat = "2006-01-02T15:04:05.000Z"

type elbXMLState struct {
	Code   string `xml:"Code"`
	Reason string `xml:"Reason,omitempty"`
}

type elbXMLAddress struct {
	IPAddress          string `xml:"IpAddress,omitempty"`
	PrivateIPv4Address string `xml:"PrivateIPv4Address,omitempty"`
}

type elbXMLZone struct {
	ZoneName  string          `xml:"ZoneName"`
	SubnetID  string          `xml:"SubnetId"`
	Addresses []elbXMLAddress `xml:"LoadBalancerAddresses>member"`
}

// elbXMLLoadBalancer is one load balancer. A Gateway Load Balancer has no DNS name, hosted
// zone or scheme: those members are absent from its description, not empty.
type elbXMLLoadBalancer struct {
	LoadBalancerArn       string       `xml:"LoadBalancerArn"`
	DNSName               string       `xml:"DNSName,omitempty"`
	CanonicalHostedZoneID string       `xml:"CanonicalHostedZoneId,omitempty"`
	CreatedTime           string       `xml:"CreatedTime"`
	LoadBalancerName      string       `xml:"LoadBalancerName"`
	Scheme                string       `xml:"Scheme,omitempty"`
	VpcID                 string       `xml:"VpcId"`
	State                 elbXMLState  `xml:"State"`
	Type                  string       `xml:"Type"`
	AvailabilityZones     []elbXMLZone `xml:"AvailabilityZones>member"`
	SecurityGroups        []string     `xml:"SecurityGroups>member"`
	IPAddressType         string       `xml:"IpAddressType"`
	// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is reported for an NLB that has
	// security groups ("on" | "off"); it is not one of the load balancer attributes.
	EnforceSGOnPrivateLink string `xml:"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,omitempty"`
}

type elbDescribeLoadBalancersResult struct {
	LoadBalancers []elbXMLLoadBalancer `xml:"LoadBalancers>member"`
	NextMarker    string               `xml:"NextMarker,omitempty"`
}

type elbXMLMatcher struct {
	HTTPCode string `xml:"HttpCode"`
}

type elbXMLTargetGroup struct {
	TargetGroupArn             string         `xml:"TargetGroupArn"`
	TargetGroupName            string         `xml:"TargetGroupName"`
	Protocol                   string         `xml:"Protocol,omitempty"`
	Port                       int32          `xml:"Port,omitempty"`
	VpcID                      string         `xml:"VpcId,omitempty"`
	HealthCheckProtocol        string         `xml:"HealthCheckProtocol"`
	HealthCheckPort            string         `xml:"HealthCheckPort"`
	HealthCheckEnabled         bool           `xml:"HealthCheckEnabled"`
	HealthCheckIntervalSeconds int32          `xml:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  int32          `xml:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      int32          `xml:"HealthyThresholdCount"`
	UnhealthyThresholdCount    int32          `xml:"UnhealthyThresholdCount"`
	HealthCheckPath            string         `xml:"HealthCheckPath,omitempty"`
	Matcher                    *elbXMLMatcher `xml:"Matcher,omitempty"`
	LoadBalancerArns           []string       `xml:"LoadBalancerArns>member"`
	TargetType                 string         `xml:"TargetType"`
	IPAddressType              string         `xml:"IpAddressType"`
}

type elbDescribeTargetGroupsResult struct {
	TargetGroups []elbXMLTargetGroup `xml:"TargetGroups>member"`
	NextMarker   string              `xml:"NextMarker,omitempty"`
}

type elbXMLTarget struct {
	ID               string `xml:"Id"`
	Port             int32  `xml:"Port,omitempty"`
	AvailabilityZone string `xml:"AvailabilityZone,omitempty"`
}

type elbXMLTargetHealth struct {
	State       string `xml:"State"`
	Reason      string `xml:"Reason,omitempty"`
	Description string `xml:"Description,omitempty"`
}

type elbXMLTargetHealthDescription struct {
	Target          elbXMLTarget       `xml:"Target"`
	HealthCheckPort string             `xml:"HealthCheckPort"`
	TargetHealth    elbXMLTargetHealth `xml:"TargetHealth"`
}

type elbDescribeTargetHealthResult struct {
	TargetHealthDescriptions []elbXMLTargetHealthDescription `xml:"TargetHealthDescriptions>member"`
}

type elbXMLTargetGroupTuple struct {
	TargetGroupArn string `xml:"TargetGroupArn"`
	Weight         int32  `xml:"Weight"`
}

type elbXMLStickiness struct {
	Enabled bool `xml:"Enabled"`
}

type elbXMLForwardConfig struct {
	TargetGroups []elbXMLTargetGroupTuple `xml:"TargetGroups>member"`
	Stickiness   elbXMLStickiness         `xml:"TargetGroupStickinessConfig"`
}

type elbXMLAction struct {
	Type           string               `xml:"Type"`
	TargetGroupArn string               `xml:"TargetGroupArn,omitempty"`
	ForwardConfig  *elbXMLForwardConfig `xml:"ForwardConfig,omitempty"`
}

type elbXMLCertificate struct {
	CertificateArn string `xml:"CertificateArn"`
}

type elbXMLListener struct {
	ListenerArn     string              `xml:"ListenerArn"`
	LoadBalancerArn string              `xml:"LoadBalancerArn"`
	Port            int32               `xml:"Port"`
	Protocol        string              `xml:"Protocol"`
	Certificates    []elbXMLCertificate `xml:"Certificates>member"`
	SslPolicy       string              `xml:"SslPolicy,omitempty"`
	DefaultActions  []elbXMLAction      `xml:"DefaultActions>member"`
}

type elbDescribeListenersResult struct {
	Listeners  []elbXMLListener `xml:"Listeners>member"`
	NextMarker string           `xml:"NextMarker,omitempty"`
}

type elbXMLAttribute struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type elbDescribeAttributesResult struct {
	Attributes []elbXMLAttribute `xml:"Attributes>member"`
}

func elbAttributes(kvs []KV) elbDescribeAttributesResult {
	out := elbDescribeAttributesResult{Attributes: make([]elbXMLAttribute, len(kvs))}
	for i, kv := range kvs {
		out.Attributes[i] = elbXMLAttribute{Key: kv.Key, Value: kv.Value}
	}
	return out
}
