package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/servicespec"
)

// plconsole setup takes the root command's flags, and refuses a bad spec file before
// anything starts, naming the file and every problem in it.
func TestSetupRefusesBadInputBeforeStarting(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("load_balancers = []\nprivate_dns_name = \"x\"\ncolour = \"red\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	invalid := filepath.Join(dir, "invalid.toml")
	if err := os.WriteFile(invalid, []byte("load_balancers = []\nprivate_dns_name = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"setup", "--from", filepath.Join(dir, "missing.toml")}, "--from: open"},
		{[]string{"setup", "--from", bad}, "unknown keys colour"},
		{[]string{"setup", "--from", invalid, "--demo"}, "invalid.toml: load_balancers: "},
		{[]string{"setup", "--read-only", "--dry-run"}, "cannot be combined"},
		{[]string{"setup", "--bogus"}, "see 'plconsole setup --help'"},
		{[]string{"setup", "extra"}, "unknown command"},
	} {
		wantRefusal(t, tt.args, tt.want)
	}
}

// wantRefusal runs plconsole with args and wants it to fail with an error mentioning want.
func wantRefusal(t *testing.T, args []string, want string) {
	t.Helper()
	cmd := newRootCommand()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%v: err = %v, want it to mention %q", args, err, want)
	}
}

func TestLoadSpec(t *testing.T) {
	want := model.ServiceSpec{Name: "orders-api", AcceptanceRequired: true,
		LoadBalancers: []string{"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders-nlb/50dc6c495c0c9188"}}
	b, err := servicespec.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "orders.toml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := loadSpec(path)
	if err != nil || got.Name != want.Name || got.LoadBalancers[0] != want.LoadBalancers[0] {
		t.Fatalf("loaded %+v, %v", got, err)
	}
}

// The demo offers the simulated consumer accounts as test consumers and opens one as its
// account; a name that is not one of them is refused rather than acting as the provider.
func TestSimConsumers(t *testing.T) {
	run, err := startEmbeddedSim(worldFlags{seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	w := run.Server.World()
	cfg := awsops.Config{AuditDir: t.TempDir()}.ForSimulatedRegion(run.URL, w.Region, simAccessKey(w))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	provider, err := awsops.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer provider.Close()
	labels, open := simConsumers(cfg, run, provider)
	if len(labels) == 0 {
		t.Fatal("no consumer accounts offered")
	}
	c, err := open(ctx, labels[0])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if id := c.Identity(); id.Account == w.Provider.ID || !strings.Contains(labels[0], id.Account) {
		t.Fatalf("%q opened as account %s", labels[0], id.Account)
	}
	for _, label := range []string{"nobody", "stranger 999999999999", "the provider " + w.Provider.ID} {
		if _, err := open(ctx, label); err == nil {
			t.Errorf("%q opened a session", label)
		}
	}
}
