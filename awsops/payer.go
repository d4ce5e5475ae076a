package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// SetConnectionPayer makes the consumer (model.PayerEndpointAccount) or the provider
// (model.PayerServiceAccount) pay for the charges of each endpoint connected to one
// service: one ModifyVpcEndpointPayerResponsibility per endpoint, since the operation takes
// one, with bulkWrite's contract (one result per endpoint, the others still sent after a
// failure, one audit line; read-only sends nothing, dry-run only the first request).
func (c *Client) SetConnectionPayer(ctx context.Context, serviceID string, endpointIDs []string, payer string) ([]model.ItemResult, error) {
	const op = "ModifyVpcEndpointPayerResponsibility"
	return c.bulkWriteN(ctx, op, []string{serviceID, "payer:" + payer}, endpointIDs, 1, func(ctx context.Context, s *session, ids []string) ([]types.UnsuccessfulItem, middleware.Metadata, error) {
		out, err := s.ec2.ModifyVpcEndpointPayerResponsibility(ctx, &ec2.ModifyVpcEndpointPayerResponsibilityInput{
			VpcEndpointId:       aws.String(ids[0]),
			ServiceId:           aws.String(serviceID),
			PayerResponsibility: types.PayerResponsibilityType(payer),
			Scope:               types.PayerResponsibilityScopeVpcEndpointCharges,
			DryRun:              c.dryRun(),
		})
		if err != nil {
			return nil, middleware.Metadata{}, err
		}
		return nil, out.ResultMetadata, nil
	})
}
