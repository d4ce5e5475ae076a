package main

import (
	"errors"
	"fmt"
	"github.com/plconsole/plconsole/model"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/xdg"
)

// fileConfig is the optional config file, $XDG_CONFIG_HOME/plconsole/config.toml. Flags win
// over the file; the file wins over built-in defaults.
//
//	profile = "prod"
//	region = "eu-west-1"
//	refresh = "30s"
//	inventory_every = "5m"      # every service, connection and load balancer
//	settings_every = "1h"       # principals and other slow-changing settings
//	targets_every = "30m"       # the fleet's target health, round-robin
//	cloudwatch_budget = 100000  # CloudWatch metrics a day for the fleet's health (-1: no limit)
//	theme = "dark"        # dark | light | terminal | auto
//	read_only = true
//
//	[keys]                # rebind a key: action = ["key", ...]
//	accept = ["A"]
type fileConfig struct {
	Profile     string              `toml:"profile"`
	Region      string              `toml:"region"`
	EndpointURL string              `toml:"endpoint_url"`
	Refresh     string              `toml:"refresh"`
	Theme       string              `toml:"theme"`
	ReadOnly    bool                `toml:"read_only"`
	DryRun      bool                `toml:"dry_run"`
	LogFile     string              `toml:"log_file"`
	MaxAttempts int                 `toml:"max_attempts"`
	Keys        map[string][]string `toml:"keys"`
	// AccountsFile and PolicyFile name the accounts and policy files (default: accounts.toml
	// and policy.toml next to this file).
	AccountsFile string `toml:"accounts_file"`
	PolicyFile   string `toml:"policy_file"`
	// BulkConfirmConnections and BulkConfirmServices are how many connections or services one
	// accept or reject may reach before its count must be typed (default 50 and 5; -1: never).
	BulkConfirmConnections int `toml:"bulk_confirm_connections"`
	BulkConfirmServices    int `toml:"bulk_confirm_services"`
	// PendingMaxAge is how long a request may wait before a service's health says so
	// ("24h" by default).
	PendingMaxAge string `toml:"pending_max_age"`
	// Bell rings the terminal's bell when a connection request arrives while the console is
	// open (off by default).
	Bell bool `toml:"bell"`
	// The refresh tiers' cadences (ui/store/tiers.go) and the CloudWatch budget.
	InventoryEvery   string `toml:"inventory_every"`
	SettingsEvery    string `toml:"settings_every"`
	TargetsEvery     string `toml:"targets_every"`
	CloudWatchBudget int    `toml:"cloudwatch_budget"`
}

// parseCadence reads a refresh tier's interval: a duration from a minute to a day. Shorter
// would cost the account what the tiers exist to save; longer would show day-old data as
// the console's picture.
func parseCadence(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < time.Minute || d > 24*time.Hour {
		return 0, fmt.Errorf("%q is not allowed: use a duration from 1m to 24h, like 5m or 1h", s)
	}
	return d, nil
}

// checkBudget checks a CloudWatch budget: metrics a day, at least 1,440 (one a minute), or
// -1 for no limit.
func checkBudget(n int) error {
	if n == -1 || n >= 1440 {
		return nil
	}
	return fmt.Errorf("%d is not allowed: use a number of CloudWatch metrics a day of at least 1440 (one a minute), or -1 for no limit", n)
}

// defaultConfigPath is where the config file lives unless --config says otherwise.
// It reads XDG_CONFIG_HOME at call time (the xdg package resolves it once, at start-up).
func defaultConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		dir = xdg.ConfigHome
	}
	return filepath.Join(dir, "plconsole", "config.toml")
}

// loadConfig reads the config file; a missing default file is not an error, a missing file
// the user named is.
func loadConfig(path string, explicit bool) (fileConfig, error) {
	var cfg fileConfig
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return cfg, nil
		}
		return cfg, fmt.Errorf("reading config file %s: %w", path, err)
	}
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		return cfg, fmt.Errorf("config file %s is not valid TOML: %w", path, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		keys := make([]string, len(undec))
		for i, k := range undec {
			keys[i] = k.String()
		}
		return cfg, fmt.Errorf("config file %s has unknown settings %s; known: profile, region, endpoint_url, refresh, theme, read_only, dry_run, log_file, max_attempts, accounts_file, policy_file, bulk_confirm_connections, bulk_confirm_services, pending_max_age, inventory_every, settings_every, targets_every, cloudwatch_budget, bell, [keys]",
			path, strings.Join(keys, ", "))
	}
	if cfg.Refresh != "" {
		if _, err := parseRefresh(cfg.Refresh); err != nil {
			return cfg, fmt.Errorf("config file %s: refresh: %w", path, err)
		}
	}
	if cfg.PendingMaxAge != "" {
		if d, err := time.ParseDuration(cfg.PendingMaxAge); err != nil || d < time.Minute {
			return cfg, fmt.Errorf("config file %s: pending_max_age %q: use a duration of a minute or more, like 24h or 90m", path, cfg.PendingMaxAge)
		}
	}
	for _, c := range []struct{ name, v string }{
		{"inventory_every", cfg.InventoryEvery}, {"settings_every", cfg.SettingsEvery}, {"targets_every", cfg.TargetsEvery},
	} {
		if c.v == "" {
			continue
		}
		if _, err := parseCadence(c.v); err != nil {
			return cfg, fmt.Errorf("config file %s: %s %w", path, c.name, err)
		}
	}
	if cfg.CloudWatchBudget != 0 {
		if err := checkBudget(cfg.CloudWatchBudget); err != nil {
			return cfg, fmt.Errorf("config file %s: cloudwatch_budget %w", path, err)
		}
	}
	for _, b := range []struct {
		name string
		v    int
	}{{"bulk_confirm_connections", cfg.BulkConfirmConnections}, {"bulk_confirm_services", cfg.BulkConfirmServices}} {
		if b.v < -1 {
			return cfg, fmt.Errorf("config file %s: %s %d is out of range: use a count, or -1 for never", path, b.name, b.v)
		}
	}
	if cfg.MaxAttempts < 0 || cfg.MaxAttempts > 20 {
		return cfg, fmt.Errorf("config file %s: max_attempts %d is out of range: use 1 to 20", path, cfg.MaxAttempts)
	}
	return cfg, nil
}

// parseRefresh reads an auto-refresh interval: "0" or "off" disables it; otherwise 2s to 1h.
func parseRefresh(s string) (time.Duration, error) { return model.ParseRefreshInterval(s) }
