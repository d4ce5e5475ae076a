package awsops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// AvailabilityZones maps the region's zone names to their account-independent ids. The
// session's region probe has usually read them already; then this costs no request.
func (c *Client) AvailabilityZones(ctx context.Context) ([]model.AvailabilityZone, error) {
	s := c.session()
	if s.zones != nil {
		return append([]model.AvailabilityZone(nil), s.zones...), nil
	}
	out, err := s.ec2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil, c.mapError("DescribeAvailabilityZones", err)
	}
	return zonesFromSDK(out.AvailabilityZones), nil
}

func zonesFromSDK(in []types.AvailabilityZone) []model.AvailabilityZone {
	zones := make([]model.AvailabilityZone, 0, len(in))
	for _, z := range in {
		zones = append(zones, model.AvailabilityZone{
			Name: aws.ToString(z.ZoneName), ID: aws.ToString(z.ZoneId), State: string(z.State),
		})
	}
	return zones
}

// ListVpcs reads the caller's VPCs (the consumer side a test connection is made from).
func (c *Client) ListVpcs(ctx context.Context) ([]model.Vpc, error) {
	s := c.session()
	p := ec2.NewDescribeVpcsPaginator(s.ec2, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(ec2PageSize)})
	var out []model.Vpc
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError("DescribeVpcs", err)
		}
		for _, v := range page.Vpcs {
			out = append(out, model.Vpc{
				ID:        aws.ToString(v.VpcId),
				CIDR:      aws.ToString(v.CidrBlock),
				IsDefault: aws.ToBool(v.IsDefault),
				Name:      tagsFromSDK(v.Tags)["Name"],
			})
		}
	}
	return out, nil
}

// ListSubnets reads a VPC's subnets (every subnet when vpcID is ""), with AZ names and ids.
func (c *Client) ListSubnets(ctx context.Context, vpcID string) ([]model.Subnet, error) {
	s := c.session()
	in := &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(ec2PageSize)}
	if vpcID != "" {
		in.Filters = []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}
	}
	p := ec2.NewDescribeSubnetsPaginator(s.ec2, in)
	var out []model.Subnet
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError("DescribeSubnets", err)
		}
		for _, sn := range page.Subnets {
			out = append(out, model.Subnet{
				ID:    aws.ToString(sn.SubnetId),
				VpcID: aws.ToString(sn.VpcId),
				CIDR:  aws.ToString(sn.CidrBlock),
				AZ:    aws.ToString(sn.AvailabilityZone),
				AZID:  aws.ToString(sn.AvailabilityZoneId),
				Name:  tagsFromSDK(sn.Tags)["Name"],
			})
		}
	}
	return out, nil
}

// ListSecurityGroups reads a VPC's security groups (every group when vpcID is "").
func (c *Client) ListSecurityGroups(ctx context.Context, vpcID string) ([]model.SecurityGroup, error) {
	s := c.session()
	in := &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(ec2PageSize)}
	if vpcID != "" {
		in.Filters = []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}
	}
	p := ec2.NewDescribeSecurityGroupsPaginator(s.ec2, in)
	var out []model.SecurityGroup
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError("DescribeSecurityGroups", err)
		}
		for _, g := range page.SecurityGroups {
			out = append(out, model.SecurityGroup{
				ID: aws.ToString(g.GroupId), Name: aws.ToString(g.GroupName), VpcID: aws.ToString(g.VpcId),
			})
		}
	}
	return out, nil
}

// ListEndpoints reads the caller's interface VPC endpoints.
func (c *Client) ListEndpoints(ctx context.Context) ([]model.Endpoint, error) {
	s := c.session()
	p := ec2.NewDescribeVpcEndpointsPaginator(s.ec2, &ec2.DescribeVpcEndpointsInput{
		Filters:    []types.Filter{{Name: aws.String("vpc-endpoint-type"), Values: []string{string(types.VpcEndpointTypeInterface)}}},
		MaxResults: aws.Int32(ec2PageSize),
	})
	var out []model.Endpoint
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError("DescribeVpcEndpoints", err)
		}
		for _, e := range page.VpcEndpoints {
			out = append(out, endpointFromSDK(e))
		}
	}
	return out, nil
}

// Endpoint reads one of the caller's VPC endpoints (a test consumer watching its endpoint
// go from pendingAcceptance to available, then deleted). AWS answers an endpoint that no
// longer exists with InvalidVpcEndpointId.NotFound.
func (c *Client) Endpoint(ctx context.Context, id string) (model.Endpoint, error) {
	const op = "DescribeVpcEndpoints"
	out, err := c.session().ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	if err != nil {
		return model.Endpoint{}, c.mapError(op, err)
	}
	for _, e := range out.VpcEndpoints {
		if aws.ToString(e.VpcEndpointId) == id {
			return endpointFromSDK(e), nil
		}
	}
	return model.Endpoint{}, &model.AWSError{Operation: op, Code: "InvalidVpcEndpointId.NotFound",
		Sentence: fmt.Sprintf("%s: VPC endpoint %s was not found.", op, id)}
}

// CreateEndpoint creates an interface endpoint on the consumer side (idempotent through
// ClientToken, generated when the input has none).
func (c *Client) CreateEndpoint(ctx context.Context, in model.CreateEndpointInput) (model.Endpoint, error) {
	const op = "CreateVpcEndpoint"
	token := in.ClientToken
	if token == "" {
		token = model.NewClientToken()
	}
	req := &ec2.CreateVpcEndpointInput{
		VpcEndpointType:   types.VpcEndpointTypeInterface,
		VpcId:             aws.String(in.VpcID),
		ServiceName:       aws.String(in.ServiceName),
		SubnetIds:         in.SubnetIDs,
		SecurityGroupIds:  in.SecurityGroupIDs,
		PrivateDnsEnabled: aws.Bool(in.PrivateDNSEnabled),
		ClientToken:       aws.String(token),
		DryRun:            c.dryRun(),
	}
	if in.Type == string(types.VpcEndpointTypeGatewayLoadBalancer) {
		// a GWLB endpoint has neither security groups nor private DNS
		req.VpcEndpointType, req.SecurityGroupIds, req.PrivateDnsEnabled = types.VpcEndpointTypeGatewayLoadBalancer, nil, nil
	}
	if in.IPAddressType != "" {
		req.IpAddressType = types.IpAddressType(in.IPAddressType)
	}
	if in.ServiceRegion != "" {
		req.ServiceRegion = aws.String(in.ServiceRegion)
	}
	var ep model.Endpoint
	err := c.doWrite(op, []string{in.ServiceName, in.VpcID}, func(s *session) (writeOutcome, error) {
		out, err := s.ec2.CreateVpcEndpoint(ctx, req)
		if err != nil {
			return writeOutcome{}, err
		}
		if out.VpcEndpoint != nil {
			ep = endpointFromSDK(*out.VpcEndpoint)
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
	return ep, err
}

// DeleteEndpoints deletes the caller's VPC endpoints, one request per 1000 ids; results and
// err follow bulkWrite's contract (one outcome per id, also when a request failed).
func (c *Client) DeleteEndpoints(ctx context.Context, ids []string) ([]model.ItemResult, error) {
	const op = "DeleteVpcEndpoints"
	return c.bulkWrite(ctx, op, nil, ids, func(ctx context.Context, s *session, chunk []string) ([]types.UnsuccessfulItem, middleware.Metadata, error) {
		out, err := s.ec2.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: chunk, DryRun: c.dryRun()})
		if err != nil {
			return nil, middleware.Metadata{}, err
		}
		return out.Unsuccessful, out.ResultMetadata, nil
	})
}

func endpointFromSDK(e types.VpcEndpoint) model.Endpoint {
	st, _ := model.ParseConnectionState(string(e.State))
	out := model.Endpoint{
		ID:                aws.ToString(e.VpcEndpointId),
		Type:              string(e.VpcEndpointType),
		ServiceName:       aws.ToString(e.ServiceName),
		VpcID:             aws.ToString(e.VpcId),
		SubnetIDs:         e.SubnetIds,
		State:             st,
		PrivateDNSEnabled: aws.ToBool(e.PrivateDnsEnabled),
		IPAddressType:     string(e.IpAddressType),
		NetworkInterfaces: e.NetworkInterfaceIds,
		OwnerAccount:      aws.ToString(e.OwnerId),
		Created:           aws.ToTime(e.CreationTimestamp),
		ServiceRegion:     aws.ToString(e.ServiceRegion),
	}
	for _, g := range e.Groups {
		out.SecurityGroupIDs = append(out.SecurityGroupIDs, aws.ToString(g.GroupId))
	}
	for _, d := range e.DnsEntries {
		if n := aws.ToString(d.DnsName); n != "" {
			out.DNSNames = append(out.DNSNames, n)
		}
	}
	return out
}
