package awsops

import (
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
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

// Do sends the request with a body that offers only Read and Close.
//
// smithy-go wraps request bodies in a reader whose WriteTo returns io.EOF once the body is
// closed, and it closes the body as soon as a response arrives. net/http, after sending
// Content-Length bytes, copies the body once more to check that nothing is left; when the
// response (from a fast endpoint such as the simulated region) beats that check, the copy
// goes through WriteTo, sees io.EOF as an error, and the transport drops the connection
// under the response being read — the call then fails and is retried. A plain Read after
// Close returns (0, io.EOF), which io.Copy treats as a clean end.
func (h *httpClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = readCloser{req.Body}
	}
	return h.client.Do(req)
}

// close drops the idle connections of a session that is no longer used.
func (h *httpClient) close() { h.transport.CloseIdleConnections() }

type readCloser struct{ rc io.ReadCloser }

func (r readCloser) Read(p []byte) (int, error) { return r.rc.Read(p) }
func (r readCloser) Close() error               { return r.rc.Close() }
