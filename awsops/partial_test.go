package awsops

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

// An endpoint that implements only part of the API (an emulator answering HTTP 500 with an
// HTML page for what it lacks): the error names the call, the HTTP status and what it means,
// not the XML decoder's complaint, and a refresh reads every part that works.
func TestAnEndpointWithoutAnOperationIsNamedNotDecoded(t *testing.T) {
	run := startSim(t, testWorld(3, 20))
	c := newClient(t, run, providerAccount)
	run.Faults().Set(sim.FaultConfig{Unimplemented: []string{"DescribeVpcEndpointConnections"}})
	defer run.Faults().Set(sim.FaultConfig{})

	_, err := c.ListConnections(ctxT(t), "")
	var ae *model.AWSError
	if !errors.As(err, &ae) || ae.Code != "HTTP500" || ae.Operation != "DescribeVpcEndpointConnections" {
		t.Fatalf("err = %#v", err)
	}
	for _, want := range []string{"answered DescribeVpcEndpointConnections with HTTP 500 and an HTML page", "does not implement DescribeVpcEndpointConnections"} {
		if !strings.Contains(ae.Sentence, want) {
			t.Errorf("sentence %q lacks %q", ae.Sentence, want)
		}
	}
	if strings.Contains(err.Error(), "XML") || strings.Contains(err.Error(), "syntax") {
		t.Errorf("the decoder's message leaks: %v", err)
	}

	snap, err := c.Refresh(ctxT(t), model.RefreshRequest{LoadBalancers: true})
	if err == nil || snap.Errors.Connections == nil || snap.Errors.Services != nil || snap.Errors.LoadBalancers != nil {
		t.Fatalf("refresh parts: %+v", snap.Errors)
	}
	if len(snap.Services) != 3 || len(snap.LoadBalancers) != 3 {
		t.Errorf("the parts that work were read: %d services, %d load balancers", len(snap.Services), len(snap.LoadBalancers))
	}
}

func TestUnexpectedResponsesByStatus(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string
	}{
		{404, "does not implement"}, {501, "does not implement"}, {503, "a proxy or gateway"},
		{403, "something in front of AWS refused"}, {418, "does not speak the AWS protocol"},
	} {
		got := unexpectedResponse("DescribeVpcs", responseError(tc.status, "text/html", nil))
		if !strings.Contains(got, "HTTP "+itoa(tc.status)) || !strings.Contains(got, tc.want) || !strings.Contains(got, "an HTML page") {
			t.Errorf("HTTP %d: %q", tc.status, got)
		}
	}
}

// A body the SDK found no AWS error in reaches awsops as the code UnknownError: it is
// explained by its HTTP answer too.
func TestUnknownErrorIsExplainedByTheAnswer(t *testing.T) {
	c := &Client{}
	raw := &smithy.OperationError{OperationName: "DescribeVpcs", Err: responseError(500, "text/html",
		&smithy.GenericAPIError{Code: "UnknownError", Message: "UnknownError"})}
	var ae *model.AWSError
	if err := c.mapError("DescribeVpcs", raw); !errors.As(err, &ae) || ae.Code != "HTTP500" || !strings.Contains(ae.Sentence, "does not implement DescribeVpcs") {
		t.Fatalf("mapped: %v", err)
	}
}

// When throttling has spent the SDK's retry budget, the sentence says so instead of only
// naming the throttling.
func TestRetryBudgetSpentIsSaid(t *testing.T) {
	run := startSim(t, testWorld(1, 1))
	c := newClient(t, run, providerAccount)
	run.Faults().Set(sim.FaultConfig{ThrottleRatio: 1})
	defer run.Faults().Set(sim.FaultConfig{})
	var last error
	for i := 0; i < 200; i++ {
		_, last = c.ListServices(ctxT(t))
		if last != nil && strings.Contains(last.Error(), "retry budget") {
			break
		}
	}
	var ae *model.AWSError
	if !errors.As(last, &ae) || !isThrottle(ae.Code) || !strings.Contains(ae.Sentence, "retry budget for this session is spent") {
		t.Fatalf("after the retry quota ran out: %v", last)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// responseError is the SDK's error for an HTTP answer with a status and a content type.
func responseError(status int, contentType string, err error) *awshttp.ResponseError {
	if err == nil {
		err = errors.New("decode failed")
	}
	resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": []string{contentType}}}
	return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: resp}, Err: err,
	}}
}
