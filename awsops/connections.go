package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/plconsole/plconsole/model"
)

// ListConnections reads the consumer connections of one service, or of every service when
// serviceID is "", in every state, in pages of 1000.
func (c *Client) ListConnections(ctx context.Context, serviceID string) ([]model.Connection, error) {
	return c.listConnections(ctx, c.session(), serviceID)
}

func (c *Client) listConnections(ctx context.Context, s *session, serviceID string) ([]model.Connection, error) {
	const op = "DescribeVpcEndpointConnections"
	in := &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(ec2PageSize)}
	if serviceID != "" {
		in.Filters = []types.Filter{{Name: aws.String("service-id"), Values: []string{serviceID}}}
	}
	p := ec2.NewDescribeVpcEndpointConnectionsPaginator(s.ec2, in)
	var out []model.Connection
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError(op, err)
		}
		if out == nil {
			out = make([]model.Connection, 0, len(page.VpcEndpointConnections))
		}
		for _, vc := range page.VpcEndpointConnections {
			out = append(out, connectionFromSDK(vc))
		}
	}
	return out, nil
}

// AcceptConnections accepts consumer endpoints' requests to connect to one service, in one
// request per 1000 endpoints; each endpoint's outcome is reported on its own.
func (c *Client) AcceptConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error) {
	const op = "AcceptVpcEndpointConnections"
	return c.bulkConnections(op, serviceID, endpointIDs, func(s *session, ids []string) ([]types.UnsuccessfulItem, []string, error) {
		out, err := s.ec2.AcceptVpcEndpointConnections(ctx, &ec2.AcceptVpcEndpointConnectionsInput{
			ServiceId: aws.String(serviceID), VpcEndpointIds: ids, DryRun: c.dryRun(),
		})
		if err != nil {
			return nil, nil, err
		}
		return out.Unsuccessful, requestIDs(out.ResultMetadata), nil
	})
}

// RejectConnections rejects (or cuts) consumer endpoints' connections to one service.
func (c *Client) RejectConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error) {
	const op = "RejectVpcEndpointConnections"
	return c.bulkConnections(op, serviceID, endpointIDs, func(s *session, ids []string) ([]types.UnsuccessfulItem, []string, error) {
		out, err := s.ec2.RejectVpcEndpointConnections(ctx, &ec2.RejectVpcEndpointConnectionsInput{
			ServiceId: aws.String(serviceID), VpcEndpointIds: ids, DryRun: c.dryRun(),
		})
		if err != nil {
			return nil, nil, err
		}
		return out.Unsuccessful, requestIDs(out.ResultMetadata), nil
	})
}

func (c *Client) bulkConnections(op, serviceID string, endpointIDs []string,
	send func(s *session, ids []string) ([]types.UnsuccessfulItem, []string, error)) ([]model.ItemResult, error) {
	ids := dedupe(endpointIDs)
	var results []model.ItemResult
	err := c.doWrite(op, append([]string{serviceID}, ids...), func(s *session) (writeOutcome, error) {
		var wo writeOutcome
		done := 0
		for _, chunk := range chunks(ids, maxEndpointIDsPerCall) {
			unsuccessful, reqIDs, err := send(s, chunk)
			if err != nil {
				// Earlier chunks went through and are reported; this one and the rest were not done.
				wo.failed = append(failedIDs(results), ids[done:]...)
				return wo, err
			}
			done += len(chunk)
			wo.requestIDs = append(wo.requestIDs, reqIDs...)
			results = append(results, itemResults(op, chunk, unsuccessful)...)
		}
		wo.failed = failedIDs(results)
		return wo, nil
	})
	if err != nil && len(results) == 0 {
		return nil, err
	}
	return results, err
}

func connectionFromSDK(vc types.VpcEndpointConnection) model.Connection {
	st, _ := model.ParseConnectionState(string(vc.VpcEndpointState))
	cn := model.Connection{
		ServiceID:     aws.ToString(vc.ServiceId),
		EndpointID:    aws.ToString(vc.VpcEndpointId),
		ConnectionID:  aws.ToString(vc.VpcEndpointConnectionId),
		OwnerAccount:  aws.ToString(vc.VpcEndpointOwner),
		State:         st,
		Created:       aws.ToTime(vc.CreationTimestamp),
		Region:        aws.ToString(vc.VpcEndpointRegion),
		IPAddressType: string(vc.IpAddressType),
		Tags:          tagsFromSDK(vc.Tags),
	}
	cn.LoadBalancers = append(cn.LoadBalancers, vc.NetworkLoadBalancerArns...)
	cn.LoadBalancers = append(cn.LoadBalancers, vc.GatewayLoadBalancerArns...)
	for _, d := range vc.DnsEntries {
		if n := aws.ToString(d.DnsName); n != "" {
			cn.DNSNames = append(cn.DNSNames, n)
		}
	}
	return cn
}
