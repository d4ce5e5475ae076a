package awsops

import (
	"io"
	"net/http"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/plconsole/plconsole/internal/readclose"
)

// httpClient is the HTTP client every SDK client of one session shares. It owns its
// transport, so a session that is replaced can close its idle connections.
type httpClient struct {
	client    *http.Client
	transport *http.Transport
	// closed is set when the session is replaced or the client closed: a request still in
	// flight then closes its connection when it ends, instead of leaving it idle (with its
	// read loop goroutine) in a pool nobody will use again.
	closed atomic.Bool
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
	resp, err := readclose.Client{HTTP: h.client}.Do(req)
	if err != nil {
		h.dropIdleIfClosed()
		return resp, err
	}
	resp.Body = &closingBody{ReadCloser: resp.Body, h: h}
	return resp, nil
}

// close drops the idle connections of a session that is no longer used; those in use are
// dropped as their requests end.
func (h *httpClient) close() {
	h.closed.Store(true)
	h.transport.CloseIdleConnections()
}

func (h *httpClient) dropIdleIfClosed() {
	if h.closed.Load() {
		h.transport.CloseIdleConnections()
	}
}

// closingBody returns its connection to the pool on Close, then drops the pool's idle
// connections when the session has been closed meanwhile.
type closingBody struct {
	io.ReadCloser
	h *httpClient
}

func (b *closingBody) Close() error {
	err := b.ReadCloser.Close()
	b.h.dropIdleIfClosed()
	return err
}
