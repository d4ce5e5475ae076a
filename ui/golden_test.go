package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/model"
)

// screen is one golden scenario: keys typed from the start screen, and text that shows the
// screen has settled.
type screen struct {
	name  string
	mode  model.Mode
	keys  []string // "type:text" types text rune by rune
	wait  string
	setup func(b *fakeBackend)
}

func goldenScreens() []screen {
	return []screen{
		{name: "services", wait: "3/3 services"},
		{name: "services_readonly", mode: model.ModeReadOnly, wait: "3/3 services"},
		{name: "inbox", keys: []string{"c"}, wait: "18/18 connections"},
		{name: "inbox_marked", keys: []string{"c", "space", "space"}, wait: "2 marked"},
		{name: "inbox_filter_typing", keys: []string{"c", "/", "type:!avail"}, wait: "! inverts"},
		{name: "inbox_filtered", keys: []string{"c", "/", "type:search", "enter"}, wait: "6/18 connections"},
		{name: "inbox_readonly", mode: model.ModeReadOnly, keys: []string{"c"}, wait: "18/18 connections"},
		{name: "detail_overview", keys: []string{"down", "enter"}, wait: "Principals (2)"},
		{name: "detail_connections", keys: []string{"down", "enter", "wait:Principals (2)", "2"}, wait: "9/9 connections"},
		{name: "detail_principals", keys: []string{"down", "enter", "wait:Principals (2)", "3"}, wait: "777788889999"},
		{name: "detail_targets", keys: []string{"down", "enter", "wait:Principals (2)", "4"}, wait: "targets healthy"},
		{name: "detail_notifications", keys: []string{"down", "enter", "wait:Principals (2)", "5"}, wait: "Enabled"},
		{name: "apilog", keys: []string{"@"}, wait: "4/4 calls"},
		{name: "help", keys: []string{"?"}, wait: "mark filtered"},
		{name: "palette", keys: []string{":"}, wait: "profile"},
		{name: "palette_region", keys: []string{":", "type:region us-"}, wait: "region us-east-2"},
		{name: "dialog_accept", keys: []string{"c", "a"}, wait: "Accept 1 connection?"},
		{name: "dialog_reject_marked", keys: []string{"c", "space", "space", "x"}, wait: "Reject 2 connections?"},
		{name: "dialog_bulk_results", keys: []string{"c", "ctrl+a", "a", "y"}, wait: "1 failed",
			setup: func(b *fakeBackend) { b.failIDs["vpce-00000000000000108"] = "InvalidVpcEndpointId.NotFound" }},
		{name: "dialog_add_principal", keys: []string{"down", "enter", "wait:Principals (2)", "3", "+", "type:arn:aws:iam::123:root", "enter"}, wait: "12-digit"},
		{name: "dialog_wildcard", keys: []string{"down", "enter", "wait:Principals (2)", "3", "+", "type:*", "enter"}, wait: "Type everyone"},
		{name: "dialog_remove_principal", keys: []string{"down", "enter", "wait:Principals (2)", "3", "-"}, wait: "Remove 1 principal"},
		{name: "dialog_verify_dns", keys: []string{"down", "enter", "wait:Principals (2)", "v"}, wait: "Start private DNS"},
		{name: "dialog_txt", keys: []string{"down", "enter", "wait:Principals (2)", "y"}, wait: "c copy"},
		{name: "dialog_payer", keys: []string{"down", "enter", "wait:Principals (2)", "p"}, wait: "CANNOT BE UNDONE"},
		{name: "dialog_add_notification", keys: []string{"down", "enter", "wait:Principals (2)", "5", "+"}, wait: "SNS topic ARN"},
		{name: "dialog_remove_notification", keys: []string{"down", "enter", "wait:Principals (2)", "5", "-"}, wait: "Delete 1 notification"},
		{name: "dialog_delete_service", keys: []string{"G", "D"}, wait: "Type the service id"},
		{name: "dryrun_flash", mode: model.ModeDryRun, keys: []string{"c", "a", "y"}, wait: "would succeed"},
	}
}

// waitFor reads the program's output until everything it printed since the last wait
// contains s.
func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	var seen bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		return strings.Contains(seen.String(), s)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func waitIdle(t *testing.T, b *fakeBackend) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !b.idle(80 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("backend never went idle")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, sc := range goldenScreens() {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel()
				mode := sc.mode
				if mode == "" {
					mode = model.ModeDemo
				}
				b := newFakeBackend(mode)
				if sc.setup != nil {
					sc.setup(b)
				}
				m := New(b, testOptions())
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size[0], size[1]))
				first := "data 0s old"
				if len(sc.keys) == 0 {
					first = sc.wait
				}
				waitFor(t, tm, first)
				waitIdle(t, b)
				for _, k := range sc.keys {
					if text, ok := strings.CutPrefix(k, "wait:"); ok {
						waitFor(t, tm, text)
						waitIdle(t, b)
						continue
					}
					if text, ok := strings.CutPrefix(k, "type:"); ok {
						for _, r := range text {
							tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
						}
						continue
					}
					tm.Send(keyMsg(k))
				}
				if len(sc.keys) > 0 {
					waitFor(t, tm, sc.wait)
				}
				waitIdle(t, b)
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
				golden.RequireEqual(t, []byte(final.View()))
			})
		}
	}
}
