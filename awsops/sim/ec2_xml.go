package sim

// EC2 Query response shapes. Element names follow the aws-sdk-go-v2 ec2 deserializers
// (awsEc2query_deserializeDocument…): lists are <fooSet><item>…</item></fooSet>, members are
// lowerCamel. Each *Response type is the inside of <ActionResponse>; the core adds the
// envelope and <requestId>.

// ec2TimeFormat is how EC2 renders timestamps (ISO 8601, milliseconds, UTC).
const ec2TimeFormat = "2006-01-02T15:04:05.000Z"

type xmlTag struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type xmlServiceTypeDetail struct {
	ServiceType string `xml:"serviceType"`
}

type xmlPrivateDNSNameConfiguration struct {
	State string `xml:"state,omitempty"`
	Type  string `xml:"type,omitempty"`
	Value string `xml:"value,omitempty"`
	Name  string `xml:"name,omitempty"`
}

type xmlSupportedRegionDetail struct {
	Region       string `xml:"region"`
	ServiceState string `xml:"serviceState"`
}

type xmlServiceConfiguration struct {
	ServiceType                 []xmlServiceTypeDetail          `xml:"serviceType>item"`
	ServiceID                   string                          `xml:"serviceId"`
	ServiceName                 string                          `xml:"serviceName"`
	ServiceState                string                          `xml:"serviceState"`
	AvailabilityZoneIDs         []string                        `xml:"availabilityZoneIdSet>item"`
	AvailabilityZones           []string                        `xml:"availabilityZoneSet>item"`
	AcceptanceRequired          bool                            `xml:"acceptanceRequired"`
	ManagesVpcEndpoints         bool                            `xml:"managesVpcEndpoints"`
	NetworkLoadBalancerArns     []string                        `xml:"networkLoadBalancerArnSet>item"`
	GatewayLoadBalancerArns     []string                        `xml:"gatewayLoadBalancerArnSet>item"`
	SupportedIPAddressTypes     []string                        `xml:"supportedIpAddressTypeSet>item"`
	BaseEndpointDNSNames        []string                        `xml:"baseEndpointDnsNameSet>item"`
	PrivateDNSName              string                          `xml:"privateDnsName,omitempty"`
	PrivateDNSNameConfiguration *xmlPrivateDNSNameConfiguration `xml:"privateDnsNameConfiguration,omitempty"`
	PayerResponsibility         string                          `xml:"payerResponsibility,omitempty"`
	Tags                        []xmlTag                        `xml:"tagSet>item"`
	SupportedRegions            []xmlSupportedRegionDetail      `xml:"supportedRegionSet>item"`
	RemoteAccessEnabled         bool                            `xml:"remoteAccessEnabled"`
}

type describeServiceConfigurationsResponse struct {
	Services  []xmlServiceConfiguration `xml:"serviceConfigurationSet>item"`
	NextToken string                    `xml:"nextToken,omitempty"`
}

type createServiceConfigurationResponse struct {
	Service     xmlServiceConfiguration `xml:"serviceConfiguration"`
	ClientToken string                  `xml:"clientToken,omitempty"`
}

// returnResponse is the <return>true</return> reply of the Modify/Start calls.
type returnResponse struct {
	Return bool `xml:"return"`
}

type xmlUnsuccessfulItemError struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type xmlUnsuccessfulItem struct {
	Error      xmlUnsuccessfulItemError `xml:"error"`
	ResourceID string                   `xml:"resourceId"`
}

// unsuccessfulResponse is the reply of the bulk calls (accept, reject, delete).
type unsuccessfulResponse struct {
	Unsuccessful []xmlUnsuccessfulItem `xml:"unsuccessful>item"`
}

func (r *unsuccessfulResponse) fail(id string, e *APIError) {
	r.Unsuccessful = append(r.Unsuccessful, xmlUnsuccessfulItem{
		Error:      xmlUnsuccessfulItemError{Code: e.Code, Message: e.Message},
		ResourceID: id,
	})
}

type xmlAllowedPrincipal struct {
	PrincipalType       string   `xml:"principalType"`
	Principal           string   `xml:"principal"`
	ServicePermissionID string   `xml:"servicePermissionId"`
	Tags                []xmlTag `xml:"tagSet>item"`
	ServiceID           string   `xml:"serviceId"`
}

type describeServicePermissionsResponse struct {
	Principals []xmlAllowedPrincipal `xml:"allowedPrincipals>item"`
	NextToken  string                `xml:"nextToken,omitempty"`
}

type xmlAddedPrincipal struct {
	PrincipalType       string `xml:"principalType"`
	Principal           string `xml:"principal"`
	ServicePermissionID string `xml:"servicePermissionId"`
	ServiceID           string `xml:"serviceId"`
}

type modifyServicePermissionsResponse struct {
	Added  []xmlAddedPrincipal `xml:"addedPrincipalSet>item"`
	Return bool                `xml:"return"`
}

type xmlDNSEntry struct {
	DNSName      string `xml:"dnsName"`
	HostedZoneID string `xml:"hostedZoneId"`
}

type xmlConnectionNotification struct {
	ConnectionNotificationID    string   `xml:"connectionNotificationId"`
	ServiceID                   string   `xml:"serviceId,omitempty"`
	VpcEndpointID               string   `xml:"vpcEndpointId,omitempty"`
	ConnectionNotificationType  string   `xml:"connectionNotificationType"`
	ConnectionNotificationArn   string   `xml:"connectionNotificationArn"`
	ConnectionEvents            []string `xml:"connectionEvents>item"`
	ConnectionNotificationState string   `xml:"connectionNotificationState"`
}

type createConnectionNotificationResponse struct {
	Notification xmlConnectionNotification `xml:"connectionNotification"`
	ClientToken  string                    `xml:"clientToken,omitempty"`
}

type describeConnectionNotificationsResponse struct {
	Notifications []xmlConnectionNotification `xml:"connectionNotificationSet>item"`
	NextToken     string                      `xml:"nextToken,omitempty"`
}

type xmlPrivateDNSDetails struct {
	PrivateDNSName string `xml:"privateDnsName"`
}

type xmlServiceDetail struct {
	ServiceName                     string                 `xml:"serviceName"`
	ServiceID                       string                 `xml:"serviceId"`
	ServiceType                     []xmlServiceTypeDetail `xml:"serviceType>item"`
	ServiceRegion                   string                 `xml:"serviceRegion,omitempty"`
	AvailabilityZoneIDs             []string               `xml:"availabilityZoneIdSet>item"`
	AvailabilityZones               []string               `xml:"availabilityZoneSet>item"`
	Owner                           string                 `xml:"owner"`
	BaseEndpointDNSNames            []string               `xml:"baseEndpointDnsNameSet>item"`
	PrivateDNSName                  string                 `xml:"privateDnsName,omitempty"`
	PrivateDNSNames                 []xmlPrivateDNSDetails `xml:"privateDnsNameSet>item"`
	VpcEndpointPolicySupported      bool                   `xml:"vpcEndpointPolicySupported"`
	AcceptanceRequired              bool                   `xml:"acceptanceRequired"`
	ManagesVpcEndpoints             bool                   `xml:"managesVpcEndpoints"`
	PayerResponsibility             string                 `xml:"payerResponsibility,omitempty"`
	Tags                            xmlTagSet              `xml:"tagSet"`
	PrivateDNSNameVerificationState string                 `xml:"privateDnsNameVerificationState,omitempty"`
	SupportedIPAddressTypes         []string               `xml:"supportedIpAddressTypeSet>item"`
}

type describeEndpointServicesResponse struct {
	ServiceNames []string           `xml:"serviceNameSet>item"`
	Services     []xmlServiceDetail `xml:"serviceDetailSet>item"`
	NextToken    string             `xml:"nextToken,omitempty"`
}

type xmlGroupIdentifier struct {
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName"`
}

type xmlDNSOptions struct {
	DNSRecordIPType string `xml:"dnsRecordIpType"`
}

type xmlLastError struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type xmlVpcEndpoint struct {
	VpcEndpointID       string               `xml:"vpcEndpointId"`
	VpcEndpointType     string               `xml:"vpcEndpointType"`
	VpcID               string               `xml:"vpcId"`
	ServiceName         string               `xml:"serviceName"`
	State               string               `xml:"state"`
	PolicyDocument      string               `xml:"policyDocument,omitempty"`
	RouteTableIDs       []string             `xml:"routeTableIdSet>item"`
	SubnetIDs           []string             `xml:"subnetIdSet>item"`
	Groups              []xmlGroupIdentifier `xml:"groupSet>item"`
	IPAddressType       string               `xml:"ipAddressType,omitempty"`
	DNSOptions          *xmlDNSOptions       `xml:"dnsOptions,omitempty"`
	PrivateDNSEnabled   bool                 `xml:"privateDnsEnabled"`
	RequesterManaged    bool                 `xml:"requesterManaged"`
	NetworkInterfaceIDs []string             `xml:"networkInterfaceIdSet>item"`
	DNSEntries          []xmlDNSEntry        `xml:"dnsEntrySet>item"`
	CreationTimestamp   string               `xml:"creationTimestamp"`
	Tags                []xmlTag             `xml:"tagSet>item"`
	OwnerID             string               `xml:"ownerId"`
	LastError           *xmlLastError        `xml:"lastError,omitempty"`
	ServiceRegion       string               `xml:"serviceRegion,omitempty"`
}

type createVpcEndpointResponse struct {
	Endpoint    xmlVpcEndpoint `xml:"vpcEndpoint"`
	ClientToken string         `xml:"clientToken,omitempty"`
}

type describeVpcEndpointsResponse struct {
	Endpoints []xmlVpcEndpoint `xml:"vpcEndpointSet>item"`
	NextToken string           `xml:"nextToken,omitempty"`
}

type xmlCidrBlockState struct {
	State string `xml:"state"`
}

type xmlCidrBlockAssociation struct {
	AssociationID  string            `xml:"associationId"`
	CidrBlock      string            `xml:"cidrBlock"`
	CidrBlockState xmlCidrBlockState `xml:"cidrBlockState"`
}

type xmlVpc struct {
	VpcID               string                    `xml:"vpcId"`
	OwnerID             string                    `xml:"ownerId"`
	State               string                    `xml:"state"`
	CidrBlock           string                    `xml:"cidrBlock"`
	CidrBlockAssociates []xmlCidrBlockAssociation `xml:"cidrBlockAssociationSet>item"`
	DhcpOptionsID       string                    `xml:"dhcpOptionsId"`
	Tags                []xmlTag                  `xml:"tagSet>item"`
	InstanceTenancy     string                    `xml:"instanceTenancy"`
	IsDefault           bool                      `xml:"isDefault"`
}

type describeVpcsResponse struct {
	Vpcs      []xmlVpc `xml:"vpcSet>item"`
	NextToken string   `xml:"nextToken,omitempty"`
}

// xmlEmptySet is a list AWS always sends, here always empty (<ipv6CidrBlockAssociationSet/>).
type xmlEmptySet struct{}

type xmlPrivateDNSNameOptions struct {
	HostnameType                    string `xml:"hostnameType"`
	EnableResourceNameDNSARecord    bool   `xml:"enableResourceNameDnsARecord"`
	EnableResourceNameDNSAAAARecord bool   `xml:"enableResourceNameDnsAAAARecord"`
}

// xmlSubnet holds every member of the subnets in AWS's own DescribeSubnets examples.
type xmlSubnet struct {
	SubnetID                      string                   `xml:"subnetId"`
	SubnetArn                     string                   `xml:"subnetArn"`
	State                         string                   `xml:"state"`
	VpcID                         string                   `xml:"vpcId"`
	OwnerID                       string                   `xml:"ownerId"`
	CidrBlock                     string                   `xml:"cidrBlock"`
	Ipv6CidrBlockAssociations     xmlEmptySet              `xml:"ipv6CidrBlockAssociationSet"`
	AvailableIPAddressCount       int                      `xml:"availableIpAddressCount"`
	AvailabilityZone              string                   `xml:"availabilityZone"`
	AvailabilityZoneID            string                   `xml:"availabilityZoneId"`
	DefaultForAz                  bool                     `xml:"defaultForAz"`
	MapPublicIPOnLaunch           bool                     `xml:"mapPublicIpOnLaunch"`
	AssignIpv6AddressOnCreation   bool                     `xml:"assignIpv6AddressOnCreation"`
	MapCustomerOwnedIPOnLaunch    bool                     `xml:"mapCustomerOwnedIpOnLaunch"`
	EnableDNS64                   bool                     `xml:"enableDns64"`
	Ipv6Native                    bool                     `xml:"ipv6Native"`
	PrivateDNSNameOptionsOnLaunch xmlPrivateDNSNameOptions `xml:"privateDnsNameOptionsOnLaunch"`
	Tags                          []xmlTag                 `xml:"tagSet>item"`
}

type describeSubnetsResponse struct {
	Subnets   []xmlSubnet `xml:"subnetSet>item"`
	NextToken string      `xml:"nextToken,omitempty"`
}

type xmlAvailabilityZone struct {
	ZoneName           string      `xml:"zoneName"`
	ZoneID             string      `xml:"zoneId"`
	ZoneState          string      `xml:"zoneState"`
	OptInStatus        string      `xml:"optInStatus"`
	Messages           xmlEmptySet `xml:"messageSet"` // no zone of the region has a message
	RegionName         string      `xml:"regionName"`
	GroupName          string      `xml:"groupName"`
	GroupLongName      string      `xml:"groupLongName"`
	NetworkBorderGroup string      `xml:"networkBorderGroup"`
	ZoneType           string      `xml:"zoneType"`
}

type describeAvailabilityZonesResponse struct {
	Zones []xmlAvailabilityZone `xml:"availabilityZoneInfo>item"`
}

type xmlIPRange struct {
	CidrIP      string `xml:"cidrIp"`
	Description string `xml:"description,omitempty"`
}

type xmlUserIDGroupPair struct {
	UserID      string `xml:"userId"`
	GroupID     string `xml:"groupId"`
	Description string `xml:"description,omitempty"`
}

// xmlIPPermission is one rule. Its four lists are always present, empty or not, as in
// AWS's replies; the ports only for a protocol that has them.
type xmlIPPermission struct {
	IPProtocol string `xml:"ipProtocol"`
	FromPort   *int32 `xml:"fromPort,omitempty"`
	ToPort     *int32 `xml:"toPort,omitempty"`
	Groups     struct {
		Items []xmlUserIDGroupPair `xml:"item"`
	} `xml:"groups"`
	IPRanges struct {
		Items []xmlIPRange `xml:"item"`
	} `xml:"ipRanges"`
	Ipv6Ranges    xmlEmptySet `xml:"ipv6Ranges"`
	PrefixListIDs xmlEmptySet `xml:"prefixListIds"`
}

type xmlIPPermissionList struct {
	Items []xmlIPPermission `xml:"item"`
}

type xmlSecurityGroup struct {
	OwnerID             string              `xml:"ownerId"`
	GroupID             string              `xml:"groupId"`
	GroupName           string              `xml:"groupName"`
	GroupDescription    string              `xml:"groupDescription"`
	IPPermissions       xmlIPPermissionList `xml:"ipPermissions"`
	IPPermissionsEgress xmlIPPermissionList `xml:"ipPermissionsEgress"`
	VpcID               string              `xml:"vpcId"`
	SecurityGroupArn    string              `xml:"securityGroupArn"`
	Tags                []xmlTag            `xml:"tagSet>item"`
}

type describeSecurityGroupsResponse struct {
	Groups    []xmlSecurityGroup `xml:"securityGroupInfo>item"`
	NextToken string             `xml:"nextToken,omitempty"`
}

// xmlTagSet is a tag list that is always present, empty or not (<tagSet/>).
type xmlTagSet struct {
	Items []xmlTag `xml:"item"`
}

func xmlTags(tags []Tag) []xmlTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]xmlTag, len(tags))
	for i, t := range tags {
		out[i] = xmlTag{Key: t.Key, Value: t.Value}
	}
	return out
}
