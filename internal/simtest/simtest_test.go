package simtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m, "simtest-test-") }

// The access key of AWSConfig picks the account, and the region counts the requests.
func TestAWSConfigActsAsTheAccount(t *testing.T) {
	r := simtest.Start(t, sim.WorldConfig{Seed: 3, Static: true})
	if r.Name != "us-east-1" || r.Provider != sim.ProviderAccountID || !r.Clock.Now().Equal(simtest.Epoch) {
		t.Fatalf("region %s, provider %s, clock %s", r.Name, r.Provider, r.Clock.Now())
	}
	consumers := r.ConsumerAccounts()
	if len(consumers) == 0 {
		t.Fatal("no consumer accounts")
	}
	for _, account := range []string{r.Provider, consumers[0]} {
		out, err := sts.NewFromConfig(r.AWSConfig(account)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(out.Account); got != account {
			t.Errorf("acting as %s, the region saw %s", account, got)
		}
	}
	if n := r.Stats().Count("sts", "GetCallerIdentity"); n != 2 {
		t.Errorf("the region counted %d GetCallerIdentity, want 2", n)
	}
}

func TestClockAt(t *testing.T) {
	at := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	r := simtest.Start(t, sim.WorldConfig{Seed: 3, Static: true}, simtest.ClockAt(at))
	if !r.Clock.Now().Equal(at) {
		t.Errorf("clock starts at %s, want %s", r.Clock.Now(), at)
	}
}
