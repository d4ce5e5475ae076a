package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/awsops/sim"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/servicespec"
	"github.com/plconsole/plconsole/ui"
	"github.com/plconsole/plconsole/ui/store"
)

// newSetupCommand is `plconsole setup`: the console opened on the setup wizard, against any
// backend the root command takes (--demo, a profile, --endpoint-url), optionally with the
// answers of a spec file the wizard saved.
func newSetupCommand() *cobra.Command {
	var o consoleOptions
	var ff filesFlags
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Create an endpoint service with the guided setup wizard",
		Long: `setup opens the console on the guided setup wizard: choose the load balancers, read the
preflight, fill in the settings and access, review the exact API calls, AWS CLI and
Terraform, then create the service, verify its private DNS name and test it with a
consumer connection. --from loads a spec file the wizard saved (s on the review).
--read-only walks the wizard and refuses the create; --dry-run sends each call with DryRun.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.setup = true
			return runConsole(cmd, o, ff)
		},
	}
	o.register(cmd)
	ff.register(cmd)
	cmd.Flags().StringVar(&o.specFile, "from", "", "start from a service spec file (TOML) the wizard saved")
	cmd.SetFlagErrorFunc(flagErrorHint)
	return cmd
}

// loadSpec reads a spec file, naming every problem with its key.
func loadSpec(path string) (*model.ServiceSpec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	spec, err := servicespec.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("--from %s: %w", path, err)
	}
	return &spec, nil
}

// consumerOpener opens the wizard's test consumer: another profile of the shared config, in
// the region the console acts in now, with the console's read-only and dry-run guards.
func consumerOpener(cfg awsops.Config, provider *awsops.Client) store.ConsumerOpener {
	return func(ctx context.Context, profile string) (store.Consumer, error) {
		c := cfg
		c.Profile, c.Region, c.StaticAccessKey = profile, provider.Identity().Region, ""
		return awsops.New(ctx, c)
	}
}

var accountInLabel = regexp.MustCompile(`\b(\d{12})\b`)

// simConsumers lists the simulated world's consumer accounts as the test consumer offers
// them ("acme-prod 123456789012"), and opens one as its account in the region the console
// acts in now. An account the region's world does not have is refused: the simulated region
// would take its key for the provider's.
func simConsumers(cfg awsops.Config, run *sim.Running, provider *awsops.Client) ([]string, store.ConsumerOpener) {
	var labels []string
	for _, a := range run.Server.Accounts() {
		if !a.Provider {
			labels = append(labels, a.Name+" "+a.ID)
		}
	}
	open := func(ctx context.Context, label string) (store.Consumer, error) {
		m := accountInLabel.FindStringSubmatch(label)
		if m == nil {
			return nil, fmt.Errorf("%q names no account: pick one of the simulated consumer accounts", label)
		}
		region := provider.Identity().Region
		srv := run.Server
		if r, ok := run.Regions[region]; ok {
			srv = r
		}
		if !slices.ContainsFunc(srv.Accounts(), func(a sim.AccountSummary) bool { return a.ID == m[1] && !a.Provider }) {
			return nil, errors.New("account " + m[1] + " is not a consumer account of the simulated " + region)
		}
		c := cfg.ForSimulatedRegion(cfg.EndpointURL, region, sim.AccessKeyFor(m[1]))
		c.Profile = label
		return awsops.New(ctx, c)
	}
	return labels, open
}

// consumerOptions lets the wizard open a test consumer: a simulated consumer account in
// the demo, another profile against AWS.
func consumerOptions(opts *ui.Options, cfg awsops.Config, run *sim.Running, client *awsops.Client) {
	if run != nil {
		opts.ConsumerProfiles, opts.OpenConsumer = simConsumers(cfg, run, client)
		return
	}
	current := client.Identity().Profile
	for _, p := range awsops.Profiles() {
		if p != current {
			opts.ConsumerProfiles = append(opts.ConsumerProfiles, p)
		}
	}
	opts.OpenConsumer = consumerOpener(cfg, client)
}
