package awsops

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// bulkSend sends one chunk of a bulk write: one request for at most maxEndpointIDsPerCall
// ids. It returns the items AWS could not act on, the reply's metadata (for the request id)
// and the error of the request itself.
type bulkSend func(ctx context.Context, s *session, chunk []string) ([]types.UnsuccessfulItem, middleware.Metadata, error)

// bulkWrite is the one way awsops sends a write over a list of ids (accept and reject
// connections, delete notifications, delete endpoints). Its contract:
//
//   - The ids are deduplicated (first occurrence kept, "" dropped) and sent in order, in
//     chunks of at most maxEndpointIDsPerCall, one request per chunk. Every chunk is sent,
//     even after an earlier one failed: the requests are independent, and stopping would
//     leave ids with no outcome.
//   - results holds exactly one model.ItemResult per deduplicated id, in the order asked:
//     for a chunk whose request went through, OK unless AWS listed the id as Unsuccessful
//     (then its code and a sentence); for a chunk whose request failed (throttled after the
//     retries, refused, cancelled, unreachable…), OK=false with that failure's AWS code and
//     sentence for every id of the chunk. (An Unsuccessful entry for an id that was not
//     asked about — AWS normalising an id — is reported as well, after the chunk's ids.)
//   - err is nil when every request went through, even if items failed (those are in
//     results). Otherwise it is the failure of the first failed request — a wrapped
//     *model.AWSError for an AWS or network failure — and results still hold every id.
//   - Guards: in read-only mode nothing is sent and results is nil (err wraps
//     model.ErrReadOnly). In dry-run mode only the first chunk is sent, as a verdict on the
//     whole write; results is nil and err is the *model.DryRunResult.
//   - One audit line records the write, with the reason ctx carries (model.AuditReason):
//     Targets = extraTargets + the ids, Succeeded and Failed
//     the ids by outcome, Result ok / partial (some ids failed, or some requests failed while
//     others went through) / failed (nothing succeeded), and the error of the failed request.
func (c *Client) bulkWrite(ctx context.Context, op string, extraTargets, ids []string, send bulkSend) ([]model.ItemResult, error) {
	return c.bulkWriteN(ctx, op, extraTargets, ids, maxEndpointIDsPerCall, send)
}

// bulkWriteN is bulkWrite with perCall ids to a request (1 for an operation that takes one).
func (c *Client) bulkWriteN(ctx context.Context, op string, extraTargets, ids []string, perCall int, send bulkSend) ([]model.ItemResult, error) {
	ids = dedupe(ids)
	var results []model.ItemResult
	targets := append(append([]string{}, extraTargets...), ids...)
	err := c.doWriteFor(model.AuditReason(ctx), op, targets, func(s *session) (writeOutcome, error) {
		var (
			wo       writeOutcome
			firstErr error // the first failed request's error, mapped
			failedN  int   // ids in failed requests
		)
		for _, chunk := range chunks(ids, perCall) {
			unsuccessful, md, err := send(ctx, s, chunk)
			if err != nil && c.cfg.DryRun {
				// The dry run's verdict covers the whole write; results stay nil.
				return writeOutcome{}, err
			}
			if err != nil {
				mapped := c.mapError(op, err)
				if firstErr == nil {
					firstErr = mapped
				}
				failedN += len(chunk)
				results = append(results, chunkFailed(mapped, chunk)...)
				continue
			}
			wo.requestIDs = append(wo.requestIDs, requestIDs(md)...)
			results = append(results, itemResults(op, chunk, unsuccessful)...)
		}
		wo.failed = failedIDs(results)
		wo.succeeded = succeededIDs(results)
		if firstErr != nil && failedN < len(ids) {
			return wo, fmt.Errorf("%s: %d of %d ids were not processed because a request failed: %w",
				op, failedN, len(ids), firstErr)
		}
		return wo, firstErr
	})
	if len(results) == 0 {
		return nil, err
	}
	return results, err
}

// chunkFailed reports every id of a chunk whose request failed with that request's error.
func chunkFailed(err error, chunk []string) []model.ItemResult {
	var code, msg string
	var ae *model.AWSError
	if errors.As(err, &ae) {
		code, msg = ae.Code, ae.Sentence
		if ae.RequestID != "" {
			msg += " (request " + ae.RequestID + ")"
		}
	}
	if msg == "" {
		msg = err.Error()
	}
	out := make([]model.ItemResult, len(chunk))
	for i, id := range chunk {
		out[i] = model.ItemResult{ID: id, Code: code, Message: msg}
	}
	return out
}

// itemResults reports every requested id: OK unless AWS listed it as Unsuccessful.
func itemResults(op string, ids []string, unsuccessful []types.UnsuccessfulItem) []model.ItemResult {
	failed := make(map[string]types.UnsuccessfulItem, len(unsuccessful))
	for _, u := range unsuccessful {
		failed[aws.ToString(u.ResourceId)] = u
	}
	out := make([]model.ItemResult, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		seen[id] = true
		u, bad := failed[id]
		if !bad {
			out = append(out, model.ItemResult{ID: id, OK: true})
			continue
		}
		out = append(out, unsuccessfulResult(op, id, u))
	}
	// An Unsuccessful entry for an id not asked about (AWS normalises ids) is still reported.
	for _, u := range unsuccessful {
		if id := aws.ToString(u.ResourceId); !seen[id] {
			out = append(out, unsuccessfulResult(op, id, u))
		}
	}
	return out
}

func unsuccessfulResult(op, id string, u types.UnsuccessfulItem) model.ItemResult {
	r := model.ItemResult{ID: id}
	if u.Error != nil {
		r.Code = aws.ToString(u.Error.Code)
		r.Message = itemSentence(op, r.Code, aws.ToString(u.Error.Message))
	} else {
		r.Message = op + " failed for " + id + "."
	}
	return r
}

func failedIDs(rs []model.ItemResult) []string {
	var out []string
	for _, r := range rs {
		if !r.OK {
			out = append(out, r.ID)
		}
	}
	return out
}

func succeededIDs(rs []model.ItemResult) []string {
	var out []string
	for _, r := range rs {
		if r.OK {
			out = append(out, r.ID)
		}
	}
	return out
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for i := 0; i < len(s); i += n {
		j := min(i+n, len(s))
		out = append(out, s[i:j:j])
	}
	return out
}
