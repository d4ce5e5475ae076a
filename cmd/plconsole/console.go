package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/adrg/xdg"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui"
)

// consoleOptions are the root command's flags.
type consoleOptions struct {
	demo        bool
	profile     string
	region      string
	endpointURL string
	readOnly    bool
	dryRun      bool
	refresh     string
	tiers       tierFlags
	logFile     string
	configPath  string
	theme       string
	maxAttempts int
	world       worldFlags
	// setup opens the wizard at start (plconsole setup); specFile is its --from.
	setup    bool
	specFile string
}

func (o *consoleOptions) register(cmd *cobra.Command) {
	o.registerSession(cmd, "run against an embedded simulated region (no AWS account needed)")
	f := cmd.Flags()
	f.StringVar(&o.refresh, "refresh", "", "auto-refresh interval, e.g. 15s, 1m, or off (default 15s): pending requests are read at it")
	f.StringVar(&o.tiers.inventory, "inventory-every", "", "how often every service, connection and load balancer is read, 1m to 24h (default 5m; r reads at once)")
	f.StringVar(&o.tiers.settings, "settings-every", "", "how long principals and other slow-changing settings are kept, 1m to 24h (default 1h)")
	f.StringVar(&o.tiers.targets, "targets-every", "", "how long one round of the fleet's target health takes, 1m to 24h (default 30m)")
	f.IntVar(&o.tiers.budget, "cloudwatch-budget", 0, "CloudWatch metrics a day the fleet's health read may request, at least 1440, or -1 for no limit (default 100000)")
	f.StringVar(&o.theme, "theme", "", "colour theme: dark, light, terminal (its own 16 colours) or auto (default: adapt to the terminal)")
}

// registerSession declares the flags that say which AWS session to act in and how
// carefully: the console's and the headless commands' alike.
func (o *consoleOptions) registerSession(cmd *cobra.Command, demoHelp string) {
	f := cmd.Flags()
	f.BoolVar(&o.demo, "demo", false, demoHelp)
	f.StringVar(&o.profile, "profile", "", "AWS profile (default: AWS_PROFILE or the default profile)")
	f.StringVar(&o.region, "region", "", "AWS region (default: from the profile or AWS_REGION)")
	f.StringVar(&o.endpointURL, "endpoint-url", "", "send every AWS request to this endpoint (AWS_ENDPOINT_URL is honoured too)")
	f.BoolVar(&o.readOnly, "read-only", false, "refuse every change before it is sent to AWS")
	f.BoolVar(&o.dryRun, "dry-run", false, "send changes with DryRun=true and report what AWS would do")
	f.StringVar(&o.logFile, "log-file", "", "also append every AWS API call to this file")
	f.StringVar(&o.configPath, "config", "", "config file (default: $XDG_CONFIG_HOME/plconsole/config.toml)")
	f.IntVar(&o.maxAttempts, "max-attempts", 0, fmt.Sprintf("attempts per AWS call, retries included (default %d)", awsops.DefaultMaxAttempts))
	o.world.register(cmd)
	for _, name := range []string{"seed", "services", "connections", "consumers", "regions"} {
		f.Lookup(name).Usage += " (with --demo)"
	}
}

// resolve merges flags over the config file over defaults, and checks the combination.
func (o consoleOptions) resolve(cmd *cobra.Command) (awsops.Config, ui.Options, error) {
	path, explicit := o.configPath, o.configPath != ""
	if !explicit {
		path = defaultConfigPath()
	}
	fc, err := loadConfig(path, explicit)
	if err != nil {
		return awsops.Config{}, ui.Options{}, err
	}
	changed := cmd.Flags().Changed
	pick := func(flag, fromFlag, fromFile string) string {
		if changed(flag) || fromFile == "" {
			return fromFlag
		}
		return fromFile
	}
	cfg := awsops.Config{
		Profile:     pick("profile", o.profile, fc.Profile),
		Region:      pick("region", o.region, fc.Region),
		EndpointURL: pick("endpoint-url", o.endpointURL, fc.EndpointURL),
		ReadOnly:    o.readOnly || (!changed("read-only") && fc.ReadOnly),
		DryRun:      o.dryRun || (!changed("dry-run") && fc.DryRun),
		APILogFile:  pick("log-file", o.logFile, fc.LogFile),
		MaxAttempts: o.maxAttempts,
	}
	if changed("max-attempts") && o.maxAttempts == 0 {
		// 0 is not "use the default": it would be taken as one, so it is refused like -1
		return cfg, ui.Options{}, fmt.Errorf("--max-attempts 0 is out of range: use 1 to 20 (leave it out for %d)", awsops.DefaultMaxAttempts)
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = fc.MaxAttempts
	}
	if cfg.MaxAttempts < 0 || cfg.MaxAttempts > 20 {
		return cfg, ui.Options{}, fmt.Errorf("--max-attempts %d is out of range: use 1 to 20", cfg.MaxAttempts)
	}
	if cfg.ReadOnly && cfg.DryRun {
		return cfg, ui.Options{}, errors.New("--read-only and --dry-run cannot be combined: read-only sends no change at all, dry-run sends each change with DryRun=true")
	}
	if o.demo && (changed("endpoint-url") || changed("profile") || changed("region")) {
		return cfg, ui.Options{}, errors.New("--demo runs its own simulated region (us-east-1): drop --endpoint-url, --profile and --region, or drop --demo to use them")
	}
	if !o.demo {
		for _, name := range []string{"seed", "services", "connections", "consumers", "regions"} {
			if changed(name) {
				return cfg, ui.Options{}, fmt.Errorf("--%s sizes the simulated world, so it needs --demo (or use it with 'plconsole sim')", name)
			}
		}
	}
	if err := o.world.validate(); err != nil {
		return cfg, ui.Options{}, err
	}
	refresh := pick("refresh", o.refresh, fc.Refresh)
	if refresh == "" {
		refresh = "15s"
	}
	interval, err := parseRefresh(refresh)
	if err != nil {
		return cfg, ui.Options{}, fmt.Errorf("--refresh: %w", err)
	}
	tiers, err := o.tiers.resolve(changed, fc)
	if err != nil {
		return cfg, ui.Options{}, err
	}
	theme := pick("theme", o.theme, fc.Theme)
	if theme == "auto" {
		theme = ""
	}
	opts := ui.Options{Theme: theme, KeyOverrides: fc.Keys, RefreshInterval: interval,
		InventoryEvery: tiers.InventoryEvery, SettingsEvery: tiers.SettingsEvery, TargetsEvery: tiers.TargetsEvery,
		CloudWatchBudget:       tiers.CloudWatchBudget,
		BulkConfirmConnections: fc.BulkConfirmConnections, BulkConfirmServices: fc.BulkConfirmServices, Bell: fc.Bell}
	if fc.PendingMaxAge != "" {
		opts.PendingMaxAge, _ = time.ParseDuration(fc.PendingMaxAge) // checked when the file was read
	}
	switch {
	case o.readOnly:
		opts.ReadOnlyFrom = "--read-only"
	case cfg.ReadOnly:
		opts.ReadOnlyFrom = "read_only = true in " + path
	}
	if err := ui.ValidateOptions(opts); err != nil {
		if changed("theme") {
			return cfg, opts, fmt.Errorf("--theme: %w", err)
		}
		return cfg, opts, fmt.Errorf("config file %s: %w", path, err)
	}
	return cfg, opts, nil
}

// consoleMemoryLimit is the console's soft memory limit (GOMEMLIMIT, unless the environment
// sets one). On the fleet world the console keeps about 110 MB after a collection, and an
// inventory read (50 pages) allocates over 150 MB that live only for the read; left alone,
// the runtime lets the heap double before collecting, and the resident size stays near the
// peak (400 MB measured before the reads were made lighter). A limit makes the collector run
// earlier and return memory to the system. It is soft: a larger fleet that needs more gets
// it, at some more collector work. It must leave room above the live heap: when the live
// heap was 140 MB, 160 MiB made the collector run every second. The resident size is the
// limit plus the binary's mapped text (~18 MB): 170 MiB keeps it under 200 MB (185 MB
// measured against 203 MB at 192 MiB), for about 0.75 CPU-seconds more per inventory read
// (docs/PERFORMANCE.md).
const consoleMemoryLimit = 170 << 20

// consoleFPS is how often the terminal program may draw a changed screen. Its renderer wakes
// at this rate even when nothing changed: at Bubble Tea's default of 60 the wake-ups alone
// cost an idle console 0.77 CPU-seconds a minute (1.3% of a core, on the machine
// docs/PERFORMANCE.md names), at 30 they cost 0.42, and a key's answer waits at most 33 ms.
const consoleFPS = 30

func runConsole(cmd *cobra.Command, o consoleOptions, ff filesFlags) (err error) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(consoleMemoryLimit)
	}
	stopProfile, err := startCPUProfile(os.Getenv("PLCONSOLE_CPUPROFILE"))
	if err != nil {
		return err
	}
	defer stopProfile()
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	var spec *model.ServiceSpec
	if o.setup && o.specFile != "" {
		// a bad spec file is refused before anything starts
		if spec, err = loadSpec(o.specFile); err != nil {
			return err
		}
	}
	sess, err := openSession(ctx, cmd, o, ff)
	if err != nil {
		return err
	}
	defer sess.Close()
	client, opts := sess.client, sess.opts
	opts.Context = ctx
	opts.Profiles = awsops.Profiles()
	opts.Setup, opts.Spec = o.setup, spec
	consumerOptions(&opts, sess.cfg, sess.demo, client)

	opts.InTmux = os.Getenv("TMUX") != ""
	if opts.Theme == "" && os.Getenv("NO_COLOR") == "" {
		// ask the terminal once, within a short budget; a terminal that does not answer gets
		// the dark palette at once instead of a stalled start-up
		dark, known := terminalBackground(os.Stdout)
		lipgloss.SetHasDarkBackground(dark || !known)
	}
	defer func() {
		// A panic outside the model (Bubble Tea restores the terminal for its own).
		if r := recover(); r != nil {
			err = writeCrashReport(fmt.Sprint(r), string(debug.Stack()))
		}
	}()
	p := tea.NewProgram(ui.New(client, opts), tea.WithAltScreen(), tea.WithContext(ctx), tea.WithFPS(consoleFPS))
	final, err := p.Run()
	if perr := writeHeapProfile(os.Getenv("PLCONSOLE_MEMPROFILE")); perr != nil {
		fmt.Fprintln(os.Stderr, "plconsole:", perr)
	}
	runtime.KeepAlive(final) // what the console held is in the heap profile
	if c := ui.CrashOf(final); c != nil {
		return writeCrashReport(c.String(), "")
	}
	if errors.Is(err, tea.ErrProgramPanic) {
		return writeCrashReport("panic inside the terminal program (its trace is printed above)", "")
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return consoleError(err)
	}
	return nil
}

// startCPUProfile writes a CPU profile of the whole console session to path (the
// PLCONSOLE_CPUPROFILE environment variable; docs/PERFORMANCE.md says how it is used). An
// empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("PLCONSOLE_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("PLCONSOLE_CPUPROFILE: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes what the console holds when it quits (after a collection) to path
// (the PLCONSOLE_MEMPROFILE environment variable); an empty path writes nothing.
func writeHeapProfile(path string) error {
	if path == "" {
		return nil
	}
	runtime.GC()
	f, err := os.Create(path)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("PLCONSOLE_MEMPROFILE: %w", err)
	}
	return nil
}

// consoleError explains why the terminal program could not run. Without a terminal (input
// redirected or closed, and no controlling terminal to open) it says what is needed.
func consoleError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == "/dev/tty" {
		return fmt.Errorf("the console needs a terminal to read keys from, and has none: standard input is "+
			"redirected or closed and %s cannot be opened (%v); run plconsole in a terminal", pe.Path, pe.Err)
	}
	return fmt.Errorf("console: %w", err)
}

// writeCrashReport leaves a readable report in the state directory after the terminal has
// been restored, and returns an error that points at it.
func writeCrashReport(what, stack string) error {
	dir := filepath.Join(xdg.StateHome, "plconsole")
	path := filepath.Join(dir, "crash-"+time.Now().UTC().Format("20060102T150405Z")+".txt")
	report := fmt.Sprintf("plconsole crashed at %s\n\n%s\n\n%s", time.Now().UTC().Format(time.RFC3339), what, stack)
	first, _, _ := strings.Cut(what, "\n")
	werr := os.MkdirAll(dir, 0o700)
	if werr == nil {
		werr = os.WriteFile(path, []byte(report), 0o600)
	}
	if werr != nil {
		return fmt.Errorf("crashed: %s (and the crash report could not be written: %v)", first, werr)
	}
	return fmt.Errorf("crashed: %s — the terminal was restored and the full report was written to %s", first, path)
}

// tierFlags are the refresh tiers' flags; each also has a config file key.
type tierFlags struct {
	inventory, settings, targets string
	budget                       int
}

// resolve takes each cadence from its flag when given, else from the file (checked when it
// was read), and says which flag is wrong and what is allowed.
func (t tierFlags) resolve(changed func(string) bool, fc fileConfig) (ui.Options, error) {
	var o ui.Options
	for _, c := range []struct {
		flag, fromFlag, fromFile string
		to                       *time.Duration
	}{
		{"inventory-every", t.inventory, fc.InventoryEvery, &o.InventoryEvery},
		{"settings-every", t.settings, fc.SettingsEvery, &o.SettingsEvery},
		{"targets-every", t.targets, fc.TargetsEvery, &o.TargetsEvery},
	} {
		v := c.fromFile
		if changed(c.flag) {
			v = c.fromFlag
		}
		if v == "" {
			continue
		}
		d, err := parseCadence(v)
		if err != nil {
			return o, fmt.Errorf("--%s %w", c.flag, err)
		}
		*c.to = d
	}
	o.CloudWatchBudget = fc.CloudWatchBudget
	if changed("cloudwatch-budget") {
		if err := checkBudget(t.budget); err != nil {
			return o, fmt.Errorf("--cloudwatch-budget %w", err)
		}
		o.CloudWatchBudget = t.budget
	}
	return o, nil
}
