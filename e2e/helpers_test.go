package e2e_test

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/internal/testenv"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui"
)

// t0 is the simulated region's clock at start and the console's fixed "now", so ages and
// the data-age badge render the same on every run.
var t0 = simtest.Epoch

// Terminal size of every test program.
const termW, termH = 120, 40

// waitFor bounds one wait for the screen; generous so a loaded machine does not flake, while
// a passing run waits only as long as the program needs.
const waitFor = 10 * time.Second

func TestMain(m *testing.M) {
	// Hermetic SDK configuration: no user files, no IMDS, no inherited profile, endpoint or
	// CA bundle (awsops installs the CA bundle on its transport, which loopback HTTP does
	// not need), and no NO_COLOR, which the console honours.
	testenv.Main(m, "plconsole-e2e-", "NO_COLOR")
}

// region is one simulated region on loopback, on a manual clock; the console and the
// test's own SDK clients act as its provider account.
type region struct{ *simtest.Region }

// startRegion serves the default demo world (seed 1) on a loopback port. Nothing in it
// moves until the test advances the clock.
func startRegion(t *testing.T) *region {
	t.Helper()
	return &region{simtest.Start(t, sim.WorldConfig{Seed: 1}, simtest.ClockAt(t0))}
}

// consoleBackend is the real awsops client the program runs on, as `plconsole --demo` builds it.
func (r *region) consoleBackend(t *testing.T) *awsops.Client {
	t.Helper()
	return awsopstest.Provider(t, r.Region, model.ModeDemo)
}

// sdk is an EC2 client independent of awsops: the test's own view of the region.
func (r *region) sdk(account string) *ec2.Client {
	return ec2.NewFromConfig(r.AWSConfig(account))
}

// connection is one row of DescribeVpcEndpointConnections, as the SDK decodes it.
type connection struct {
	ServiceID, EndpointID, Owner, State string
	Created                             time.Time
}

// connections lists the provider's connections through the SDK, filtered by service id
// (or every service when "").
func connections(t *testing.T, c *ec2.Client, serviceID string) map[string]connection {
	t.Helper()
	in := &ec2.DescribeVpcEndpointConnectionsInput{}
	if serviceID != "" {
		in.Filters = []ec2types.Filter{{Name: aws.String("service-id"), Values: []string{serviceID}}}
	}
	out := map[string]connection{}
	p := ec2.NewDescribeVpcEndpointConnectionsPaginator(c, in)
	for p.HasMorePages() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		page, err := p.NextPage(ctx)
		cancel()
		if err != nil {
			t.Fatalf("DescribeVpcEndpointConnections: %v", err)
		}
		for _, vc := range page.VpcEndpointConnections {
			cn := connection{
				ServiceID:  aws.ToString(vc.ServiceId),
				EndpointID: aws.ToString(vc.VpcEndpointId),
				Owner:      aws.ToString(vc.VpcEndpointOwner),
				State:      string(vc.VpcEndpointState),
			}
			if vc.CreationTimestamp != nil {
				cn.Created = *vc.CreationTimestamp
			}
			out[cn.EndpointID] = cn
		}
	}
	return out
}

// serviceIDByName finds an endpoint service by its Name tag through the SDK.
func serviceIDByName(t *testing.T, c *ec2.Client, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := c.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{
		Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{name}}},
	})
	if err != nil {
		t.Fatalf("DescribeVpcEndpointServiceConfigurations: %v", err)
	}
	if len(out.ServiceConfigurations) != 1 {
		t.Fatalf("want exactly one service named %s, got %d", name, len(out.ServiceConfigurations))
	}
	return aws.ToString(out.ServiceConfigurations[0].ServiceId)
}

// pendingOf returns the pendingAcceptance connections of a service, newest first (the
// inbox's own default order, model.CompareConnections), then by id.
func pendingOf(conns map[string]connection, serviceID string) []connection {
	var out []connection
	for _, c := range conns {
		if c.ServiceID == serviceID && c.State == "pendingAcceptance" {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].EndpointID < out[j].EndpointID
	})
	return out
}

// console is the real console program under teatest, with a window on its screen.
type console struct {
	t      *testing.T
	tm     *teatest.TestModel
	screen *screenModel
}

// startConsole runs ui.New(backend, …) as a Bubble Tea program at 120×40 with a fixed clock
// and no periodic ticks, so the screen changes only in answer to keys and backend replies.
func startConsole(t *testing.T, backend ui.Backend) *console {
	t.Helper()
	opts := ui.Options{
		Now:             func() time.Time { return t0 },
		Mode:            model.ModeDemo,
		RefreshInterval: 30 * time.Second,
		DisableTicks:    true,
		NoColor:         true,
		Renderer:        lipgloss.NewRenderer(io.Discard),
		Clipboard:       io.Discard,
		Profiles:        []string{"demo"},
		StartPage:       ui.StartServices,
	}
	sm := &screenModel{inner: ui.New(backend, opts)}
	tm := teatest.NewTestModel(t, sm, teatest.WithInitialTermSize(termW, termH))
	c := &console{t: t, tm: tm, screen: sm}
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	return c
}

// screenModel wraps the console model and keeps the last frame it rendered, so the test
// reads whole screens rather than the renderer's line diffs. Everything it does runs on the
// program's goroutine; the test reads the frame under the lock.
type screenModel struct {
	inner tea.Model

	mu    sync.Mutex
	frame string
}

func (s *screenModel) Init() tea.Cmd { return s.inner.Init() }

func (s *screenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := s.inner.Update(msg)
	s.inner = m
	v := m.View()
	s.mu.Lock()
	s.frame = v
	s.mu.Unlock()
	return s, cmd
}

func (s *screenModel) View() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.frame == "" {
		return s.inner.View()
	}
	return s.frame
}

// text is the last frame without escape sequences.
func (s *screenModel) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.frame)
}

// fatalWithScreen reports a failed wait with the screen the program last showed rather
// than teatest's raw byte stream.
type fatalWithScreen struct {
	testing.TB
	screen *screenModel
	what   string
}

func (f fatalWithScreen) Fatal(args ...any) {
	f.TB.Helper()
	msg := fmt.Sprint(args...)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	f.TB.Fatalf("%s: waiting for %s; the screen shows:\n%s", msg, f.what, f.screen.text())
}

// waitScreen waits until the whole screen satisfies cond and returns it.
func (c *console) waitScreen(what string, cond func(screen string) bool) string {
	c.t.Helper()
	var got string
	teatest.WaitFor(fatalWithScreen{TB: c.t, screen: c.screen, what: what}, c.tm.Output(), func([]byte) bool {
		got = c.screen.text()
		return cond(got)
	}, teatest.WithDuration(waitFor), teatest.WithCheckInterval(10*time.Millisecond))
	return got
}

// waitText waits until every one of wants is on the screen.
func (c *console) waitText(wants ...string) string {
	c.t.Helper()
	return c.waitScreen(strings.Join(quoteAll(wants), " and "), func(s string) bool {
		for _, w := range wants {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// waitStatus waits until the status line (above the footer: flash messages, counts) says want.
func (c *console) waitStatus(want string) string {
	c.t.Helper()
	return c.waitScreen(fmt.Sprintf("the status line to say %q", want), func(s string) bool {
		return strings.Contains(statusLine(s), want)
	})
}

// statusLine is the screen's line above the footer.
func statusLine(screen string) string {
	lines := strings.Split(screen, "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[len(lines)-2]
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// key sends named keys ("enter", "esc", "ctrl+a", …) or single characters, one by one.
func (c *console) key(keys ...string) {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown,
		"tab": tea.KeyTab, "ctrl+a": tea.KeyCtrlA, "space": tea.KeySpace, "backspace": tea.KeyBackspace,
	}
	for _, k := range keys {
		if kt, ok := named[k]; ok {
			c.tm.Send(tea.KeyMsg{Type: kt})
			continue
		}
		c.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
}

// typeText types s character by character, as a user would.
func (c *console) typeText(s string) { c.tm.Type(s) }

// lineWith returns the first screen line containing s, or "".
func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// rowOf returns the table row of an endpoint on the screen, or "".
func rowOf(screen, endpointID string) string {
	for _, l := range strings.Split(screen, "\n") {
		if isRow(l) && strings.Contains(l, endpointID) {
			return l
		}
	}
	return ""
}

// isRow says whether a screen line is a connection row: its first cell (after the gutter:
// * marked, + new, > the cursor without colour) is an endpoint id. The breadcrumb line naming
// a filter is not.
func isRow(l string) bool {
	f := strings.Fields(l)
	return len(f) >= 6 && (strings.HasPrefix(strings.TrimLeft(f[0], "*+>"), "vpce-") || strings.HasPrefix(f[1], "vpce-"))
}

// markedRows counts the rows whose gutter shows the mark (*).
func markedRows(screen string) int {
	n := 0
	for _, l := range strings.Split(screen, "\n") {
		if isRow(l) && strings.HasPrefix(l, "*") {
			n++
		}
	}
	return n
}

// tableRows counts the connection rows on the screen.
func tableRows(screen string) int {
	n := 0
	for _, l := range strings.Split(screen, "\n") {
		if isRow(l) {
			n++
		}
	}
	return n
}
