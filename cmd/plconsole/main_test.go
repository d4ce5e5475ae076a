package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/plconsole/plconsole/internal/testenv"
)

func TestMain(m *testing.M) {
	// Hermetic: no AWS profile, keys or endpoint from the machine reach a command under
	// test, and the config file and crash reports live in a private directory.
	testenv.Main(m, "plconsole-cmd-test-")
}

// syncBuffer is written by the command's goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// `plconsole sim` serves the region, prints what to export, and answers on /_sim/stats.
func TestSimCommandServesAndPrintsEnvironment(t *testing.T) {
	addr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	cmd := newRootCommand()
	cmd.SetArgs([]string{"sim", "--addr", addr, "--seed", "3", "--throttle", "0.25"})
	cmd.SetOut(&out)
	cmd.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("no banner; output so far:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	banner := out.String()
	for _, want := range []string{
		"export AWS_ENDPOINT_URL=http://" + addr,
		"export AWS_ACCESS_KEY_ID=AKIA111122223333SIMU",
		"export AWS_REGION=us-east-1",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if !regexp.MustCompile(`AWS_ACCESS_KEY_ID=AKIA\d{12}SIMU`).MatchString(banner[strings.Index(banner, "for example"):]) {
		t.Errorf("banner lists no consumer access key:\n%s", banner)
	}

	resp, err := http.Get("http://" + addr + "/_sim/faults")
	if err != nil {
		t.Fatal(err)
	}
	var faults struct {
		ThrottleRatio float64 `json:"throttleRatio"`
	}
	err = json.NewDecoder(resp.Body).Decode(&faults)
	resp.Body.Close()
	if err != nil || faults.ThrottleRatio != 0.25 {
		t.Fatalf("faults = %+v, %v; --throttle 0.25 was not applied", faults, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sim command: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sim command did not stop on cancel")
	}
}

func TestSimCommandRefusesBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sim", "--addr", "0.0.0.0:7575"}, "not a loopback address"},
		{[]string{"sim", "--throttle", "2"}, "--throttle"},
		{[]string{"sim", "--services", "-1"}, "out of range"},
		{[]string{"sim", "--latency", "2m"}, "out of range"},
	} {
		wantRefusal(t, tt.args, tt.want)
	}
}

// A bad theme in the config file is refused before the terminal is taken over, naming the file.
func TestConfigFileThemeIsChecked(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if err := os.MkdirAll(filepath.Join(dir, "plconsole"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plconsole", "config.toml"), []byte("theme = \"purple\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := newRootCommand()
	cmd.SetArgs(nil)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "config.toml") || !strings.Contains(err.Error(), "purple") {
		t.Fatalf("err = %v", err)
	}
}

func TestConsoleFlagCombinationsAreRefused(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--read-only", "--dry-run"}, "cannot be combined"},
		{[]string{"--demo", "--endpoint-url", "http://127.0.0.1:1"}, "drop --endpoint-url"},
		{[]string{"--refresh", "1s"}, "out of range"},
		{[]string{"--theme", "neon"}, "want dark, light, terminal or auto"},
		{[]string{"--services", "5"}, "needs --demo"},
		{[]string{"--demo", "--region", "eu-west-1"}, "drop --endpoint-url, --profile and --region"},
		{[]string{"--bogus"}, "see 'plconsole --help'"},
		{[]string{"--max-attempts", "50"}, "out of range"},
		{[]string{"--max-attempts", "0"}, "--max-attempts 0 is out of range"},
		{[]string{"--max-attempts", "-1"}, "out of range"},
		{[]string{"--inventory-every", "30s"}, `--inventory-every "30s" is not allowed: use a duration from 1m to 24h`},
		{[]string{"--settings-every", "often"}, `--settings-every "often" is not allowed: use a duration from 1m to 24h`},
		{[]string{"--targets-every", "25h"}, `--targets-every "25h" is not allowed: use a duration from 1m to 24h`},
		{[]string{"--cloudwatch-budget", "0"}, "--cloudwatch-budget 0 is not allowed: use a number of CloudWatch metrics a day of at least 1440"},
	} {
		wantRefusal(t, tt.args, tt.want)
	}
}

// Without a terminal (stdin closed, no /dev/tty) the error says what is missing.
func TestConsoleWithoutATerminalSaysSo(t *testing.T) {
	err := consoleError(fmt.Errorf("could not open a new TTY: %w", &fs.PathError{Op: "open", Path: "/dev/tty", Err: syscall.ENXIO}))
	if err == nil || !strings.Contains(err.Error(), "needs a terminal") || !strings.Contains(err.Error(), "/dev/tty") {
		t.Fatalf("err = %v", err)
	}
	if err := consoleError(errors.New("boom")); err.Error() != "console: boom" {
		t.Fatalf("other errors keep their words: %v", err)
	}
}

// The console knows where read-only came from: the flag, or the config file (named).
func TestReadOnlySource(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte("read_only = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", path}, "read_only = true in " + path},
		{[]string{"--config", path, "--read-only"}, "--read-only"},
	} {
		var o consoleOptions
		cmd := &cobra.Command{Use: "plconsole"}
		o.register(cmd)
		if err := cmd.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		_, opts, err := o.resolve(cmd)
		if err != nil || opts.ReadOnlyFrom != tc.want {
			t.Errorf("%v: read-only from %q (%v), want %q", tc.args, opts.ReadOnlyFrom, err, tc.want)
		}
	}
}
