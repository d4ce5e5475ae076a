package awsops

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/plconsole/plconsole/internal/readclose"
)

// httpClient is the HTTP client every SDK client of one session shares. It owns its
// transport, so a session that is replaced can close its idle connections.
type httpClient struct {
	client    *http.Client
	transport *http.Transport
}

// newHTTPClient wraps the transport the SDK's configuration loading produced: the SDK's
// defaults (timeouts, TLS) plus a custom CA bundle when AWS_CA_BUNDLE or the profile's
// ca_bundle names one. config.LoadDefaultConfig installs a CA bundle only into its own
// BuildableClient, so the session loads with one and then takes its transport.
func newHTTPClient(loaded aws.HTTPClient, concurrency int) *httpClient {
	var tr *http.Transport
	if bc, ok := loaded.(*awshttp.BuildableClient); ok {
		tr = bc.GetTransport()
	} else {
		tr = awshttp.NewBuildableClient().GetTransport()
	}
	// Fan-out reads run `concurrency` requests at once, plus the refresh's own reads.
	if tr.MaxIdleConnsPerHost < concurrency+4 {
		tr.MaxIdleConnsPerHost = concurrency + 4
	}
	return &httpClient{client: &http.Client{Transport: tr}, transport: tr}
}

// Do sends the request with a body that offers only Read and Close (see package readclose
// for why the SDK needs that against a fast endpoint).
func (h *httpClient) Do(req *http.Request) (*http.Response, error) {
	return readclose.Client{HTTP: h.client}.Do(req)
}

// close drops the idle connections of a session that is no longer used.
func (h *httpClient) close() { h.transport.CloseIdleConnections() }
