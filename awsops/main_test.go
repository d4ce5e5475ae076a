package awsops

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/sdktest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/internal/testenv"
)

// apiLogDir collects the API-call log files of every client the tests create; TestMain
// checks afterwards that each operation called is granted by the right IAM policy.
var apiLogDir string

func TestMain(m *testing.M) {
	// Hermetic SDK configuration: no user files, no IMDS, no inherited profile or endpoint.
	env, err := testenv.Setup("awsops-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	apiLogDir = filepath.Join(env.Dir, "apilog")

	code := m.Run()
	if code == 0 {
		if err := checkCalledOperationsAgainstPolicies(apiLogDir); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL: IAM policy check:", err)
			code = 1
		}
	}
	env.Close()
	os.Exit(code)
}

// checkCalledOperationsAgainstPolicies reads every API-call log line the tests wrote and
// fails when an operation's IAM action is missing from operator.json, or a read's from
// readonly.json.
func checkCalledOperationsAgainstPolicies(dir string) error {
	ro, err := policyActions(filepath.Join("..", "docs", "iam", "readonly.json"))
	if err != nil {
		return err
	}
	opr, err := policyActions(filepath.Join("..", "docs", "iam", "operator.json"))
	if err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	called := map[string]bool{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			var line apiLogLine
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				fh.Close()
				return fmt.Errorf("%s: %w", f, err)
			}
			called[line.Service+"/"+line.Operation] = true
		}
		fh.Close()
	}
	var problems []string
	for k := range called {
		svc, name, _ := strings.Cut(k, "/")
		action := iamPrefix[svc] + ":" + name
		if !opr[action] {
			problems = append(problems, action+" is called but missing from docs/iam/operator.json")
		}
		if !isWrite(svc, name) && !ro[action] {
			problems = append(problems, action+" is a read that is called but missing from docs/iam/readonly.json")
		}
		if _, known := knownOperation(svc, name); !known {
			problems = append(problems, action+" is called but not in awsops' operation table")
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}

// policyActions reads the Allow actions of an IAM policy document.
func policyActions(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Version   string
		Statement []struct {
			Effect    string
			Action    []string
			Resource  any
			Condition map[string]any
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]bool{}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			continue
		}
		for _, a := range st.Action {
			out[a] = true
		}
	}
	return out, nil
}

// ---- fixtures ----------------------------------------------------------------------------

const providerAccount = sim.ProviderAccountID

// testWorld is a small, quiet world: nothing changes unless the test acts.
func testWorld(services, connections int) sim.WorldConfig {
	return sim.WorldConfig{Seed: 7, Services: services, Connections: connections, Static: true}
}

// startSim serves a simulated region on loopback for the test. Its clock starts at the
// wall clock's now, because awsops reads the wall clock itself (metric windows, snapshot
// times); from there it moves only when the test moves it.
func startSim(t testing.TB, w sim.WorldConfig) *simtest.Region {
	t.Helper()
	return simtest.Start(t, w, simtest.ClockAt(time.Now()))
}

// newClient builds a Client against the simulated region as the given account.
func newClient(t testing.TB, run *simtest.Region, account string, mod ...func(*Config)) *Client {
	t.Helper()
	c, err := newClientErr(t, run, account, mod...)
	if err != nil {
		t.Fatalf("awsops.New: %v", err)
	}
	return c
}

// newClientErr configures the client as plconsole --demo does, with the test clients'
// short retry backoff, and logs its API calls for TestMain's IAM policy check.
func newClientErr(t testing.TB, run *simtest.Region, account string, mod ...func(*Config)) (*Client, error) {
	t.Helper()
	cfg := Config{AuditDir: t.TempDir(), RetryMaxBackoff: sdktest.RetryMaxBackoff}.
		ForSimulatedRegion(run.URL, run.Name, run.AccessKey(account))
	if apiLogDir != "" {
		cfg.APILogFile = filepath.Join(apiLogDir, fmt.Sprintf("%s-%d.jsonl", sanitize(t.Name()), time.Now().UnixNano()))
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	return c, nil
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

// requests is the number of requests the simulated region received for one operation.
func requests(run *simtest.Region, service, op string) int64 {
	return run.Stats().Count(service, op)
}

func totalRequests(run *simtest.Region) int64 { return run.Stats().Total }

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
