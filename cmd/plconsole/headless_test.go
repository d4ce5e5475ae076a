package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/internal/awsopstest"
	"github.com/plconsole/plconsole/internal/simtest"
	"github.com/plconsole/plconsole/model"
)

// headlessWorld is the world the headless tests act on: small, still, the same every run.
func headlessWorld() sim.WorldConfig {
	return sim.WorldConfig{Seed: 7, Services: 3, Connections: 30, Static: true}
}

// startHeadlessRegion serves a region and points the SDK's environment at it as the
// provider (the headless commands read credentials the ordinary way).
func startHeadlessRegion(t *testing.T) *simtest.Region {
	t.Helper()
	r := simtest.Start(t, headlessWorld())
	t.Setenv("AWS_ACCESS_KEY_ID", r.AccessKey(r.Provider))
	t.Setenv("AWS_SECRET_ACCESS_KEY", "simulated")
	return r
}

// runCLI runs plconsole with args against the region and returns stdout and the exit status.
func runCLI(t *testing.T, r *simtest.Region, args ...string) (string, int, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newRootCommand()
	cmd.SetArgs(append(args, "--endpoint-url", r.URL, "--region", r.Name))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	code := 0
	if err != nil {
		code = exitCode(err)
	}
	return out.String(), code, err
}

// ---- a small JSON Schema check -------------------------------------------------------------

// validate checks v against the subset of JSON Schema docs/schema uses: type, required,
// properties, additionalProperties (false or a schema), items, enum, pattern, minimum.
func validate(schema map[string]any, v any, path string) error {
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if e == v {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s: %v is not one of %v", path, v, enum)
		}
	}
	switch schema["type"] {
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want an array, got %T", path, v)
		}
		items, _ := schema["items"].(map[string]any)
		for i, it := range arr {
			if err := validate(items, it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object, got %T", path, v)
		}
		props, _ := schema["properties"].(map[string]any)
		required, _ := schema["required"].([]any)
		for _, req := range required {
			if _, ok := obj[req.(string)]; !ok {
				return fmt.Errorf("%s: required field %q is missing", path, req)
			}
		}
		for k, fv := range obj {
			ps, known := props[k].(map[string]any)
			if !known {
				switch ap := schema["additionalProperties"].(type) {
				case bool:
					if !ap {
						return fmt.Errorf("%s: field %q is not in the schema", path, k)
					}
					continue
				case map[string]any:
					ps = ap
				}
			}
			if err := validate(ps, fv, path+"."+k); err != nil {
				return err
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want a string, got %T (%v)", path, v, v)
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			return fmt.Errorf("%s: %q does not match %s", path, s, p)
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return fmt.Errorf("%s: want an integer, got %v", path, v)
		}
		if m, ok := schema["minimum"].(float64); ok && n < m {
			return fmt.Errorf("%s: %v is below %v", path, n, m)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want a boolean, got %T", path, v)
		}
	}
	return nil
}

func loadSchema(t *testing.T, kind string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "schema", "get-"+kind+".schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// `get KIND -o json` is checked against docs/schema/get-KIND.schema.json; CSV's header
// is the schema's fields; YAML holds the same records; docs/HEADLESS.md documents every
// field.
func TestGetOutputMatchesTheDocumentedSchema(t *testing.T) {
	r := startHeadlessRegion(t)
	accounts := filepath.Join(t.TempDir(), "accounts.toml")
	first := ""
	for _, a := range r.Server.Accounts() {
		if !a.Provider {
			first = a.ID
			break
		}
	}
	if err := os.WriteFile(accounts, []byte("[accounts."+first+"]\nname = \"Acme Corp\"\ntier = \"gold\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(policy, []byte("[[rule]]\nname = \"gold\"\ntiers = [\"gold\"]\ndecision = \"accept\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "HEADLESS.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range getKinds {
		t.Run(kind, func(t *testing.T) {
			schema := loadSchema(t, kind)
			out, code, err := runCLI(t, r, "get", kind, "-o", "json", "--accounts", accounts, "--policy", policy)
			if err != nil || code != 0 {
				t.Fatalf("exit %d: %v", code, err)
			}
			var v []any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if len(v) == 0 {
				t.Fatalf("get %s listed nothing", kind)
			}
			if err := validate(schema, any(v), kind); err != nil {
				t.Fatal(err)
			}
			props := schema["items"].(map[string]any)["properties"].(map[string]any)
			var fields []string
			for f := range props {
				fields = append(fields, f)
				if !strings.Contains(string(doc), "`"+f+"`") {
					t.Errorf("docs/HEADLESS.md does not document the field %s of %s", f, kind)
				}
			}
			csvOut, _, err := runCLI(t, r, "get", kind, "-o", "csv", "--accounts", accounts)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			head := append([]string(nil), rows[0]...)
			sort.Strings(head)
			sort.Strings(fields)
			if strings.Join(head, ",") != strings.Join(fields, ",") || len(rows) != len(v)+1 {
				t.Fatalf("CSV header %v (%d rows) against the schema's %v (%d records)", rows[0], len(rows)-1, fields, len(v))
			}
			yamlOut, _, err := runCLI(t, r, "get", kind, "-o", "yaml", "--accounts", accounts)
			if err != nil {
				t.Fatal(err)
			}
			var y []map[string]any
			if err := yaml.Unmarshal([]byte(yamlOut), &y); err != nil || len(y) != len(v) {
				t.Fatalf("YAML: %v, %d records", err, len(y))
			}
		})
	}
	// names and the policy's decision show in the connections
	out, _, _ := runCLI(t, r, "get", "connections", "-o", "json", "--owner", "Acme Corp", "--state", "pendingacceptance",
		"--accounts", accounts, "--policy", policy)
	var conns []map[string]any
	if err := json.Unmarshal([]byte(out), &conns); err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		if c["customer"] != "Acme Corp" || c["owner_account"] != first || c["decision"] != "accept" || c["rule"] != "gold" {
			t.Fatalf("connection %v", c)
		}
	}
	if _, code, err := runCLI(t, r, "get", "widgets"); code != exitError || err == nil || !strings.Contains(err.Error(), "services, connections") {
		t.Fatalf("unknown kind: exit %d, %v", code, err)
	}
	if _, code, err := runCLI(t, r, "get", "connections", "--state", "sleeping"); code != exitError || !strings.Contains(fmt.Sprint(err), "pendingAcceptance") {
		t.Fatalf("bad state: exit %d, %v", code, err)
	}
}

// pendingOf lists one service's pendingAcceptance endpoint ids through awsops.
func pendingOf(t *testing.T, r *simtest.Region, label string) (string, []string) {
	t.Helper()
	c := awsopstest.Provider(t, r, model.ModeDemo)
	svcs, err := c.ListServices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Label() != label {
			continue
		}
		conns, err := c.ListConnections(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, cn := range conns {
			if cn.State == model.StatePendingAcceptance {
				ids = append(ids, cn.EndpointID)
			}
		}
		sort.Strings(ids)
		return s.ID, ids
	}
	t.Fatalf("no service %s", label)
	return "", nil
}

func writes(r *simtest.Region) int64 {
	st := r.Stats()
	var n int64
	for _, op := range []string{"AcceptVpcEndpointConnections", "RejectVpcEndpointConnections"} {
		n += st.Count("ec2", op)
	}
	return n
}

// accept/reject print the plan and change nothing without --yes; --read-only sends no
// write (exit 3); --dry-run sends only DryRun requests and changes nothing; --yes acts, and
// a failed item is exit 2.
func TestAcceptRejectPlanGuardsAndExitStatus(t *testing.T) {
	r := startHeadlessRegion(t)
	svc, pending := pendingOf(t, r, "payments-api")
	if len(pending) < 3 {
		t.Fatal("payments-api needs 3 pending requests")
	}
	out, code, err := runCLI(t, r, "accept", "payments-api", pending[0], pending[1])
	if err != nil || code != 0 || !strings.Contains(out, "Nothing was sent") || writes(r) != 0 {
		t.Fatalf("plan only: exit %d %v, %d writes\n%s", code, err, writes(r), out)
	}
	_, code, err = runCLI(t, r, "accept", "payments-api", pending[0], "--yes", "--read-only")
	if code != exitRefused || !strings.Contains(fmt.Sprint(err), "read-only") || writes(r) != 0 {
		t.Fatalf("read-only: exit %d %v, %d writes", code, err, writes(r))
	}
	out, code, err = runCLI(t, r, "accept", svc, pending[0], "--yes", "--dry-run")
	if code != 0 || err != nil || !strings.Contains(out, "would succeed") {
		t.Fatalf("dry run: exit %d %v\n%s", code, err, out)
	}
	if _, now := pendingOf(t, r, "payments-api"); len(now) != len(pending) {
		t.Fatal("a dry run changed a connection")
	}
	out, code, err = runCLI(t, r, "reject", "payments-api", pending[2], "--yes", "-o", "json")
	if err != nil || code != 0 {
		t.Fatalf("reject: exit %d %v\n%s", code, err, out)
	}
	var po planOutput
	if err := json.Unmarshal([]byte(out), &po); err != nil || !po.Applied || len(po.Results) != 1 || !po.Results[0].OK {
		t.Fatalf("reject output %v %+v", err, po)
	}
	// refused before sending: a connection not of the service, one already rejected
	_, code, err = runCLI(t, r, "accept", "payments-api", pending[2], "--yes")
	if code != exitError || !strings.Contains(fmt.Sprint(err), "cannot be accepted: it is rejected") {
		t.Fatalf("accept a rejected one: exit %d %v", code, err)
	}
	_, code, err = runCLI(t, r, "accept", "payments-api", "not-an-id")
	if code != exitError || !strings.Contains(fmt.Sprint(err), "vpce-") {
		t.Fatalf("bad id: exit %d %v", code, err)
	}
	// one endpoint rejected behind the command's back between its read and its write is
	// reported per item: exit 2
	c := awsopstest.Provider(t, r, model.ModeDemo)
	var failed bool
	res, _ := c.RejectConnections(context.Background(), svc, pending[1:2])
	failed = len(res) == 1 && res[0].OK
	if !failed {
		t.Fatal("could not set up the failure")
	}
	items, err := applyBatches(context.Background(), c, []model.PolicyBatch{{ServiceID: svc, Decision: model.DecisionAccept, Endpoints: pending[:2]}})
	if err := writesOutcome(items, err); exitCode(err) != exitPartial {
		t.Fatalf("partial failure: %v (exit %d)", err, exitCode(err))
	}
}

const testPolicy = `# accept the first consumer, reject who is not allowed, hold the rest
[[rule]]
name = "trusted"
tiers = ["gold"]
decision = "accept"

[[rule]]
name = "not allowed"
allowed_principal = false
decision = "reject"

[[rule]]
name = "the rest"
decision = "hold"
`

// approve without --yes prints the plan; --read-only and --dry-run send no write; --yes
// applies it and every audit line names its rule.
func TestApproveGuardsAndAudit(t *testing.T) {
	r := startHeadlessRegion(t)
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(policy, []byte(testPolicy), 0o600); err != nil {
		t.Fatal(err)
	}
	_, pending := pendingOf(t, r, "payments-api")
	// name the owner of the first pending request gold
	c := awsopstest.Provider(t, r, model.ModeDemo)
	conns, _ := c.ListConnections(context.Background(), "")
	owner := ""
	for _, cn := range conns {
		if cn.EndpointID == pending[0] {
			owner = cn.OwnerAccount
		}
	}
	accounts := filepath.Join(dir, "accounts.toml")
	if err := os.WriteFile(accounts, []byte("[accounts."+owner+"]\nname = \"Gold Co\"\ntier = \"gold\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"approve", "--policy", policy, "--accounts", accounts}
	out, code, err := runCLI(t, r, args...)
	if err != nil || code != 0 || !strings.Contains(out, "Plan for 8 requests") || !strings.Contains(out, "Gold Co") || writes(r) != 0 {
		t.Fatalf("plan: exit %d %v, %d writes\n%s", code, err, writes(r), out)
	}
	if _, code, _ := runCLI(t, r, append(args, "--yes", "--read-only")...); code != exitRefused || writes(r) != 0 {
		t.Fatalf("read-only: exit %d, %d writes", code, writes(r))
	}
	out, code, err = runCLI(t, r, append(args, "--yes", "--dry-run")...)
	if code != 0 || err != nil {
		t.Fatalf("dry run: exit %d %v\n%s", code, err, out)
	}
	if _, now := pendingOf(t, r, "payments-api"); len(now) != len(pending) {
		t.Fatal("a dry run changed a connection")
	}
	out, code, err = runCLI(t, r, append(args, "--yes", "-o", "json")...)
	if err != nil || code != 0 {
		t.Fatalf("apply: exit %d %v\n%s", code, err, out)
	}
	var po planOutput
	if err := json.Unmarshal([]byte(out), &po); err != nil || !po.Applied || po.Counts["accept"] == 0 {
		t.Fatalf("apply output %v %+v", err, po)
	}
	// the audit log names the rule of each write
	data, err := os.ReadFile(filepath.Join(os.Getenv("XDG_STATE_HOME"), "plconsole", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"reason":"policy `+policy+`: rule \"trusted\" (line 2)"`) {
		t.Fatalf("no audit line names the rule:\n%s", data)
	}
}

// A policy file's mistakes are reported with the file and the line.
func TestPolicyFileErrorsNameTheLine(t *testing.T) {
	cases := map[string]struct{ text, want string }{
		"syntax":       {"[[rule]]\nname = \"a\"\ndecision = accept\n", "p.toml:3: not valid TOML"},
		"unknown key":  {"[[rule]]\nname = \"a\"\ndecison = \"accept\"\n", `p.toml:3: unknown setting "rule.decison"`},
		"bad decision": {"[[rule]]\nname = \"a\"\ndecision = \"acept\"\n\n[[rule]]\nname = \"b\"\ndecision = \"hold\"\n", `p.toml:3: rule "a": decision "acept" is not one of accept, reject, hold`},
		"second rule":  {"[[rule]]\nname = \"a\"\ndecision = \"hold\"\n\n[[rule]]\nname = \"b\"\ndecision = \"accept\"\naccounts = [\"12\"]\n", `p.toml:8: rule "b": account id "12"`},
		"wrong type":   {"[[rule]]\nname = \"a\"\ndecision = \"hold\"\naccounts = \"123456789012\"\n", "p.toml:4:"},
		"no rules":     {"# nothing\n", "p.toml: has no [[rule]]"},
		"limit":        {"[[rule]]\nname = \"a\"\ndecision = \"reject\"\nmax_endpoints_per_account = 2\n", `p.toml:4: rule "a": max_endpoints_per_account`},
	}
	for name, c := range cases {
		_, err := parsePolicy("p.toml", []byte(c.text))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want prefix %q", name, err, c.want)
		}
	}
	p, err := parsePolicy("p.toml", []byte(testPolicy))
	if err != nil || len(p.Rules) != 3 || p.Rules[1].Line != 7 || p.Rules[1].Lines["allowed_principal"] != 9 || *p.Rules[1].AllowedPrincipal {
		t.Fatalf("%v %+v", err, p)
	}
	if _, err := loadPolicy(filepath.Join(t.TempDir(), "missing.toml"), true); err == nil {
		t.Fatal("a missing policy file the user named is an error")
	}
	if p, err := loadPolicy(filepath.Join(t.TempDir(), "missing.toml"), false); err != nil || p != nil {
		t.Fatal("a missing default policy file is no policy")
	}
}

// The accounts file: errors name the line; :name keeps comments and other entries.
func TestAccountsFile(t *testing.T) {
	for text, want := range map[string]string{
		"[accounts.12345]\nname = \"x\"\n":                                "a.toml:1: account 12345: account id",
		"[accounts.123456789012]\nname = \"\"\n":                          "a.toml:1: account 123456789012: customer name is empty",
		"[accounts.123456789012]\nname = \"x\"\ntier = \"Gold\"\n":        "a.toml:1: account 123456789012: tier",
		"# c\n\n[accounts.123456789012]\nname = \"x\"\nteir = \"gold\"\n": `a.toml:5: unknown setting "accounts.123456789012.teir"`,
	} {
		if _, err := parseAccounts("a.toml", []byte(text)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("got %v, want prefix %q", err, want)
		}
	}
	path := filepath.Join(t.TempDir(), "accounts.toml")
	orig := "# our customers\n[accounts.111111111111]\nname = \"Old\"   \ntier = \"gold\" # contract 7\n\n[accounts.222222222222]\nname = \"Two\"\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := saveCustomer(path, model.Customer{Account: "111111111111", Name: "New Name"}); err != nil {
		t.Fatal(err)
	}
	if err := saveCustomer(path, model.Customer{Account: "333333333333", Name: "Three \"quoted\""}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{"# our customers", `name = "New Name"`, `tier = "gold" # contract 7`, `name = "Two"`, "[accounts.333333333333]"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("saved file lacks %q:\n%s", want, data)
		}
	}
	d, err := loadAccounts(path, true)
	if err != nil || d.Name("111111111111") != "New Name" || d.Tier("111111111111") != "gold" || d.Name("333333333333") != `Three "quoted"` || d.Len() != 3 {
		t.Fatalf("%v %+v", err, d.All())
	}
	if err := saveCustomer(path, model.Customer{Account: "111111111111", Name: "tab\there"}); err == nil {
		t.Fatal("an invalid name was saved")
	}
	// a new file in a directory that does not exist yet
	fresh := filepath.Join(t.TempDir(), "sub", "accounts.toml")
	if err := saveCustomer(fresh, model.Customer{Account: "444444444444", Name: "Four"}); err != nil {
		t.Fatal(err)
	}
	if d, err := loadAccounts(fresh, true); err != nil || d.Name("444444444444") != "Four" {
		t.Fatalf("%v", err)
	}
}

// get findings lists what the console finds from CloudWatch metrics too (the fleet read is
// model's, shared), with a zone finding's consumers as its endpoints; --no-metrics leaves
// them out and reads no metric.
func TestGetFindingsIncludesTheMetricFindings(t *testing.T) {
	// the command reads the last three hours of the wall clock, as against AWS
	r := simtest.Start(t, headlessWorld(), simtest.ClockAt(time.Now()))
	t.Setenv("AWS_ACCESS_KEY_ID", r.AccessKey(r.Provider))
	t.Setenv("AWS_SECRET_ACCESS_KEY", "simulated")
	codes := func(args ...string) (map[string][]model.FindingRecord, int64) {
		t.Helper()
		r.ResetStats()
		out, code, err := runCLI(t, r, append([]string{"get", "findings", "-o", "json"}, args...)...)
		if err != nil || code != 0 {
			t.Fatalf("get findings %v: exit %d %v\n%s", args, code, err, out)
		}
		var recs []model.FindingRecord
		if err := json.Unmarshal([]byte(out), &recs); err != nil {
			t.Fatal(err)
		}
		by := map[string][]model.FindingRecord{}
		for _, rec := range recs {
			by[rec.Code] = append(by[rec.Code], rec)
		}
		return by, r.Stats().Count("monitoring", "GetMetricData")
	}
	with, reads := codes()
	if reads == 0 {
		t.Fatal("no metric was read")
	}
	metric := []string{model.CodeUnhealthyHostsAZ, model.CodePortAllocation, model.CodeConsumerSilent}
	for _, c := range metric {
		if len(with[c]) == 0 {
			t.Errorf("no %s finding: %v", c, keys(with))
		}
	}
	for _, rec := range with[model.CodeUnhealthyHostsAZ] {
		if len(rec.Endpoints) == 0 {
			t.Errorf("%s names no consumer to call: %+v", rec.Code, rec)
		}
	}
	for _, rec := range with[model.CodeConsumerSilent] {
		if rec.Account == "" {
			t.Errorf("%s names no account: %+v", rec.Code, rec)
		}
	}
	without, reads := codes("--no-metrics")
	if reads != 0 {
		t.Fatalf("--no-metrics read %d metric batches", reads)
	}
	for _, c := range metric {
		if len(without[c]) != 0 {
			t.Errorf("--no-metrics lists %s", c)
		}
	}
	if len(without[model.CodeAZNoHealthyTarget]) != len(with[model.CodeAZNoHealthyTarget]) {
		t.Error("the configuration's findings are the same either way")
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Shell completion reads the account through the command's own flags: accept completes the
// services (ids described by name), then the endpoints of that service that can be accepted
// (described by owner and state), leaving out those already on the line.
func TestCompletionOffersServicesThenAcceptableEndpoints(t *testing.T) {
	r := startHeadlessRegion(t)
	complete := func(words ...string) []string {
		t.Helper()
		var out bytes.Buffer
		cmd := newRootCommand()
		cmd.SetArgs(append([]string{"__complete", "accept", "--endpoint-url", r.URL, "--region", r.Name}, words...))
		cmd.SetOut(&out)
		cmd.SetErr(io.Discard)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if !strings.HasPrefix(l, ":") { // the directive line
				lines = append(lines, l)
			}
		}
		return lines
	}
	client := awsopstest.Provider(t, r, model.ModeDemo)
	services, err := client.ListServices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := complete("")
	if len(got) != len(services) {
		t.Fatalf("offered %q for %d services", got, len(services))
	}
	for _, s := range services {
		if !slices.Contains(got, s.ID+"\t"+s.Label()) {
			t.Errorf("%s (%s) not offered: %q", s.ID, s.Label(), got)
		}
	}
	svc, pending := "", []string(nil)
	for _, s := range services {
		if _, eps := pendingOf(t, r, s.Label()); len(eps) > 1 {
			svc, pending = s.ID, eps
			break
		}
	}
	if svc == "" {
		t.Fatal("the world has no service with two pending requests")
	}
	got = complete(svc, pending[0], "")
	if len(got) != len(pending)-1 {
		t.Fatalf("offered %q, want the %d pending endpoints but %s", got, len(pending)-1, pending[0])
	}
	for _, l := range got {
		ep := strings.SplitN(l, "\t", 2)[0]
		if ep == pending[0] || !slices.Contains(pending, ep) || !strings.HasSuffix(l, string(model.StatePendingAcceptance)) {
			t.Errorf("offered %q", l)
		}
	}
}
