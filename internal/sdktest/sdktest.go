// Package sdktest configures aws-sdk-go-v2 clients for tests that talk to a simulated region
// on loopback. It imports no plconsole package that knows the simulated region, so the
// region's own tests (package sim) use it as well as every test above them.
package sdktest

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/plconsole/plconsole/internal/readclose"
)

// RetryMaxBackoff caps the wait between attempts of every test client, the SDK's and
// awsops's: a test that injects throttling then waits milliseconds for its retries, not the
// seconds the SDK's default backoff would take.
const RetryMaxBackoff = 20 * time.Millisecond

// Config is an SDK configuration that sends every request to endpointURL in region, signed
// with accessKey (the simulated region picks the calling account from it and accepts any
// secret), with bodies that offer only Read and Close (see package readclose), and at most
// maxAttempts attempts per call.
func Config(endpointURL, region, accessKey string, maxAttempts int) aws.Config {
	return aws.Config{
		Region:       region,
		BaseEndpoint: aws.String(endpointURL),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, "simulated", ""),
		HTTPClient:   readclose.Client{},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = maxAttempts
				o.Backoff = retry.NewExponentialJitterBackoff(RetryMaxBackoff)
				o.RateLimiter = noRateLimit{}
			})
		},
	}
}

// noRateLimit turns off the client-side retry token bucket, so a test with a high throttle
// ratio measures the server's behaviour and the retries, not the bucket running dry.
type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }
