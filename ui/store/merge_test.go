package store

import (
	"fmt"
	"testing"

	"github.com/plconsole/plconsole/model"
)

func conn(svc, ep string, st model.ConnectionState) model.Connection {
	return model.Connection{ServiceID: svc, EndpointID: ep, State: st}
}

// A pending read merges into the inventory: it adds new requests, changes the ones it
// lists, keeps every connection that is not pending, and reports the pending ones it no
// longer lists (without dropping them: it cannot tell accepted from deleted). A service read
// then replaces that service's connections.
func TestMergeKeepsNonPendingConnections(t *testing.T) {
	var x connIndex
	x.ingest([]model.Connection{
		conn("s1", "vpce-a", model.StateAvailable),
		conn("s1", "vpce-b", model.StatePendingAcceptance),
		conn("s2", "vpce-c", model.StateAvailable),
		conn("s2", "vpce-d", model.StatePendingAcceptance),
	})
	published := x.entries
	kept := x.byKey[conn("s1", "vpce-a", "").Key()]
	gen := x.gen
	isPending := func(c model.Connection) bool { return c.State == model.StatePendingAcceptance }
	missing, st := x.merge([]model.Connection{
		conn("s2", "vpce-d", model.StatePendingAcceptance),
		conn("s3", "vpce-e", model.StatePendingAcceptance),
	}, isPending, false)
	if len(missing) != 1 || missing[0].EndpointID != "vpce-b" {
		t.Fatalf("missing = %+v, want vpce-b", missing)
	}
	if st != (DiffStats{Added: 1}) || len(x.entries) != 5 || x.gen == gen {
		t.Fatalf("stats %+v, %d entries, gen %d→%d", st, len(x.entries), gen, x.gen)
	}
	if x.byKey[conn("s1", "vpce-a", "").Key()] != kept {
		t.Fatal("an unchanged connection must keep its entry (and version)")
	}
	if len(published) != 4 || published[3].C.EndpointID != "vpce-d" {
		t.Fatal("the slice readers hold was modified")
	}
	if e := x.byKey[conn("s3", "vpce-e", "").Key()]; e == nil || !e.New {
		t.Fatal("a new request is flagged New")
	}

	// s1's connections read again: vpce-b was accepted
	_, st = x.merge([]model.Connection{conn("s1", "vpce-a", model.StateAvailable), conn("s1", "vpce-b", model.StatePending)},
		func(c model.Connection) bool { return c.ServiceID == "s1" }, true)
	if st.Changed != 1 || st.Removed != 0 || len(x.entries) != 5 {
		t.Fatalf("stats %+v, %d entries", st, len(x.entries))
	}
	if e := x.byKey[conn("s1", "vpce-b", "").Key()]; e.C.State != model.StatePending {
		t.Fatalf("vpce-b is %s", e.C.State)
	}
	if e := x.byKey[conn("s3", "vpce-e", "").Key()]; !e.New || x.news != 1 {
		t.Fatal("a new request stays new across reads until it is seen")
	}
	// s2's read without vpce-c: its endpoint was deleted
	_, st = x.merge([]model.Connection{conn("s2", "vpce-d", model.StatePendingAcceptance)},
		func(c model.Connection) bool { return c.ServiceID == "s2" }, true)
	if st.Removed != 1 || len(x.entries) != 4 || x.byKey[conn("s2", "vpce-c", "").Key()] != nil {
		t.Fatalf("stats %+v, %d entries", st, len(x.entries))
	}
}

// The change log names every connection an ingest, a merge or a seen mark changed, for a
// reader at any generation it still reaches; a first read, or a reader further behind than
// the log holds, is told to rebuild. An ingest in a new order, with a connection listed twice,
// finds the same entries as one in the old order.
func TestChangeLogNamesWhatChanged(t *testing.T) {
	var x connIndex
	x.ingest([]model.Connection{
		conn("s1", "vpce-a", model.StateAvailable),
		conn("s1", "vpce-b", model.StatePendingAcceptance),
		conn("s2", "vpce-c", model.StateAvailable),
	})
	g0 := x.gen
	if keys, ok := x.log.since(g0 - 1); ok {
		t.Fatalf("a reader from before the first read is answered: %v", keys)
	}
	if keys, ok := x.log.since(g0); !ok || len(keys) != 0 {
		t.Fatalf("since the first read: %v %v", keys, ok)
	}
	before := map[string]*ConnEntry{}
	for k, e := range x.byKey {
		before[k] = e
	}
	// reordered, vpce-c listed twice, vpce-b accepted, vpce-a gone, vpce-d new
	st := x.ingest([]model.Connection{
		conn("s2", "vpce-c", model.StateAvailable),
		conn("s1", "vpce-b", model.StatePending),
		conn("s2", "vpce-c", model.StateAvailable),
		conn("s3", "vpce-d", model.StatePendingAcceptance),
	})
	if st != (DiffStats{Added: 1, Changed: 1, Removed: 1}) || len(x.entries) != 3 || len(x.byKey) != 3 {
		t.Fatalf("stats %+v, %d entries, %d keys", st, len(x.entries), len(x.byKey))
	}
	if c := conn("s2", "vpce-c", "").Key(); x.byKey[c] != before[c] {
		t.Fatal("an unchanged connection read in another place keeps its entry")
	}
	g1 := x.gen
	keys, ok := x.log.since(g0)
	want := map[string]bool{"s1/vpce-a": true, "s1/vpce-b": true, "s3/vpce-d": true}
	if !ok || len(keys) != len(want) {
		t.Fatalf("since g0: %v %v", keys, ok)
	}
	for _, k := range keys {
		if !want[k] {
			t.Fatalf("since g0: %v", keys)
		}
	}
	x.markSeen([]string{"s3/vpce-d"})
	if keys, ok := x.log.since(g1); !ok || len(keys) != 1 || keys[0] != "s3/vpce-d" {
		t.Fatalf("after a seen mark: %v %v", keys, ok)
	}
	g2 := x.gen
	x.merge([]model.Connection{conn("s4", "vpce-e", model.StatePendingAcceptance)},
		func(c model.Connection) bool { return c.State == model.StatePendingAcceptance }, false)
	if keys, ok := x.log.since(g2); !ok || len(keys) != 1 || keys[0] != "s4/vpce-e" {
		t.Fatalf("after a merge: %v %v", keys, ok)
	}
	if keys, ok := x.log.since(g0); !ok || len(keys) != 5 {
		t.Fatalf("since g0, three records: %v %v", keys, ok)
	}

	// a read that changes more than the log holds leaves older readers to rebuild
	many := make([]model.Connection, changeLogKeys+1)
	for i := range many {
		many[i] = conn("s9", fmt.Sprintf("vpce-%06d", i), model.StateAvailable)
	}
	x.ingest(many)
	if _, ok := x.log.since(g2); ok {
		t.Fatal("a reader behind a read larger than the log is answered")
	}
	if keys, ok := x.log.since(x.gen); !ok || len(keys) != 0 {
		t.Fatalf("a reader at the newest generation: %v %v", keys, ok)
	}
}

// A connection that changed and is listed twice by one read, the second time where the
// previous read had it, is one entry changed once.
func TestIngestChangedConnectionListedTwice(t *testing.T) {
	var x connIndex
	x.ingest([]model.Connection{
		conn("s1", "vpce-a", model.StateAvailable),
		conn("s1", "vpce-b", model.StatePendingAcceptance),
		conn("s1", "vpce-c", model.StateAvailable),
	})
	st := x.ingest([]model.Connection{
		conn("s1", "vpce-b", model.StatePending),
		conn("s1", "vpce-a", model.StateAvailable),
		conn("s1", "vpce-b", model.StatePending),
		conn("s1", "vpce-c", model.StateAvailable),
	})
	if st != (DiffStats{Changed: 1}) || len(x.entries) != 3 || len(x.byKey) != 3 {
		t.Fatalf("stats %+v, %d entries, %d keys", st, len(x.entries), len(x.byKey))
	}
	if e := x.byKey[conn("s1", "vpce-b", "").Key()]; e.C.State != model.StatePending {
		t.Fatalf("vpce-b is %s", e.C.State)
	}
}
