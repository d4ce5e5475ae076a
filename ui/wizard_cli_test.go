package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// clipboard records what the console copies (OSC 52 sequences), safely for the program's
// goroutines.
type clipboard struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (c *clipboard) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.Write(p)
}

var osc52Seq = regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]*)\x07")

// last is the text of the latest copy.
func (c *clipboard) last(t testing.TB) string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	m := osc52Seq.FindAllSubmatch(c.b.Bytes(), -1)
	if len(m) == 0 {
		t.Fatal("nothing was copied")
	}
	b, err := base64.StdEncoding.DecodeString(string(m[len(m)-1][1]))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runScript runs a shell script of AWS CLI commands against a simulated region as its
// provider, with no configuration or credentials of the machine's.
func runScript(t testing.TB, r *simtest.Region, script string) string {
	t.Helper()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"AWS_ENDPOINT_URL=" + r.URL, "AWS_ACCESS_KEY_ID=" + r.AccessKey(r.Provider), "AWS_SECRET_ACCESS_KEY=simulated",
		"AWS_DEFAULT_REGION=" + r.Name, "AWS_CONFIG_FILE=" + empty, "AWS_SHARED_CREDENTIALS_FILE=" + empty,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "AWS_CA_BUNDLE"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("the review's AWS CLI commands failed: %v\n%s\n%s\nscript:\n%s", err, out.String(), errb.String(), script)
	}
	return out.String()
}

// comparable is what must be equal between the service the wizard made and the one the AWS
// CLI commands made (ids and names differ).
func comparable(s model.EndpointService) string {
	var regions, principals, notes []string
	for _, r := range s.SupportedRegions {
		regions = append(regions, r.Region)
	}
	for _, p := range s.AllowedPrincipals {
		principals = append(principals, p.ARN)
	}
	for _, n := range s.Notifications {
		ev := make([]string, len(n.Events))
		for i, e := range n.Events {
			ev[i] = string(e)
		}
		notes = append(notes, n.TopicARN+" "+strings.Join(ev, ","))
	}
	sort.Strings(regions)
	sort.Strings(principals)
	dns := ""
	if s.PrivateDNS != nil {
		dns = s.PrivateDNS.Name + " " + string(s.PrivateDNS.State)
	}
	return strings.Join([]string{string(s.Type), model.FormatTagList(s.Tags), strings.Join(s.NetworkLoadBalancers, ","),
		strings.Join(s.GatewayLoadBalancers, ","), boolStr(s.AcceptanceRequired), dns, strings.Join(s.SupportedIPTypes, ","),
		strings.Join(regions, ","), strings.Join(principals, ","), strings.Join(notes, ";"), string(s.PayerResponsibility),
		strings.Join(s.AvailabilityZoneIDs, ",")}, "\n")
}

// The AWS CLI commands the review shows (copied from it with c), run against a second
// simulated region with the same world, create the same service the wizard creates.
func TestReviewCLICommandsCreateTheSameService(t *testing.T) {
	if testing.Short() {
		t.Skip("the AWS CLI's start-up is slow; skipped in -short mode")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not on PATH")
	}
	e := newSimEnv(t, model.ModeDemo)
	clip := &clipboard{}
	l := startLive(t, e, 120, 40, func(o *Options) { o.Clipboard = clip })
	a := ordersAnswers()
	a.principals = "444455556666, arn:aws:iam::111122223333:role/ops"
	l.toReview(a)
	l.press("c")
	l.untilView("copied the AWS CLI commands to the clipboard")
	script := clip.last(t)
	if !strings.Contains(script, "--client-token plconsole-test-token-1") {
		t.Fatalf("the copied script is not the review's:\n%s", script)
	}

	other := simtest.Start(t, demoWorld(), simtest.ClockAt(testNow))
	out := runScript(t, other, script)
	id := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "created "))
	if !strings.HasPrefix(id, "vpce-svc-") {
		t.Fatalf("the script printed %q", out)
	}
	byCLI, err := awsopstest.Provider(t, other, model.ModeDemo).ServiceDetail(bg(t), id)
	if err != nil {
		t.Fatal(err)
	}

	l.press("enter")
	l.step("Verify & test")
	byWizard, err := e.client.ServiceDetail(bg(t), l.created().ID)
	if err != nil {
		t.Fatal(err)
	}
	if w, c := comparable(byWizard), comparable(byCLI); w != c {
		t.Fatalf("the wizard made\n%s\n\nthe AWS CLI commands made\n%s", w, c)
	}
	if !slices.Contains(byCLI.NetworkLoadBalancers, lbARNByName(t, e.client, "orders-nlb")) {
		t.Fatal("the worlds differ: compare nothing")
	}
}
