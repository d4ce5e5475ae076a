package awsops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/plconsole/plconsole/model"
)

// Error codes awsops treats specially.
const (
	codeDryRunOperation       = "DryRunOperation"
	codeUnauthorizedOperation = "UnauthorizedOperation"
)

var missingPermissionRE = regexp.MustCompile(`perform: ([a-z0-9-]+:[A-Za-z0-9*]+)`)

// mapError turns an error from an SDK call into *model.AWSError: one sentence a person can
// act on, plus the AWS code and request id. Errors that are not from AWS (cancellation, the
// read-only guard) are wrapped, not replaced, so errors.Is keeps working.
func (c *Client) mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	var already *model.AWSError
	if errors.As(err, &already) {
		return err
	}
	if errors.Is(err, model.ErrReadOnly) || errors.Is(err, model.ErrServiceHasConnections) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s was cancelled: %w", op, err)
	}
	e := &model.AWSError{Operation: op, Err: err}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.RequestID = re.ServiceRequestID()
		e.HTTPStatus = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "UnknownError" && re != nil && re.HTTPStatusCode() >= 300 {
		// the SDK found no AWS error in the body and names it UnknownError: say what came back
		ae = nil
	}
	if ae == nil {
		var ne net.Error
		switch {
		case re != nil && re.HTTPStatusCode() >= 300:
			// an answer that is not an AWS error: an emulator without the operation, a proxy
			e.Code = fmt.Sprintf("HTTP%d", re.HTTPStatusCode())
			e.Sentence = unexpectedResponse(op, re)
		case errors.Is(err, context.DeadlineExceeded):
			e.Sentence = fmt.Sprintf("%s took longer than %s and was abandoned; AWS may be slow or unreachable.", op, c.cfg.CallTimeout)
			e.Code = "Timeout"
		case errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused"):
			e.Sentence = fmt.Sprintf("Could not reach AWS for %s: %v.", op, rootCause(err))
			e.Code = "NetworkError"
		default:
			e.Sentence = fmt.Sprintf("%s failed: %v.", op, rootCause(err))
		}
		e.Message = err.Error()
		return e
	}
	e.Code = ae.ErrorCode()
	e.Message = ae.ErrorMessage()
	e.Sentence = sentenceFor(op, e.Code, e.Message, isRetryExhausted(err))
	var quota ratelimit.QuotaExceededError
	if errors.As(err, &quota) {
		e.Sentence = strings.TrimRight(e.Sentence, ".") + "; the SDK's retry budget for this session is spent " +
			"(too many failed calls in a short time), so it did not retry: wait a few seconds and try again."
	}
	return e
}

// unexpectedResponse explains an HTTP answer that carries no AWS error, by its status and
// what the body is: what an endpoint that implements only part of the API, or a proxy in
// front of it, sends.
func unexpectedResponse(op string, re *awshttp.ResponseError) string {
	status := re.HTTPStatusCode()
	what := "a body that is not an AWS error"
	if resp := re.HTTPResponse(); resp != nil {
		switch ct := strings.ToLower(resp.Header.Get("Content-Type")); {
		case strings.Contains(ct, "html"):
			what = "an HTML page"
		case strings.Contains(ct, "text/plain"):
			what = "plain text"
		case strings.Contains(ct, "json") && !strings.Contains(ct, "amz"):
			what = "JSON that is not an AWS error"
		}
	}
	head := fmt.Sprintf("The endpoint answered %s with HTTP %d and %s", op, status, what)
	switch {
	case status == 404 || status == 405 || status == 501:
		return fmt.Sprintf("%s: it does not implement %s.", head, op)
	case status == 500:
		return fmt.Sprintf("%s: it does not implement %s, or failed on it (an emulator that lacks a call answers like this).", head, op)
	case status == 502 || status == 503 || status == 504:
		return head + ": a proxy or gateway in front of AWS failed; try again."
	case status == 401 || status == 403 || status == 407:
		return head + ": something in front of AWS refused the request (a proxy, or the wrong endpoint URL)."
	}
	return head + ": the endpoint does not speak the AWS protocol for this call."
}

// sentenceFor says in one sentence what an AWS error code means for the operation.
func sentenceFor(op, code, msg string, retried bool) string {
	action := iamActionFor(op)
	switch {
	case isThrottle(code):
		if retried {
			return fmt.Sprintf("AWS is throttling %s and the retries ran out; wait a few seconds and try again.", op)
		}
		return fmt.Sprintf("AWS is throttling %s; wait a few seconds and try again.", op)
	case code == codeUnauthorizedOperation || code == "AccessDenied" || code == "AccessDeniedException" ||
		code == "UnauthorizedAccess" || code == "AuthorizationError":
		return fmt.Sprintf("You are not allowed to call %s: missing permission %s.", op, missingPermission(action, msg))
	case code == "AuthFailure" && strings.Contains(msg, "scoped to a valid region"):
		return "AWS refused the request for this region: " + msg
	case code == "AuthFailure" || code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" ||
		code == "UnrecognizedClientException" || code == "MissingAuthenticationToken":
		return "AWS did not accept the credentials; check the profile's access keys or log in again (aws sso login)."
	case code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired":
		return "The session's credentials have expired; refresh them (aws sso login) and try again."
	case model.IsNotFoundCode(code):
		return fmt.Sprintf("%s: %s not found — it may have been deleted or belong to another account or region (%s).", op, resourceOf(code), trimDot(msg))
	case strings.Contains(code, "IncorrectState") || strings.Contains(code, "InvalidState") ||
		code == "OperationNotPermitted" || code == "ResourceInUse" || code == "DependencyViolation":
		return fmt.Sprintf("%s is not possible in the resource's current state: %s.", op, trimDot(msg))
	case code == "InvalidParameterValue" || code == "InvalidParameter" || code == "InvalidParameterCombination" ||
		code == "MissingParameter" || code == "ValidationError" || code == "InvalidParameterValueException" ||
		code == "InvalidParameterCombinationException" || code == "InvalidParameterException" ||
		code == "MissingRequiredParameterException" || code == "InvalidInput" ||
		strings.HasSuffix(code, ".Malformed") || strings.HasPrefix(code, "Invalid"):
		return fmt.Sprintf("AWS rejected the request for %s: %s.", op, trimDot(msg))
	case code == "LimitExceeded" || code == "LimitExceededException" || strings.HasSuffix(code, "LimitExceeded") ||
		code == "ServiceQuotaExceeded":
		return fmt.Sprintf("%s would exceed an AWS quota: %s.", op, trimDot(msg))
	case code == "InternalError" || code == "InternalFailure" || code == "ServiceUnavailable" ||
		code == "Unavailable" || code == "InternalServiceError":
		return fmt.Sprintf("AWS had an internal error in %s; it is usually temporary — try again.", op)
	case code == codeDryRunOperation:
		return fmt.Sprintf("%s would have succeeded (dry run: nothing was changed).", op)
	}
	if msg == "" {
		return fmt.Sprintf("%s failed.", op)
	}
	return fmt.Sprintf("%s failed: %s.", op, trimDot(msg))
}

func isThrottle(code string) bool { return model.IsThrottleCode(code) }

func isRetryExhausted(err error) bool {
	var me *retry.MaxAttemptsError
	return errors.As(err, &me)
}

// missingPermission finds the IAM action in an authorization message, or falls back to the
// action of the operation that was refused.
func missingPermission(fallback, msg string) string {
	if m := missingPermissionRE.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return fallback
}

// iamActionFor names the IAM action of an operation awsops calls.
func iamActionFor(op string) string {
	for _, o := range operations {
		if o.Name == op {
			return o.IAMAction()
		}
	}
	return op
}

// resourceOf turns "InvalidVpcEndpointServiceId.NotFound" into "the VPC endpoint service".
func resourceOf(code string) string {
	switch {
	case strings.Contains(code, "VpcEndpointServiceId"), strings.Contains(code, "VpcEndpointService"):
		return "the endpoint service"
	case strings.Contains(code, "VpcEndpointId"):
		return "the VPC endpoint"
	case strings.Contains(code, "ConnectionNotification"):
		return "the connection notification"
	case strings.Contains(code, "LoadBalancer"):
		return "the load balancer"
	case strings.Contains(code, "TargetGroup"):
		return "the target group"
	case strings.Contains(code, "Listener"):
		return "the listener"
	case strings.Contains(code, "Subnet"):
		return "the subnet"
	case strings.Contains(code, "Vpc"):
		return "the VPC"
	case strings.Contains(code, "Group"):
		return "the security group"
	}
	return "the resource"
}

func trimDot(s string) string { return strings.TrimRight(strings.TrimSpace(s), ".") }

// rootCause drops the SDK's "operation error X: https response error …" prefixes. It stops
// at a network error that names what failed and where ("dial tcp 127.0.0.1:1: connect:
// connection refused", "lookup ec2.example.com: no such host"): below it, only "connection
// refused" would be left, without the host a person needs to check.
func rootCause(err error) error {
	for {
		switch err.(type) {
		case *net.OpError, *net.DNSError:
			return err
		}
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// itemSentence is the per-item message of a bulk action's Unsuccessful entry.
func itemSentence(op, code, msg string) string { return sentenceFor(op, code, msg, false) }

// writeError maps a write's error; in dry-run mode AWS's verdict becomes *model.DryRunResult.
func (c *Client) writeError(op string, err error) error {
	if err == nil {
		return nil
	}
	if !c.cfg.DryRun || errors.Is(err, context.Canceled) {
		return c.mapError(op, err)
	}
	if errors.Is(err, model.ErrServiceHasConnections) {
		// refused before sending; in a dry run that is the verdict: it would fail
		return &model.DryRunResult{Operation: op, Err: err}
	}
	var already *model.DryRunResult
	if errors.As(err, &already) {
		return err
	}
	d := &model.DryRunResult{Operation: op}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		d.RequestID = re.ServiceRequestID()
	}
	var ae smithy.APIError
	switch {
	case errors.As(err, &ae) && ae.ErrorCode() == codeDryRunOperation:
		d.WouldSucceed = true
	case errors.As(err, &ae) && ae.ErrorCode() == codeUnauthorizedOperation:
		d.Missing = missingPermission(iamActionFor(op), ae.ErrorMessage())
		d.Err = c.mapError(op, err)
	default:
		d.Err = c.mapError(op, err)
	}
	return d
}
