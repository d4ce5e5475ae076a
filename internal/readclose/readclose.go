// Package readclose sends HTTP requests whose bodies offer only Read and Close, the one
// transport setting every aws-sdk-go-v2 client of plconsole needs, the console's and the
// tests' alike.
//
// smithy-go wraps request bodies in a reader whose WriteTo returns io.EOF once the body is
// closed, and it closes the body as soon as a response arrives. net/http, after sending
// Content-Length bytes, copies the body once more to check that nothing is left; when the
// response (from a fast endpoint such as the simulated region on loopback) beats that check,
// the copy goes through WriteTo, sees io.EOF as an error, and the transport drops the
// connection under the response being read ("use of closed network connection",
// aws-sdk-go-v2 #1825 and #2737): the call fails and is retried. A plain Read after Close
// returns (0, io.EOF), which io.Copy treats as a clean end.
package readclose

import (
	"io"
	"net/http"
)

// Client sends each request through HTTP with its body reduced to Read and Close. It
// satisfies aws.HTTPClient. A nil HTTP sends through http.DefaultClient.
type Client struct {
	HTTP *http.Client
}

// Do sends req with a body that offers only Read and Close.
func (c Client) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = Body(req.Body)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	return hc.Do(req)
}

// Body hides every method of rc but Read and Close.
func Body(rc io.ReadCloser) io.ReadCloser { return body{rc} }

type body struct{ rc io.ReadCloser }

func (b body) Read(p []byte) (int, error) { return b.rc.Read(p) }
func (b body) Close() error               { return b.rc.Close() }
