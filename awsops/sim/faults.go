package sim

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// FaultConfig are the fault knobs. Ratios are in [0, 1]; they are drawn per request from a
// seeded generator, so a run with the same seed and request order sees the same faults.
type FaultConfig struct {
	ThrottleRatio    float64 `json:"throttleRatio"`    // RequestLimitExceeded (EC2) / Throttling
	LatencyMs        int     `json:"latencyMs"`        // added to every request
	ServerErrorRatio float64 `json:"serverErrorRatio"` // HTTP 500 with the service's internal error code
	DropRatio        float64 `json:"dropRatio"`        // the connection is closed without a reply
	// LostReplyRatio is the worst network fault for a write: a request that changes something
	// is carried out, then the connection closes before the reply, so the client cannot know
	// it worked and retries.
	LostReplyRatio float64 `json:"lostReplyRatio"`
	// Unimplemented names operations answered the way a partial emulator answers a call it
	// lacks: HTTP 500 with an HTML page, not an AWS error. It shows how the console copes with
	// an endpoint that implements only part of the API.
	Unimplemented []string `json:"unimplemented,omitempty"`
	// Only limits the faults to these operations (e.g. CreateVpcEndpointConnectionNotification),
	// so a test or a demo can fail one step of a flow; empty: every operation.
	Only []string `json:"only,omitempty"`
}

// Validate says what is wrong with a setting, and what is allowed.
func (c FaultConfig) Validate() error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"throttle ratio", c.ThrottleRatio}, {"server error ratio", c.ServerErrorRatio}, {"drop ratio", c.DropRatio},
		{"lost reply ratio", c.LostReplyRatio}} {
		if r.v < 0 || r.v > 1 || r.v != r.v {
			return fmt.Errorf("%s %v is out of range: use a fraction from 0 to 1 (0.3 = 30%% of requests)", r.name, r.v)
		}
	}
	if c.LatencyMs < 0 || c.LatencyMs > 60000 {
		return fmt.Errorf("latency %d ms is out of range: use 0 to 60000 ms", c.LatencyMs)
	}
	return nil
}

// Faults holds the current knobs; safe for concurrent use and changeable at run time.
type Faults struct {
	mu  sync.Mutex
	cfg FaultConfig
	rng *rand.Rand
}

// NewFaults starts with cfg (an invalid cfg is clamped into range).
func NewFaults(cfg FaultConfig, seed int64) *Faults {
	f := &Faults{rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed_fa17))}
	f.Set(cfg)
	return f
}

// Set replaces the knobs.
func (f *Faults) Set(cfg FaultConfig) {
	clamp := func(v float64) float64 {
		if v != v || v < 0 {
			return 0
		}
		if v > 1 {
			return 1
		}
		return v
	}
	cfg.ThrottleRatio = clamp(cfg.ThrottleRatio)
	cfg.ServerErrorRatio = clamp(cfg.ServerErrorRatio)
	cfg.DropRatio = clamp(cfg.DropRatio)
	cfg.LostReplyRatio = clamp(cfg.LostReplyRatio)
	cfg.LatencyMs = max(0, min(cfg.LatencyMs, 60000))
	cfg.Unimplemented = append([]string(nil), cfg.Unimplemented...)
	cfg.Only = append([]string(nil), cfg.Only...)
	f.mu.Lock()
	f.cfg = cfg
	f.mu.Unlock()
}

// Config returns the current knobs.
func (f *Faults) Config() FaultConfig {
	f.mu.Lock()
	defer f.mu.Unlock()
	cfg := f.cfg
	cfg.Only = append([]string(nil), cfg.Only...)
	return cfg
}

// applies says whether the faults strike an operation (Only, when set, names them).
func (c FaultConfig) applies(op string) bool {
	if len(c.Only) == 0 {
		return true
	}
	for _, o := range c.Only {
		if o == op {
			return true
		}
	}
	return false
}

// roll draws whether a fault of one kind strikes a request for op. No number is drawn for
// a ratio of 0 or an operation the faults do not apply to, so the faults other requests
// see stay the same.
func (f *Faults) roll(op string, ratio func(FaultConfig) float64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := ratio(f.cfg)
	if r <= 0 || !f.cfg.applies(op) {
		return false
	}
	return f.rng.Float64() < r
}

func (f *Faults) throttle(op string) bool {
	return f.roll(op, func(c FaultConfig) float64 { return c.ThrottleRatio })
}

func (f *Faults) serverError(op string) bool {
	return f.roll(op, func(c FaultConfig) float64 { return c.ServerErrorRatio })
}

func (f *Faults) drop(op string) bool {
	return f.roll(op, func(c FaultConfig) float64 { return c.DropRatio })
}

func (f *Faults) lostReply(op string) bool {
	return f.roll(op, func(c FaultConfig) float64 { return c.LostReplyRatio })
}

// unimplemented says whether an operation is to be answered as one the endpoint lacks.
func (f *Faults) unimplemented(action string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.cfg.Unimplemented {
		if a == action {
			return true
		}
	}
	return false
}

func (f *Faults) latency(op string) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.cfg.applies(op) {
		return 0
	}
	return time.Duration(f.cfg.LatencyMs) * time.Millisecond
}
