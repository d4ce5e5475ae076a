package ui

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/store"
)

// Options configures the console. The cmd layer fills it from flags and the config file;
// the zero value is usable.
type Options struct {
	// Theme is "dark", "light", "terminal" (the terminal's own 16 colours) or "" (adapt to
	// the terminal's background).
	Theme string
	// NoColor renders without colour. New also honours the NO_COLOR environment variable.
	NoColor bool
	// KeyOverrides rebinds actions: action name (see KeyActionNames) → keys, e.g.
	// {"accept": ["A"], "reject": ["X", "ctrl+x"]}.
	KeyOverrides map[string][]string
	// RefreshInterval is the auto-refresh period; zero turns auto-refresh off.
	RefreshInterval time.Duration
	// StaleAfter marks data stale when older than this; zero means 3× RefreshInterval
	// (or two minutes without auto-refresh). A part read on a slower cadence (the
	// inventory, target health, the fleet's metrics) is stale once older than its cadence
	// plus StaleAfter.
	StaleAfter time.Duration
	// The refresh tiers (ui/store/tiers.go): the pending requests are read every
	// RefreshInterval; InventoryEvery is how often every service, connection and load
	// balancer is read (zero: 5 minutes), SettingsEvery how long principals are kept (zero:
	// an hour), TargetsEvery how long the round-robin of the fleet's target health takes
	// (zero: 30 minutes), CloudWatchBudget the CloudWatch metrics a day the fleet's health
	// read may request (zero: 100,000; negative: no limit).
	InventoryEvery, SettingsEvery, TargetsEvery time.Duration
	CloudWatchBudget                            int
	// Mode overrides the backend's mode badge when set (e.g. DEMO for --demo).
	Mode model.Mode
	// PendingMaxAge is how long a connection request may wait before the service's health
	// says so (default 24 h).
	PendingMaxAge time.Duration
	// BulkConfirmConnections and BulkConfirmServices are how many connections, or services,
	// one accept or reject may reach before its count must be typed to confirm. Zero: 50
	// connections, 5 services; negative: no limit.
	BulkConfirmConnections, BulkConfirmServices int
	// ReadOnlyFrom says where read-only mode came from ("--read-only", "read_only in
	// /path/config.toml"), for the sentence that refuses a write.
	ReadOnlyFrom string
	// Profiles and Regions feed the command palette's completion for :profile and :region.
	Profiles []string
	Regions  []string
	// Now is the clock the views read (ages, data age). Nil: time.Now. Tests inject a
	// fixed clock so screens are deterministic.
	Now func() time.Time
	// Context bounds every backend call; cancelled on quit by the cmd layer if it wishes.
	Context context.Context
	// CallTimeout bounds one backend call. Zero: 60 s.
	CallTimeout time.Duration
	// Clipboard receives OSC 52 sequences for "copy", and the bell; nil: os.Stdout. InTmux
	// wraps them for tmux passthrough.
	Clipboard io.Writer
	InTmux    bool
	// Bell rings the terminal's bell when a connection arrives while the console is open.
	Bell bool
	// FlashDuration is how long a flash message stays. Zero: 4 s.
	FlashDuration time.Duration
	// Renderer renders the styles; nil: lipgloss's default renderer (stdout's profile).
	Renderer *lipgloss.Renderer
	// Customers names the consumer accounts (the accounts file); SaveCustomer writes one
	// entry back after :name (nil: names cannot be edited from the console).
	Customers    *model.Customers
	SaveCustomer func(model.Customer) error
	// Policy is the approval policy the inbox suggests decisions from (nil: none);
	// ReloadPolicy reads its file again for :policy reload.
	Policy       *model.Policy
	ReloadPolicy func() (*model.Policy, error)
	// DisableTicks keeps the periodic commands (clock, auto-refresh) from being scheduled;
	// tests use it so a screen only changes when the test sends a message.
	DisableTicks bool
	// StartPage is the home screen: StartServices, StartOverview, or StartAuto ("": the
	// fleet overview once the services are read and there is more than one, else the list).
	StartPage string

	// Setup opens the setup wizard at start (plconsole setup), with Spec's answers when set
	// (plconsole setup --from FILE).
	Setup bool
	Spec  *model.ServiceSpec
	// ConsumerProfiles are offered to the wizard's test consumer; OpenConsumer opens one
	// (nil: no test consumer).
	ConsumerProfiles []string
	OpenConsumer     store.ConsumerOpener
	// PollInterval is how often the wizard and the safe delete read again what they wait
	// for (a new service, DNS verification, a test endpoint, a deleted service). Zero: 3 s.
	PollInterval time.Duration
	// SaveDir is where the wizard saves files given a relative path ("": the working directory).
	SaveDir string
	// NewClientToken makes the wizard's client tokens; nil: random ones. Tests fix it so a
	// review's screen is the same on every run.
	NewClientToken func() string
}

// Start pages.
const (
	StartAuto     = ""
	StartServices = "services"
	StartOverview = "overview"
)

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.BulkConfirmConnections == 0 {
		o.BulkConfirmConnections = 50
	}
	if o.BulkConfirmServices == 0 {
		o.BulkConfirmServices = 5
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 60 * time.Second
	}
	if o.FlashDuration <= 0 {
		o.FlashDuration = 4 * time.Second
	}
	if o.StaleAfter <= 0 {
		if o.RefreshInterval > 0 {
			o.StaleAfter = 3 * o.RefreshInterval
		} else {
			o.StaleAfter = 2 * time.Minute
		}
	}
	if v, ok := os.LookupEnv("NO_COLOR"); ok && v != "" {
		o.NoColor = true
	}
	if o.Clipboard == nil {
		o.Clipboard = os.Stdout
	}
	if o.Renderer == nil {
		o.Renderer = lipgloss.DefaultRenderer()
	}
	if len(o.Regions) == 0 {
		o.Regions = knownRegions()
	}
	return o
}

// knownRegions is the completion list for :region when the cmd layer supplies none.
func knownRegions() []string { return model.KnownRegions }
