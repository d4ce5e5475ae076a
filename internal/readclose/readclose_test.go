package readclose

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// writeToBody is a request body that, like smithy-go's, also offers WriteTo.
type writeToBody struct{ *strings.Reader }

func (writeToBody) Close() error { return nil }

func TestBodyOffersOnlyReadAndClose(t *testing.T) {
	var rc io.ReadCloser = writeToBody{strings.NewReader("x")}
	if _, ok := rc.(io.WriterTo); !ok {
		t.Fatal("the test body should offer WriteTo")
	}
	if _, ok := Body(rc).(io.WriterTo); ok {
		t.Error("Body still offers WriteTo")
	}
}

func TestClientSendsTheBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL, writeToBody{strings.NewReader("Action=DescribeVpcs")})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len("Action=DescribeVpcs"))
	resp, err := Client{}.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got, _ := io.ReadAll(resp.Body); string(got) != "Action=DescribeVpcs" {
		t.Errorf("server read %q", got)
	}
}
