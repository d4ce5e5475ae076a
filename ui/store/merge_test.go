package store

import (
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
