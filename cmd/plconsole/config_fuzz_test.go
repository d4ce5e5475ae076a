package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The config file parser takes any bytes without panicking; a file it refuses is named in
// the error, and one it accepts holds only values the console can use.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range []string{
		"profile = \"prod\"\nregion = \"eu-west-1\"\nrefresh = \"30s\"\n[keys]\naccept = [\"A\"]\n",
		"refresh = \"soon\"\n", "max_attempts = 99\n", "bogus = 1\n", "[keys\n", "theme = 3\n", "",
		"read_only = true\ndry_run = true\n", "refresh = \"off\"\nlog_file = \"/tmp/x\"\n",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(path, true)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if cfg.MaxAttempts < 0 || cfg.MaxAttempts > 20 {
			t.Fatalf("accepted max_attempts %d", cfg.MaxAttempts)
		}
		if cfg.Refresh != "" {
			if _, err := parseRefresh(cfg.Refresh); err != nil {
				t.Fatalf("accepted refresh %q: %v", cfg.Refresh, err)
			}
		}
	})
}

// The accounts and policy file parsers take any bytes without panicking; a file they refuse
// names itself in the error, and what they accept validates.
func FuzzParseUserFiles(f *testing.F) {
	for _, s := range []string{
		"[accounts.444455556666]\nname = \"Acme\"\ntier = \"gold\"\n",
		"[accounts.12]\nname = \"short\"\n", "[accounts.444455556666]\ncolour = \"red\"\n",
		"[[rule]]\nname = \"gold\"\ndecision = \"accept\"\ntiers = [\"gold\"]\n",
		"[[rule]]\ndecision = \"acept\"\n", "[[rule]]\nname = \"x\"\ndecision = \"accept\"\nmax_endpoints_per_account = -1\n",
		"[[rule\n", "", "rule = 3\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		const path = "/etc/plconsole/file.toml"
		if c, err := parseAccounts(path, []byte(content)); err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("accounts error does not name the file: %v", err)
			}
		} else if c == nil {
			t.Fatal("accepted accounts file gave no directory")
		}
		if p, err := parsePolicy(path, []byte(content)); err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("policy error does not name the file: %v", err)
			}
		} else if err := p.Validate(); err != nil || len(p.Rules) == 0 {
			t.Fatalf("accepted policy does not validate: %v", err)
		}
	})
}
