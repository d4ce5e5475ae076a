package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// startTestSim serves a small world on loopback for the length of the test.
func startTestSim(t testing.TB, opts Options) *Running {
	t.Helper()
	run, err := Start("", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return run
}

// testAWSConfig is an SDK config pointed at the simulated region as the given account.
func testAWSConfig(run *Running, accountID string, maxAttempts int) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(run.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyFor(accountID), "simulated", ""),
		HTTPClient:   testHTTPClient,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = maxAttempts
				o.Backoff = retry.NewExponentialJitterBackoff(20 * time.Millisecond)
				o.RateLimiter = noRateLimit{}
			})
		},
	}
}

// testHTTPClient sends request bodies that offer only Read and Close. smithy-go closes a
// request body as soon as the response arrives, and net/http, after sending Content-Length
// bytes, copies the body once more to check nothing is left; when a loopback server answers
// before that check, the copy goes through the closed body's WriteTo, fails, and the
// transport drops the connection under the response being read ("use of closed network
// connection", aws-sdk-go-v2 #1825/#2737). awsops's HTTP client does the same.
var testHTTPClient = aws.HTTPClient(readOnlyBodyClient{&http.Client{}})

type readOnlyBodyClient struct{ c *http.Client }

func (h readOnlyBodyClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = readOnlyBody{req.Body}
	}
	return h.c.Do(req)
}

type readOnlyBody struct{ rc io.ReadCloser }

func (r readOnlyBody) Read(p []byte) (int, error) { return r.rc.Read(p) }
func (r readOnlyBody) Close() error               { return r.rc.Close() }

// noRateLimit turns off the client-side retry token bucket, so a test with a high throttle
// ratio measures the server's behaviour and the retries, not the bucket running dry.
type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }

func TestUnsignedRequestIsRefused(t *testing.T) {
	run := startTestSim(t, Options{World: WorldConfig{Seed: 1}})
	resp, err := http.Post(run.URL, "application/x-www-form-urlencoded",
		strings.NewReader("Action=DescribeVpcs&Version=2016-11-15"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
}

// The simulated region is one region: a request signed for another is refused, except STS.
func TestRequestForAnotherRegionIsRefused(t *testing.T) {
	run := startTestSim(t, Options{World: WorldConfig{Seed: 1}})
	cfg := testAWSConfig(run, "111122223333", 1)
	cfg.Region = "eu-west-1"
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AuthFailure" || !strings.Contains(ae.ErrorMessage(), "serves us-east-1") {
		t.Fatalf("err = %v, want AuthFailure naming the served region", err)
	}
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("STS from another region: %v", err)
	}
}

func TestUnknownOperationAndServiceErrors(t *testing.T) {
	run := startTestSim(t, Options{World: WorldConfig{Seed: 1}})
	req, _ := http.NewRequest(http.MethodPost, run.URL, strings.NewReader("Action=RunInstances&Version=2016-11-15"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDX/20261125/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "InvalidAction") {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	stats := run.Server.Stats()
	if stats.Requests["ec2"]["RunInstances"].Errors != 1 {
		t.Fatalf("stats = %+v", stats.Requests)
	}
}

func TestFaultsAndStatsEndpoints(t *testing.T) {
	run := startTestSim(t, Options{World: WorldConfig{Seed: 1}})
	put := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, run.URL+"/_sim/faults", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := put(`{"throttleRatio":1.5}`); code != 400 || !strings.Contains(body, "from 0 to 1") {
		t.Fatalf("out-of-range ratio: %d %s", code, body)
	}
	if code, body := put(`{"throttle":0.5}`); code != 400 || !strings.Contains(body, "unknown field") {
		t.Fatalf("unknown field: %d %s", code, body)
	}
	if code, _ := put(`{"throttleRatio":1}`); code != 200 {
		t.Fatalf("valid faults refused: %d", code)
	}
	client := ec2.NewFromConfig(testAWSConfig(run, "111122223333", 1))
	_, err := client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "RequestLimitExceeded" {
		t.Fatalf("err = %v, want RequestLimitExceeded", err)
	}
	resp, err := http.Get(run.URL + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var snap StatsSnapshot
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
		t.Fatal(err)
	}
	if got := snap.Requests["ec2"]["DescribeVpcs"]; got.Total != 1 || got.Throttled != 1 {
		t.Fatalf("stats for DescribeVpcs = %+v", got)
	}
}

// A full paginated listing completes through the SDK's retries with 30% of requests
// throttled, and the simulated region counts the throttled attempts.
func TestFullListingSurvivesThrottling(t *testing.T) {
	run := startTestSim(t, Options{
		World:  WorldConfig{Seed: 7, Services: 20, Connections: 3000},
		Faults: FaultConfig{ThrottleRatio: 0.3},
	})
	client := ec2.NewFromConfig(testAWSConfig(run, "111122223333", 12))
	pager := ec2.NewDescribeVpcEndpointConnectionsPaginator(client, &ec2.DescribeVpcEndpointConnectionsInput{MaxResults: aws.Int32(100)})
	seen := map[string]bool{}
	pages := 0
	for pager.HasMorePages() {
		page, err := pager.NextPage(context.Background())
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		for _, c := range page.VpcEndpointConnections {
			seen[aws.ToString(c.VpcEndpointId)] = true
		}
	}
	run.Server.World().mu.RLock()
	want := run.Server.World().EndpointCount()
	run.Server.World().mu.RUnlock()
	if len(seen) != want || pages < 20 {
		t.Fatalf("listed %d connections in %d pages, want %d", len(seen), pages, want)
	}
	st := run.Server.Stats().Requests["ec2"]["DescribeVpcEndpointConnections"]
	if st.Throttled == 0 || st.OK != int64(pages) || st.Total != st.OK+st.Throttled {
		t.Fatalf("stats = %+v for %d pages", st, pages)
	}
}

// BenchmarkStartFleet is `plconsole sim --services 500 --connections 50000` up to the point
// where it serves: the world is generated and the listener is open. Budget: < 1 s on 2 cores.
func BenchmarkStartFleet(b *testing.B) {
	for i := 0; i < b.N; i++ {
		run, err := Start("", Options{World: WorldConfig{Seed: 1, Services: 500, Connections: 50000}})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = run.Close()
		b.StartTimer()
	}
}
