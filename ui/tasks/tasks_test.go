package tasks

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

type answer struct{ n int }

func TestJoinRunsOnceAndCancelOlderReplaces(t *testing.T) {
	r := NewRunner(context.Background(), time.Minute)
	calls := 0
	fn := func(context.Context) tea.Msg { calls++; return answer{calls} }
	first := r.Start("refresh", "store", Join, fn)
	if first == nil || !r.Running("refresh") {
		t.Fatal("a task starts")
	}
	if again := r.Start("refresh", "store", Join, fn); again != nil {
		t.Fatal("joining a running task starts nothing")
	}
	done := first().(DoneMsg)
	if done.Key != "refresh" || done.Owner != "store" || done.Msg != (answer{1}) {
		t.Fatalf("result %+v", done)
	}
	if !r.Finish(done) || r.Running("refresh") {
		t.Fatal("the current run's result is taken and the key is free again")
	}
	if r.Finish(done) {
		t.Fatal("a result is taken once")
	}

	var cancelled error
	older := r.Start("session", "root", CancelOlder, func(ctx context.Context) tea.Msg {
		<-ctx.Done()
		cancelled = ctx.Err()
		return answer{-1}
	})
	newer := r.Start("session", "root", CancelOlder, fn)
	oldMsg := older().(DoneMsg)
	if !errors.Is(cancelled, context.Canceled) {
		t.Fatalf("the older task's context: %v", cancelled)
	}
	if r.Finish(oldMsg) {
		t.Fatal("the replaced task's result is dropped")
	}
	if !r.Finish(newer().(DoneMsg)) {
		t.Fatal("the newer result is taken")
	}
}

func TestCancelOwnerPrefixAndTimeout(t *testing.T) {
	r := NewRunner(context.Background(), 20*time.Millisecond)
	wait := func(ctx context.Context) tea.Msg { <-ctx.Done(); return ctx.Err() }
	a := r.Start("principals/1", "store#1", Join, wait)
	r.Start("principals/2", "store#1", Join, wait)
	r.Start("write/accept/1", "root", Join, wait)
	if r.RunningPrefix("principals/") != 2 || r.Len() != 3 {
		t.Fatalf("running: %d principals, %d in all", r.RunningPrefix("principals/"), r.Len())
	}
	r.CancelOwner("store#1")
	if r.RunningPrefix("principals/") != 0 || !r.Running("write/accept/1") {
		t.Fatal("cancelling an owner cancels its tasks only")
	}
	if msg := a().(DoneMsg); !errors.Is(msg.Msg.(error), context.Canceled) || r.Finish(msg) {
		t.Fatalf("a cancelled task ends with its context and its result is dropped: %+v", msg)
	}
	// every task ends by its timeout at the latest
	w := r.Start("slow", "root", Join, wait)
	if msg := w().(DoneMsg); !errors.Is(msg.Msg.(error), context.DeadlineExceeded) {
		t.Fatalf("timeout: %+v", msg)
	}
	r.CancelAll()
	if r.Len() != 0 {
		t.Fatal("CancelAll leaves nothing running")
	}
}
