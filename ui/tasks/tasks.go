// Package tasks runs the console's background requests as keyed tasks. Every request has a
// key ("refresh", "detail/<service id>", "session/region", …) and an owner (the component
// that asked). Starting a task whose key is running either joins the running one or cancels
// it, as the caller says; a result comes back as a DoneMsg that the root routes to its
// owner, and a result that is no longer the current run of its key is dropped.
//
// A Runner is used from Bubble Tea's Update only (one goroutine); the work itself runs in
// the tea.Cmd it returns, under a context the runner can cancel.
package tasks

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Policy says what starting a task does when one with the same key is running.
type Policy int

const (
	// Join leaves the running task alone and starts nothing: its result serves both callers.
	// For reads whose answer does not depend on when they were asked (a refresh, a detail).
	Join Policy = iota
	// CancelOlder cancels the running task's context and starts the new one; the older
	// result, if it still arrives, is dropped. For requests the newer one replaces (a switch
	// to another region, a re-read with other parameters).
	CancelOlder
)

// DoneMsg is a finished task: Msg is what its function returned.
type DoneMsg struct {
	Key   string
	ID    uint64
	Owner string
	Msg   tea.Msg
}

type task struct {
	id      uint64
	owner   string
	cancel  context.CancelFunc
	started time.Time
}

// Runner starts, tracks and cancels keyed tasks.
type Runner struct {
	parent  context.Context
	timeout time.Duration
	now     func() time.Time
	seq     uint64
	running map[string]*task
}

// NewRunner makes a runner whose tasks run under parent (cancelled on quit) and each end
// after timeout.
func NewRunner(parent context.Context, timeout time.Duration) *Runner {
	if parent == nil {
		parent = context.Background()
	}
	return &Runner{parent: parent, timeout: timeout, now: time.Now, running: map[string]*task{}}
}

// Start runs fn as the task key for owner. With Join, it returns nil when key is running.
func (r *Runner) Start(key, owner string, p Policy, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	if old, ok := r.running[key]; ok {
		if p == Join {
			return nil
		}
		old.cancel()
	}
	r.seq++
	id := r.seq
	ctx, cancel := context.WithTimeout(r.parent, r.timeout)
	r.running[key] = &task{id: id, owner: owner, cancel: cancel, started: r.now()}
	return func() tea.Msg {
		defer cancel()
		return DoneMsg{Key: key, ID: id, Owner: owner, Msg: fn(ctx)}
	}
}

// Finish takes a result in: it reports whether the result is the current run of its key
// (the caller then uses it) and forgets the task. A stale result changes nothing.
func (r *Runner) Finish(m DoneMsg) bool {
	t, ok := r.running[m.Key]
	if !ok || t.id != m.ID {
		return false
	}
	delete(r.running, m.Key)
	return true
}

// Running reports whether key has a task in flight.
func (r *Runner) Running(key string) bool { _, ok := r.running[key]; return ok }

// RunningPrefix counts the tasks in flight whose key starts with prefix.
func (r *Runner) RunningPrefix(prefix string) int {
	n := 0
	for k := range r.running {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// Cancel cancels key's task; its result will be dropped.
func (r *Runner) Cancel(key string) {
	if t, ok := r.running[key]; ok {
		t.cancel()
		delete(r.running, key)
	}
}

// CancelOwner cancels every task of one owner (a store being replaced, a page closing).
func (r *Runner) CancelOwner(owner string) {
	for k, t := range r.running {
		if t.owner == owner {
			t.cancel()
			delete(r.running, k)
		}
	}
}

// CancelAll cancels every task (quitting).
func (r *Runner) CancelAll() {
	for k, t := range r.running {
		t.cancel()
		delete(r.running, k)
	}
}

// Len is the number of tasks in flight.
func (r *Runner) Len() int { return len(r.running) }
