package model

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Mode is how the console may act on AWS.
type Mode string

const (
	ModeLive     Mode = "LIVE"
	ModeDemo     Mode = "DEMO"
	ModeReadOnly Mode = "READ-ONLY"
	ModeDryRun   Mode = "DRY-RUN"
)

// Identity is who the console is acting as, and where.
type Identity struct {
	Account  string
	ARN      string
	UserID   string
	Profile  string
	Region   string
	Endpoint string // custom endpoint URL, empty for real AWS
	// Simulated is the demo's embedded simulated region (whose endpoint is no news).
	Simulated bool
}

// APICall is one AWS API call as the API-call log records it.
type APICall struct {
	Time      time.Time
	Service   string // ec2, elasticloadbalancing, monitoring, sts
	Operation string
	Duration  time.Duration
	Attempts  int
	Status    int // HTTP status of the last attempt; 0 when no response arrived
	RequestID string
	ErrorCode string
	Error     string
}

// ErrReadOnly is returned by every write when the console runs read-only; no request was sent.
var ErrReadOnly = errors.New("read-only mode: no change was sent to AWS")

// ParseRefreshInterval reads an auto-refresh interval: a duration from 2s to 1h, or "off"
// (or "0") for none.
func ParseRefreshInterval(s string) (time.Duration, error) {
	if s == "0" || s == "off" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 15s or 1m (or off)", s)
	}
	if d < 2*time.Second || d > time.Hour {
		return 0, fmt.Errorf("%s is out of range: use 2s to 1h, or off", d)
	}
	return d, nil
}

// ErrSwitchSuperseded is a profile or region switch that was not made because a later switch
// of the same kind was asked for while it waited its turn; the later one decides.
var ErrSwitchSuperseded = errors.New("a later switch was asked for")

// AWSError is an AWS error turned into one readable sentence plus the code and request id.
type AWSError struct {
	Operation  string
	HTTPStatus int // of the last attempt; 0 when no answer came
	Code       string
	Message    string // AWS's own message
	Sentence   string // what it means, for a person
	RequestID  string
	Err        error
}

func (e *AWSError) Error() string {
	s := e.Sentence
	if s == "" {
		s = e.Message
	}
	if e.Code != "" {
		s += " (" + e.Code
		if e.RequestID != "" {
			s += ", request " + e.RequestID
		}
		s += ")"
	}
	return s
}

func (e *AWSError) Unwrap() error { return e.Err }

// IsNotFoundCode says whether an AWS error code means the resource does not exist (EC2's
// InvalidVpcEndpointId.NotFound, ELB's LoadBalancerNotFound, …).
func IsNotFoundCode(code string) bool {
	return strings.HasSuffix(code, "NotFound") || code == "ResourceNotFound" || code == "ResourceNotFoundException"
}

// IsNotFound says whether err is AWS answering that the resource does not exist: after a
// delete, the answer that it is gone.
func IsNotFound(err error) bool {
	var ae *AWSError
	return errors.As(err, &ae) && IsNotFoundCode(ae.Code)
}

// ErrorCause names what went wrong without what changes from one occurrence to the next (the
// request id, a count): the operation and the AWS code for an AWS error, the text otherwise.
// Two failures with the same cause are one problem to report, not two.
func ErrorCause(err error) string {
	if err == nil {
		return ""
	}
	var ae *AWSError
	if errors.As(err, &ae) && ae.Code != "" {
		return ae.Operation + "/" + ae.Code
	}
	return err.Error()
}

// DryRunResult is returned (as an error, since nothing changed) by writes in dry-run mode.
// WouldSucceed is true when AWS answered DryRunOperation; otherwise Missing names the
// permission AWS said was lacking, or Err holds the other failure.
type DryRunResult struct {
	Operation    string
	WouldSucceed bool
	Missing      string
	RequestID    string
	Err          error
}

func (d *DryRunResult) Error() string {
	switch {
	case d.WouldSucceed:
		return fmt.Sprintf("dry run: %s would succeed", d.Operation)
	case d.Missing != "":
		return fmt.Sprintf("dry run: %s would be denied: missing permission %s", d.Operation, d.Missing)
	case d.Err != nil:
		return fmt.Sprintf("dry run: %s would fail: %v", d.Operation, d.Err)
	}
	return "dry run: " + d.Operation
}

func (d *DryRunResult) Unwrap() error { return d.Err }
