package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.toml", "profile = \"prod\"\nregion = \"eu-west-1\"\nrefresh = \"30s\"\ntheme = \"light\"\nread_only = true\n[keys]\naccept = [\"A\"]\n")
	cfg, err := loadConfig(good, true)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Profile != "prod" || cfg.Region != "eu-west-1" || cfg.Theme != "light" || !cfg.ReadOnly || cfg.Keys["accept"][0] != "A" {
		t.Fatalf("cfg = %+v", cfg)
	}

	for _, tt := range []struct{ name, body, want string }{
		{"unknown.toml", "colour = \"red\"\n", "unknown settings colour"},
		{"badrefresh.toml", "refresh = \"soon\"\n", "not a duration"},
		{"badtoml.toml", "profile = \n", "not valid TOML"},
		{"attempts.toml", "max_attempts = 99\n", "out of range"},
		{"inventory.toml", "inventory_every = \"10s\"\n", `inventory_every "10s" is not allowed: use a duration from 1m to 24h`},
		{"settings.toml", "settings_every = \"soon\"\n", `settings_every "soon" is not allowed: use a duration from 1m to 24h`},
		{"targets.toml", "targets_every = \"48h\"\n", `targets_every "48h" is not allowed: use a duration from 1m to 24h`},
		{"budget.toml", "cloudwatch_budget = 100\n", "cloudwatch_budget 100 is not allowed: use a number of CloudWatch metrics a day of at least 1440"},
	} {
		_, err := loadConfig(write(tt.name, tt.body), true)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}

	tiers := write("tiers.toml", "inventory_every = \"10m\"\nsettings_every = \"1h\"\ntargets_every = \"45m\"\ncloudwatch_budget = -1\n")
	if cfg, err := loadConfig(tiers, true); err != nil || cfg.InventoryEvery != "10m" || cfg.CloudWatchBudget != -1 {
		t.Errorf("the tiers' keys: cfg = %+v, err = %v", cfg, err)
	}

	if _, err := loadConfig(filepath.Join(dir, "missing.toml"), false); err != nil {
		t.Errorf("a missing default config file must be fine: %v", err)
	}
	if _, err := loadConfig(filepath.Join(dir, "missing.toml"), true); err == nil {
		t.Error("a missing config file named with --config must be an error")
	}
}

func TestParseRefresh(t *testing.T) {
	for in, want := range map[string]time.Duration{"off": 0, "0": 0, "15s": 15 * time.Second, "1h": time.Hour} {
		if got, err := parseRefresh(in); err != nil || got != want {
			t.Errorf("parseRefresh(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"1s", "2h", "fast", "-5s"} {
		if _, err := parseRefresh(in); err == nil {
			t.Errorf("parseRefresh(%q) must fail", in)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:7575", "[::1]:0", "localhost:80", "127.0.0.2:1"} {
		if err := checkLoopback(addr, false); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{"0.0.0.0:7575", ":7575", "10.0.0.5:80", "example.com:80"} {
		if err := checkLoopback(addr, false); err == nil || !strings.Contains(err.Error(), "--allow-remote") {
			t.Errorf("%s: err = %v", addr, err)
		}
		if err := checkLoopback(addr, true); err != nil {
			t.Errorf("%s with --allow-remote: %v", addr, err)
		}
	}
	if err := checkLoopback("7575", false); err == nil || !strings.Contains(err.Error(), "host:port") {
		t.Errorf("no port: %v", err)
	}
}
