package awsops

import (
	"context"
	"errors"
	"fmt"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/plconsole/plconsole/model"
)

// Middleware IDs (unique within a stack).
const (
	mwReadOnly = "plconsole.ReadOnlyGuard"
	mwCallLog  = "plconsole.CallLog"
	mwAttempt  = "plconsole.Attempt"
)

// callRecord collects what the per-attempt middleware sees for the call-log middleware.
type callRecord struct {
	attempts  int
	status    int
	requestID string
}

type callRecordKey struct{}

// addMiddleware installs, outermost first:
//  1. the read-only guard: a write operation fails here, before serialisation, signing or any
//     network I/O — the second line of defence behind the guard at the top of every write;
//  2. the call log and the per-call timeout, around every attempt and retry;
//  3. an attempt counter next to the transport, which sees each HTTP response.
func (c *Client) addMiddleware(st *middleware.Stack, service string) error {
	op := st.ID()
	if err := st.Initialize.Add(middleware.InitializeMiddlewareFunc(mwCallLog,
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return c.logCall(ctx, service, op, in, next)
		}), middleware.Before); err != nil {
		return err
	}
	if err := st.Initialize.Add(middleware.InitializeMiddlewareFunc(mwReadOnly,
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if c.cfg.ReadOnly && isWrite(service, op) {
				return middleware.InitializeOutput{}, middleware.Metadata{},
					fmt.Errorf("%s:%s refused: %w", iamPrefix[service], op, model.ErrReadOnly)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before); err != nil {
		return err
	}
	return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc(mwAttempt,
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if rec, ok := ctx.Value(callRecordKey{}).(*callRecord); ok {
				rec.attempts++
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp != nil {
					rec.status = resp.StatusCode
					if id := resp.Header.Get("X-Amzn-Requestid"); id != "" {
						rec.requestID = id
					} else if id := resp.Header.Get("X-Amz-Request-Id"); id != "" {
						rec.requestID = id
					}
				} else {
					rec.status = 0
				}
			}
			return out, md, err
		}), middleware.After)
}

// logCall runs one operation (all its attempts) under the per-call timeout and records it.
func (c *Client) logCall(ctx context.Context, service, op string, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	countRequest(ctx)
	rec := &callRecord{}
	ctx = context.WithValue(ctx, callRecordKey{}, rec)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	defer cancel()
	start := time.Now()
	out, md, err := next.HandleInitialize(ctx, in)
	call := model.APICall{
		Time:      start,
		Service:   service,
		Operation: op,
		Duration:  time.Since(start),
		Attempts:  rec.attempts,
		Status:    rec.status,
		RequestID: rec.requestID,
	}
	if id, ok := awsmiddleware.GetRequestIDMetadata(md); ok && id != "" {
		call.RequestID = id
	}
	if err != nil {
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			if re.ServiceRequestID() != "" {
				call.RequestID = re.ServiceRequestID()
			}
			if re.HTTPStatusCode() != 0 {
				call.Status = re.HTTPStatusCode()
			}
		}
		var ae smithy.APIError
		if errors.As(err, &ae) {
			call.ErrorCode = ae.ErrorCode()
		}
		call.Error = err.Error()
	}
	c.calls.add(call)
	return out, md, err
}
