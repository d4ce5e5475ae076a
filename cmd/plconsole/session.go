package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui"
)

// session is what the console and the headless commands act through: the awsops client
// (on AWS, or on --demo's embedded simulated region), the customer directory and the
// approval policy, and where they were read from.
type session struct {
	client       *awsops.Client
	opts         ui.Options
	customers    *model.Customers
	accountsPath string
	policy       *model.Policy
	policyPath   string
	// cfg is the client's configuration and demo the embedded region (nil on AWS): the
	// wizard's test consumer is opened from them
	cfg     awsops.Config
	demo    *sim.Running
	closers []func()
}

func (s *session) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

// filesFlags are --accounts and --policy, shared by the console and the headless commands.
type filesFlags struct {
	accounts string
	policy   string
}

func (f *filesFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.accounts, "accounts", "", "accounts file: customer names and tiers by account id (default: accounts.toml next to the config file)")
	cmd.Flags().StringVar(&f.policy, "policy", "", "approval policy file (default: policy.toml next to the config file, when present)")
}

// openSession resolves the flags over the config file, starts the embedded region for
// --demo, connects to AWS and reads the accounts and policy files.
func openSession(ctx context.Context, cmd *cobra.Command, o consoleOptions, ff filesFlags) (*session, error) {
	cfg, opts, err := o.resolve(cmd)
	if err != nil {
		return nil, err
	}
	s := &session{opts: opts}
	fc, _ := loadConfig(o.configFile())
	s.accountsPath, s.policyPath = ff.accounts, ff.policy
	accountsExplicit, policyExplicit := ff.accounts != "", ff.policy != ""
	if s.accountsPath == "" {
		s.accountsPath, accountsExplicit = fc.AccountsFile, fc.AccountsFile != ""
	}
	if s.policyPath == "" {
		s.policyPath, policyExplicit = fc.PolicyFile, fc.PolicyFile != ""
	}
	if o.demo {
		if !cmd.Flags().Changed("regions") {
			o.world.regions = demoRegions
		}
		run, err := startEmbeddedSim(o.world)
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, func() { _ = run.Close() })
		s.demo = run
		w := run.Server.World()
		// the client's own mode says DEMO, or READ-ONLY / DRY-RUN when those guard it
		cfg = cfg.ForSimulatedRegion(run.URL, w.Region, simAccessKey(w))
		// :region completes to the regions the demo serves, not to ones that all fail
		s.opts.Regions = servedRegions(run)
		if s.accountsPath == "" || s.policyPath == "" {
			dir, err := writeDemoFiles(run)
			if err != nil {
				s.Close()
				return nil, err
			}
			s.closers = append(s.closers, func() { _ = os.RemoveAll(dir) })
			if s.accountsPath == "" {
				s.accountsPath, accountsExplicit = filepath.Join(dir, accountsFileName), true
			}
			if s.policyPath == "" {
				s.policyPath, policyExplicit = filepath.Join(dir, policyFileName), true
			}
		}
	}
	if s.accountsPath == "" {
		s.accountsPath = filepath.Join(configDir(), accountsFileName)
	}
	if s.policyPath == "" {
		s.policyPath = filepath.Join(configDir(), policyFileName)
	}
	if s.customers, err = loadAccounts(s.accountsPath, accountsExplicit); err != nil {
		s.Close()
		return nil, err
	}
	if s.policy, err = loadPolicy(s.policyPath, policyExplicit); err != nil {
		s.Close()
		return nil, err
	}
	client, err := awsops.New(ctx, cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.client, s.cfg = client, cfg
	s.closers = append(s.closers, func() { _ = client.Close() })
	path := s.accountsPath
	s.opts.Customers = s.customers
	s.opts.SaveCustomer = func(c model.Customer) error { return saveCustomer(path, c) }
	s.opts.Policy = s.policy
	ppath := s.policyPath
	s.opts.ReloadPolicy = func() (*model.Policy, error) { return loadPolicy(ppath, true) }
	return s, nil
}

// configFile is the config file the options name, and whether the user named it.
func (o consoleOptions) configFile() (string, bool) {
	if o.configPath != "" {
		return o.configPath, true
	}
	return defaultConfigPath(), false
}

// writeDemoFiles writes an accounts file naming the simulated world's consumer accounts and
// an example policy, so --demo shows names and suggestions without any setup. They live in
// a temporary directory for the length of the run.
func writeDemoFiles(run *sim.Running) (string, error) {
	dir, err := os.MkdirTemp("", "plconsole-demo-")
	if err != nil {
		return "", fmt.Errorf("demo files: %w", err)
	}
	var b strings.Builder
	b.WriteString("# The demo world's consumer accounts. :name ACCOUNT NAME edits this file.\n")
	tiers := []string{"gold", "standard", "internal", "standard"}
	n := 0
	for _, a := range run.Server.Accounts() {
		if a.Provider {
			continue
		}
		b.WriteString("\n[accounts." + a.ID + "]\n")
		b.WriteString("name = " + strconv.Quote(demoCustomerName(a.Name)) + "\n")
		b.WriteString("tier = " + strconv.Quote(tiers[n%len(tiers)]) + "\n")
		n++
	}
	for name, text := range map[string]string{accountsFileName: b.String(), policyFileName: demoPolicy} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			return "", fmt.Errorf("demo files: %w", err)
		}
	}
	return dir, nil
}

// demoCustomerName turns a world account name ("acme-prod") into a customer name ("Acme Prod").
func demoCustomerName(name string) string {
	words := strings.Split(name, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// demoPolicy is the example policy --demo runs with (docs/POLICY.md explains each setting).
const demoPolicy = `# Approval policy: the first rule that matches a pending request decides.

[[rule]]
name = "internal accounts"
tiers = ["internal"]
decision = "accept"

[[rule]]
name = "gold, allowed, up to 3 each"
tiers = ["gold"]
allowed_principal = true
max_endpoints_per_account = 3
decision = "accept"

[[rule]]
name = "not an allowed principal"
allowed_principal = false
decision = "reject"

[[rule]]
name = "cross-region needs a person"
regions = ["cross-region"]
decision = "hold"

[[rule]]
name = "everyone else"
decision = "hold"
`
