package awsops

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
)

// The audit log and the API-call log are 0600 and never hold the credentials, the session
// token or a request signature, whatever the calls did (reads, writes, failures).
func TestLogsHoldNoSecrets(t *testing.T) {
	run := startSim(t, testWorld(2, 10))
	const secret, token = "wJalrXUtnFEMI-test-secret-value", "FwoGZXIvYXdzEtest-session-token-value"
	key := sim.AccessKeyFor(providerAccount)
	dir := t.TempDir()
	cfg, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte("[profile p]\nregion = us-east-1\nendpoint_url = "+run.URL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[p]\naws_access_key_id = "+key+"\naws_secret_access_key = "+secret+
		"\naws_session_token = "+token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	logFile := filepath.Join(t.TempDir(), "calls.jsonl")
	c := profileClient(t, "p", func(c *Config) { c.APILogFile = logFile })

	svcs, err := c.ListServices(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	pending := connectionsIn(t, c, svcs[0].ID, model.StatePendingAcceptance)
	if _, err := c.AcceptConnections(ctxT(t), svcs[0].ID, pending); err != nil {
		t.Fatal(err)
	}
	_ = c.AddPrincipals(ctxT(t), svcs[0].ID, []string{"arn:aws:iam::123:root"}) // refused by AWS: logged as a failure
	run.Faults().Set(sim.FaultConfig{ThrottleRatio: 1})
	_, _ = c.ListServices(ctxT(t))
	run.Faults().Set(sim.FaultConfig{})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{logFile, c.AuditPath()} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, st.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			t.Fatalf("%s is empty", path)
		}
		for _, leak := range []string{secret, token, key, "Signature=", "Credential=", "X-Amz-Security-Token", "Authorization"} {
			if strings.Contains(string(b), leak) {
				t.Errorf("%s contains %q", filepath.Base(path), leak)
			}
		}
	}
}
