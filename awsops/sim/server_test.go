package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/plconsole/plconsole/internal/sdktest"
	"github.com/plconsole/plconsole/internal/testenv"
)

// startTestSim serves a world on loopback for the length of the test. Tests above this
// package use simtest.Start; this package's own tests cannot import it (it imports sim).
func startTestSim(t testing.TB, opts Options) *Running {
	t.Helper()
	run, err := Start("", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return run
}

// testAWSConfig is an SDK config pointed at the simulated region as the given account, as
// every test client of the region is built (sdktest.Config).
func testAWSConfig(run *Running, accountID string, maxAttempts int) aws.Config {
	return sdktest.Config(run.URL, run.Server.World().Region, AccessKeyFor(accountID), maxAttempts)
}

func TestMain(m *testing.M) {
	// Hermetic SDK configuration: no user files, no IMDS, no inherited profile or endpoint.
	testenv.Main(m, "sim-test-")
}

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

// Faults limited to one operation (only, as the faults endpoint takes it) strike that
// operation and leave every other alone.
func TestFaultsLimitedToOneOperation(t *testing.T) {
	run := startTestSim(t, Options{World: WorldConfig{Seed: 1}})
	req, _ := http.NewRequest(http.MethodPut, run.URL+"/_sim/faults",
		strings.NewReader(`{"serverErrorRatio":1,"only":["DescribeSubnets"]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("faults refused: %d", resp.StatusCode)
	}
	client := ec2.NewFromConfig(testAWSConfig(run, "111122223333", 1))
	if _, err := client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatalf("an operation the faults do not name failed: %v", err)
	}
	_, err = client.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InternalError" {
		t.Fatalf("err = %v, want InternalError", err)
	}
	if got := run.Server.Faults().Config().Only; len(got) != 1 || got[0] != "DescribeSubnets" {
		t.Fatalf("only = %v", got)
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
