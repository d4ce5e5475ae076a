package sim

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The AWS CLI against CloudWatch (botocore speaks AWS JSON 1.0 to it) and ELBv2, with the
// endpoint and region given as flags. The runner is in cli_test.go.

func TestAWSCLICloudWatchAndELB(t *testing.T) {
	awsCLITest(t)
	run := startReadSim(t, WorldConfig{})
	svc := worldService(t, run, "payments")
	search := worldLB(t, run, "search")
	end := elbTestStart.Truncate(time.Minute)
	queries := `[{"Id":"ec","MetricStat":{"Metric":{"Namespace":"AWS/PrivateLinkServices","MetricName":"EndpointsCount",` +
		`"Dimensions":[{"Name":"Service Id","Value":"` + svc.ID + `"}]},"Period":60,"Stat":"Maximum"}},` +
		`{"Id":"b","Expression":"ec * 2","Label":"doubled"}]`
	bad := strings.Replace(queries, `"Period":60`, `"Period":59`, 1)
	from, to := end.Add(-10*time.Minute).Format(time.RFC3339), end.Add(time.Minute).Format(time.RFC3339)

	res := runAWSCLI(t, run,
		[]string{"cloudwatch", "list-metrics", "--namespace", nsPLServices, "--metric-name", "EndpointsCount"},
		[]string{"cloudwatch", "get-metric-data", "--metric-data-queries", queries, "--start-time", from, "--end-time", to},
		[]string{"cloudwatch", "get-metric-data", "--metric-data-queries", bad, "--start-time", from, "--end-time", to},
		[]string{"elbv2", "describe-load-balancers", "--names", search.Name},
	)
	for i, r := range res {
		if i != 2 && r.err != nil {
			t.Fatalf("invocation %d: %v\n%s", i, r.err, r.stderr)
		}
	}

	var lm struct {
		Metrics []struct {
			Namespace, MetricName string
			Dimensions            []struct{ Name, Value string }
		}
	}
	if err := json.Unmarshal([]byte(res[0].stdout), &lm); err != nil {
		t.Fatalf("list-metrics output: %v\n%s", err, res[0].stdout)
	}
	found := false
	for _, m := range lm.Metrics {
		if m.MetricName == "EndpointsCount" && len(m.Dimensions) == 1 && m.Dimensions[0].Value == svc.ID {
			found = true
		}
	}
	if !found {
		t.Fatalf("list-metrics does not list EndpointsCount of %s: %s", svc.ID, res[0].stdout)
	}

	var gmd struct {
		MetricDataResults []struct {
			Id, Label, StatusCode string
			Timestamps            []json.RawMessage
			Values                []float64
		}
	}
	if err := json.Unmarshal([]byte(res[1].stdout), &gmd); err != nil {
		t.Fatalf("get-metric-data output: %v\n%s", err, res[1].stdout)
	}
	w := run.Server.World()
	w.mu.RLock()
	available := 0.0
	for _, ep := range svc.Endpoints {
		if ep.State == EndpointAvailable {
			available++
		}
	}
	w.mu.RUnlock()
	if len(gmd.MetricDataResults) != 2 || len(gmd.MetricDataResults[0].Values) != 11 ||
		gmd.MetricDataResults[0].Values[0] != available || gmd.MetricDataResults[1].Values[0] != 2*available ||
		gmd.MetricDataResults[1].Label != "doubled" || gmd.MetricDataResults[0].StatusCode != "Complete" {
		t.Fatalf("get-metric-data: want %v available endpoints: %s", available, res[1].stdout)
	}
	// CLI v1 prints timestamps as the JSON protocol carries them (epoch seconds) unless
	// cli_timestamp_format says otherwise; accept either form.
	raw := gmd.MetricDataResults[0].Timestamps[0]
	var ts time.Time
	var secs float64
	if err := json.Unmarshal(raw, &secs); err == nil {
		ts = time.Unix(int64(secs), 0)
	} else {
		var s string
		_ = json.Unmarshal(raw, &s)
		ts, _ = time.Parse(time.RFC3339, s)
	}
	if !ts.Equal(end) {
		t.Fatalf("newest timestamp %s, want %v", raw, end)
	}

	// An invalid period comes back as CloudWatch's InvalidParameterValue.
	if res[2].err == nil || !strings.Contains(res[2].stderr, "InvalidParameterValue") {
		t.Fatalf("period 59: err %v, stderr %s", res[2].err, res[2].stderr)
	}

	var dlb struct {
		LoadBalancers []struct {
			LoadBalancerArn                                      string
			Type                                                 string
			EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic string
		}
	}
	if err := json.Unmarshal([]byte(res[3].stdout), &dlb); err != nil {
		t.Fatalf("describe-load-balancers output: %v\n%s", err, res[3].stdout)
	}
	if len(dlb.LoadBalancers) != 1 || dlb.LoadBalancers[0].LoadBalancerArn != search.ARN || dlb.LoadBalancers[0].EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic != "on" {
		t.Fatalf("describe-load-balancers: %s", res[3].stdout)
	}
}
