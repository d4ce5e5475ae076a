package model

import (
	"context"
	"errors"
)

// DecideFunc accepts or rejects endpoints of one service and reports each one (the AWS
// layer's AcceptConnections and RejectConnections have this shape).
type DecideFunc func(ctx context.Context, serviceID string, endpointIDs []string) ([]ItemResult, error)

// AppliedItem is one endpoint's outcome when a policy (or a plain accept or reject) is
// applied: the batch it was part of and what AWS said.
type AppliedItem struct {
	Batch PolicyBatch
	ItemResult
}

// ApplyBatches sends each batch with accept or reject, its Reason attached to the context
// for the audit log (WithAuditReason), and returns one item per endpoint. The console and
// `plconsole approve` both apply a policy through it, so they write the same way. A batch
// whose call failed as a whole reports each of its endpoints the AWS layer did not with that
// failure; the other batches are still sent. Read-only mode and a dry run stop at the first
// batch, and their error is returned (the verdict on all of them).
func ApplyBatches(ctx context.Context, batches []PolicyBatch, accept, reject DecideFunc) ([]AppliedItem, error) {
	var out []AppliedItem
	for _, b := range batches {
		bctx := ctx
		if b.Reason != "" {
			bctx = WithAuditReason(ctx, b.Reason)
		}
		send := reject
		if b.Decision == DecisionAccept {
			send = accept
		}
		res, err := send(bctx, b.ServiceID, b.Endpoints)
		var dry *DryRunResult
		if errors.As(err, &dry) || errors.Is(err, ErrReadOnly) {
			return out, err
		}
		reported := make(map[string]bool, len(res))
		for _, r := range res {
			reported[r.ID] = true
			out = append(out, AppliedItem{Batch: b, ItemResult: r})
		}
		if err == nil {
			continue
		}
		code := ""
		var ae *AWSError
		if errors.As(err, &ae) {
			code = ae.Code
		}
		for _, id := range b.Endpoints {
			if !reported[id] {
				out = append(out, AppliedItem{Batch: b, ItemResult: ItemResult{ID: id, Code: code, Message: err.Error()}})
			}
		}
	}
	return out, nil
}
