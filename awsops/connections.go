package awsops

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// ListConnections reads the consumer connections of one service, or of every service when
// serviceID is "", in every state, in pages of 1000.
func (c *Client) ListConnections(ctx context.Context, serviceID string) ([]model.Connection, error) {
	return c.listConnections(ctx, c.session(), serviceID)
}

func (c *Client) listConnections(ctx context.Context, s *session, serviceID string) ([]model.Connection, error) {
	var filters []types.Filter
	if serviceID != "" {
		filters = []types.Filter{{Name: aws.String("service-id"), Values: []string{serviceID}}}
	}
	return c.describeConnections(ctx, s, filters)
}

// listPendingConnections reads the connections waiting for acceptance, filtered by AWS: a
// fleet's inventory is 50 pages, its pending requests usually one.
func (c *Client) listPendingConnections(ctx context.Context, s *session) ([]model.Connection, error) {
	return c.describeConnections(ctx, s, []types.Filter{{Name: aws.String("vpc-endpoint-state"),
		Values: []string{string(model.StatePendingAcceptance)}}})
}

// listServicesConnections reads the connections of the given services (every state), with
// the service-id filter, maxFilterValuesPerCall ids per listing.
func (c *Client) listServicesConnections(ctx context.Context, s *session, ids []string) ([]model.Connection, error) {
	ids = dedupe(ids)
	var out []model.Connection
	for _, chunk := range chunks(ids, maxFilterValuesPerCall) {
		conns, err := c.describeConnections(ctx, s, []types.Filter{{Name: aws.String("service-id"), Values: chunk}})
		if err != nil {
			return nil, err
		}
		out = append(out, conns...)
	}
	return out, nil
}

func (c *Client) describeConnections(ctx context.Context, s *session, filters []types.Filter) ([]model.Connection, error) {
	const op = "DescribeVpcEndpointConnections"
	in := &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(ec2PageSize), Filters: filters}
	p := ec2.NewDescribeVpcEndpointConnectionsPaginator(s.ec2, in)
	// the pages are joined once at the end: 50 pages appended one by one would copy the
	// growing list over and over
	var pages [][]model.Connection
	fast := withFastConnections(&s.strings)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, fast)
		if err != nil {
			return nil, c.mapError(op, err)
		}
		if conns, ok := fastConnections(page.ResultMetadata); ok {
			pages = append(pages, conns) // decoded and interned as they were read
			continue
		}
		conns := make([]model.Connection, 0, len(page.VpcEndpointConnections))
		for _, vc := range page.VpcEndpointConnections {
			conns = append(conns, s.strings.connection(connectionFromSDK(vc)))
		}
		pages = append(pages, conns)
	}
	if len(pages) == 1 {
		return pages[0], nil
	}
	return slices.Concat(pages...), nil
}

// AcceptConnections accepts consumer endpoints' requests to connect to one service, in one
// request per 1000 endpoints (bulkWrite's contract). results holds exactly one outcome per
// endpoint id (duplicates and "" dropped), in order — also when err is not nil: the ids of a
// request that failed are reported with that failure's code, the others with their own
// outcome. err is nil when every request went through (per-endpoint failures are only in
// results); otherwise it wraps the *model.AWSError of the first failed request. Read-only
// and dry-run return nil results and the guard's error or the *model.DryRunResult.
//
// An endpoint AWS refuses because it is no longer waiting (InvalidState) but which is
// accepted already — an earlier attempt whose reply was lost, or someone else — is reported
// as accepted, after one read of the service's connections: what the user asked for holds.
func (c *Client) AcceptConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error) {
	const op = "AcceptVpcEndpointConnections"
	res, err := c.bulkWrite(ctx, op, []string{serviceID}, endpointIDs, func(ctx context.Context, s *session, ids []string) ([]types.UnsuccessfulItem, middleware.Metadata, error) {
		out, err := s.ec2.AcceptVpcEndpointConnections(ctx, &ec2.AcceptVpcEndpointConnectionsInput{
			ServiceId: aws.String(serviceID), VpcEndpointIds: ids, DryRun: c.dryRun(),
		})
		if err != nil {
			return nil, middleware.Metadata{}, err
		}
		return out.Unsuccessful, out.ResultMetadata, nil
	})
	accepted := func(st model.ConnectionState) bool { return st == model.StatePending || st == model.StateAvailable }
	return c.reconcile(ctx, serviceID, res, accepted, "already accepted"), err
}

// RejectConnections rejects (or cuts) consumer endpoints' connections to one service, with
// exactly AcceptConnections' contract for results and err.
func (c *Client) RejectConnections(ctx context.Context, serviceID string, endpointIDs []string) ([]model.ItemResult, error) {
	const op = "RejectVpcEndpointConnections"
	res, err := c.bulkWrite(ctx, op, []string{serviceID}, endpointIDs, func(ctx context.Context, s *session, ids []string) ([]types.UnsuccessfulItem, middleware.Metadata, error) {
		out, err := s.ec2.RejectVpcEndpointConnections(ctx, &ec2.RejectVpcEndpointConnectionsInput{
			ServiceId: aws.String(serviceID), VpcEndpointIds: ids, DryRun: c.dryRun(),
		})
		if err != nil {
			return nil, middleware.Metadata{}, err
		}
		return out.Unsuccessful, out.ResultMetadata, nil
	})
	rejected := func(st model.ConnectionState) bool { return st == model.StateRejected }
	return c.reconcile(ctx, serviceID, res, rejected, "already rejected"), err
}

// reconcile turns failed items into successes when the state the write was for holds
// (reached), after one read of the service's connections. A write whose reply was lost is
// retried by the SDK, and the retry is refused (the endpoint is no longer waiting), throttled,
// or lost again: the request's last error then says nothing about whether an earlier attempt
// went through. Without this, an accepted connection would be reported as a failure.
func (c *Client) reconcile(ctx context.Context, serviceID string, res []model.ItemResult, reached func(model.ConnectionState) bool, note string) []model.ItemResult {
	failed := false
	for _, r := range res {
		failed = failed || !r.OK
	}
	if !failed {
		return res
	}
	conns, err := c.listConnections(ctx, c.session(), serviceID)
	if err != nil {
		// a refusal stands; a request that went unanswered may or may not have been carried
		// out, and that is what the user must be told
		out := make([]model.ItemResult, len(res))
		for i, r := range res {
			if !r.OK && retriedRequestFailure(r.Code) {
				r.Message = strings.TrimRight(r.Message, ".") + "; whether it was carried out is not known (no reply came): refresh to see."
			}
			out[i] = r
		}
		return out
	}
	state := make(map[string]model.ConnectionState, len(conns))
	for _, cn := range conns {
		state[cn.EndpointID] = cn.State
	}
	out := make([]model.ItemResult, len(res))
	for i, r := range res {
		if !r.OK && reached(state[r.ID]) {
			r = model.ItemResult{ID: r.ID, OK: true, Message: note + " (now " + string(state[r.ID]) + ")"}
		}
		out[i] = r
	}
	return out
}

// retriedRequestFailure says whether a failure is one the SDK retries (the network, a
// timeout, throttling, a server error): an earlier attempt of the request may have been
// carried out.
func retriedRequestFailure(code string) bool {
	switch code {
	case "NetworkError", "Timeout", "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable":
		return true
	}
	return isThrottle(code) || strings.HasPrefix(code, "HTTP5")
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
	for _, p := range vc.PayerResponsibilities {
		if p.Scope == types.PayerResponsibilityScopeVpcEndpointCharges {
			cn.Payer = string(p.PayerResponsibilityType)
		}
	}
	return cn
}
