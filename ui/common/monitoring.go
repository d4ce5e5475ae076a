package common

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/model"
)

// Bindings of the metrics views.
const (
	KeyWindow     = "window"
	KeyWindowBack = "windowBack"
	KeyBreakdown  = "breakdown"
	KeyLive       = "live"
)

// OpenConsumerMsg asks the root to open a consumer's page (a connection, by its Key).
type OpenConsumerMsg struct{ Key string }

// OpenConsumer is a command that opens a consumer's page.
func OpenConsumer(key string) tea.Cmd { return Send(OpenConsumerMsg{Key: key}) }

// LiveTickMsg is a metrics view's live-mode poll; Gen says which live run it belongs to.
type LiveTickMsg struct {
	Owner string
	Gen   int
}

// LiveEvery is how often live mode polls CloudWatch: its data comes a minute at a time.
const LiveEvery = time.Minute

// LiveTick schedules the next live poll.
func LiveTick(owner string, gen int) tea.Cmd {
	return tea.Tick(LiveEvery, func(time.Time) tea.Msg { return LiveTickMsg{Owner: owner, Gen: gen} })
}

// CostText says what asking n metrics once a minute costs: "22 metrics/min ≈ $0.32/day".
func CostText(n int) string {
	return Itoa(n) + " metrics/min ≈ $" + model.FormatMoney(model.MetricsCostPerDay(float64(n))) + "/day"
}

// CycleWindow moves a metrics window index on the window keys (w longer, W shorter, both
// wrapping); it reports whether msg was one of them.
func CycleWindow(k *KeyMap, msg tea.KeyMsg, w *int) bool {
	n := len(model.MetricWindows)
	switch {
	case k.Is(msg, KeyWindow):
		*w = (*w + 1) % n
	case k.Is(msg, KeyWindowBack):
		*w = (*w + n - 1) % n
	default:
		return false
	}
	return true
}
