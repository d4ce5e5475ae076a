package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/plconsole/plconsole/model"
)

// SetConnectionPayer makes the consumer (model.PayerEndpointAccount) or the provider
// (model.PayerServiceAccount) pay for the charges of each endpoint connected to one
// service: one ModifyVpcEndpointPayerResponsibility per endpoint, since the operation takes
// one. It follows bulkWrite's contract: one result per endpoint id (deduplicated, in order),
// err the first failed request's error while the others are still sent, one audit line for
// the whole write; read-only sends nothing and dry-run sends only the first request, as the
// verdict on all of them.
func (c *Client) SetConnectionPayer(ctx context.Context, serviceID string, endpointIDs []string, payer string) ([]model.ItemResult, error) {
	const op = "ModifyVpcEndpointPayerResponsibility"
	ids := dedupe(endpointIDs)
	var results []model.ItemResult
	targets := append([]string{serviceID, "payer:" + payer}, ids...)
	err := c.doWriteFor(model.AuditReason(ctx), op, targets, func(s *session) (writeOutcome, error) {
		var (
			wo       writeOutcome
			firstErr error
		)
		for _, id := range ids {
			out, err := s.ec2.ModifyVpcEndpointPayerResponsibility(ctx, &ec2.ModifyVpcEndpointPayerResponsibilityInput{
				VpcEndpointId:       aws.String(id),
				ServiceId:           aws.String(serviceID),
				PayerResponsibility: types.PayerResponsibilityType(payer),
				Scope:               types.PayerResponsibilityScopeVpcEndpointCharges,
				DryRun:              c.dryRun(),
			})
			if err != nil && c.cfg.DryRun {
				return writeOutcome{}, err
			}
			if err != nil {
				mapped := c.mapError(op, err)
				if firstErr == nil {
					firstErr = mapped
				}
				results = append(results, chunkFailed(mapped, []string{id})...)
				continue
			}
			wo.requestIDs = append(wo.requestIDs, requestIDs(out.ResultMetadata)...)
			results = append(results, model.ItemResult{ID: id, OK: true})
		}
		wo.failed = failedIDs(results)
		wo.succeeded = succeededIDs(results)
		return wo, firstErr
	})
	if len(results) == 0 {
		return nil, err
	}
	return results, err
}
