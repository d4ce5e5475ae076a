package store

import (
	"github.com/plconsole/plconsole/model"
)

// ConnEntry is one connection as the store holds it. Entries are shared with readers and
// never modified after they are published: a changed connection gets a new entry.
type ConnEntry struct {
	C   model.Connection
	Key string // C.Key(), made once
	// Version is unique per entry: a reader that cached something built from an entry (a
	// table row) rebuilds it only when the version differs.
	Version uint64
	// New marks a connection that arrived after the first read and that nobody has looked at
	// yet (MarkSeen): it stays new across reads until seen.
	New bool
}

// connIndex holds every connection of the session. A read is ingested as a diff: unchanged
// connections keep their entry, changed ones get a new version, and ones not in the previous
// read are flagged New until they are seen.
type connIndex struct {
	entries []*ConnEntry
	byKey   map[string]*ConnEntry
	loaded  bool
	seq     uint64 // entry versions handed out
	gen     uint64 // bumped by every ingest that changed anything
	news    int    // entries flagged New
	// seenAhead are connections seen before a read brought them (the wizard watches its own
	// test request): they arrive already seen.
	seenAhead map[string]bool
	// touched is, after an ingest or a merge, the services whose connections it added,
	// changed or removed: what is derived for the others still holds
	touched map[string]bool
}

// DiffStats summarises an ingest.
type DiffStats struct{ Added, Changed, Removed int }

func (x *connIndex) ingest(conns []model.Connection) DiffStats {
	var st DiffStats
	first := !x.loaded
	x.news = 0
	x.loaded = true
	x.touched = map[string]bool{}
	next := make(map[string]*ConnEntry, len(conns))
	entries := make([]*ConnEntry, 0, len(conns))
	for _, c := range conns {
		k := c.Key()
		if _, dup := next[k]; dup {
			continue
		}
		old := x.byKey[k]
		var e *ConnEntry
		switch {
		case old == nil:
			x.seq++
			e = &ConnEntry{C: c, Key: k, Version: x.seq, New: !first && !x.seenAhead[k]}
			delete(x.seenAhead, k)
			st.Added++
			x.touched[c.ServiceID] = true
		case model.ConnectionEqual(old.C, c):
			e = old
		default:
			st.Changed++
			x.touched[old.C.ServiceID], x.touched[c.ServiceID] = true, true
			x.seq++
			e = &ConnEntry{C: c, Key: k, Version: x.seq, New: old.New}
		}
		if e.New {
			x.news++
		}
		next[k] = e
		entries = append(entries, e)
	}
	for k, e := range x.byKey {
		if _, ok := next[k]; !ok {
			st.Removed++
			x.touched[e.C.ServiceID] = true
		}
	}
	if st != (DiffStats{}) || first {
		x.gen++
	}
	x.byKey = next
	x.entries = entries
	return st
}

// markSeen ends the "new" highlight of the given connections; it says whether any was new.
// Published entries are never modified: a seen connection gets a new entry, in a new slice.
func (x *connIndex) markSeen(keys []string) bool {
	seen := map[*ConnEntry]*ConnEntry{}
	for _, k := range keys {
		e := x.byKey[k]
		if e == nil && len(x.seenAhead) < 1000 {
			if x.seenAhead == nil {
				x.seenAhead = map[string]bool{}
			}
			x.seenAhead[k] = true
		}
		if e == nil || !e.New || seen[e] != nil {
			continue
		}
		x.seq++
		seen[e] = &ConnEntry{C: e.C, Key: e.Key, Version: x.seq}
		x.byKey[k] = seen[e]
		x.news--
	}
	if len(seen) == 0 {
		return false
	}
	entries := make([]*ConnEntry, len(x.entries))
	for i, e := range x.entries {
		if r := seen[e]; r != nil {
			e = r
		}
		entries[i] = e
	}
	x.entries = entries
	x.gen++
	return true
}

// ConnView is a read-only view of the connections: readers must not modify the entries or
// the slice. Gen changes whenever the content does.
type ConnView struct {
	Entries []*ConnEntry
	Gen     uint64
	Loaded  bool
}

// merge takes in a partial read: read is the whole truth about the connections inScope
// says it covers (the pending ones, or those of some services), and says nothing about the
// others, which keep their entries. A connection in scope that the read does not list is
// removed when dropMissing, and returned as missing either way: a pending read cannot tell
// an accepted connection from a deleted one, so its caller reads those again. New
// connections are flagged New until seen, as ingest does. The published
// slice is never modified: a merge that changes anything publishes a new one.
func (x *connIndex) merge(read []model.Connection, inScope func(model.Connection) bool, dropMissing bool) (missing []model.Connection, st DiffStats) {
	fresh := make(map[string]model.Connection, len(read))
	for _, c := range read {
		fresh[c.Key()] = c
	}
	x.news = 0
	x.touched = map[string]bool{}
	var entries []*ConnEntry
	changed := false
	// copy-on-write: entries is made only once something differs from the published slice
	publish := func(i int) {
		if entries == nil {
			entries = make([]*ConnEntry, i, len(x.entries)+len(read))
			copy(entries, x.entries[:i])
		}
	}
	seen := make(map[string]bool, len(read))
	for i, e := range x.entries {
		k := e.Key
		c, inRead := fresh[k]
		switch {
		case inRead:
			seen[k] = true
			if e.New {
				x.news++
			}
			if model.ConnectionEqual(e.C, c) {
				if entries != nil {
					entries = append(entries, e)
				}
				continue
			}
			st.Changed++
			x.touched[e.C.ServiceID], x.touched[c.ServiceID] = true, true
			publish(i)
			x.seq++
			ne := &ConnEntry{C: c, Key: k, Version: x.seq, New: e.New}
			x.byKey[k] = ne
			entries = append(entries, ne)
			changed = true
		case inScope(e.C):
			missing = append(missing, e.C)
			if dropMissing {
				publish(i)
				delete(x.byKey, k)
				x.touched[e.C.ServiceID] = true
				st.Removed++
				changed = true
				continue
			}
			fallthrough
		default:
			if e.New {
				x.news++
			}
			if entries != nil {
				entries = append(entries, e)
			}
		}
	}
	for _, c := range read {
		k := c.Key()
		if seen[k] {
			continue
		}
		seen[k] = true
		publish(len(x.entries))
		x.seq++
		e := &ConnEntry{C: c, Key: k, Version: x.seq, New: x.loaded && !x.seenAhead[k]}
		delete(x.seenAhead, k)
		if e.New {
			x.news++
		}
		if x.byKey == nil {
			x.byKey = map[string]*ConnEntry{}
		}
		x.byKey[k] = e
		entries = append(entries, e)
		x.touched[c.ServiceID] = true
		st.Added++
		changed = true
	}
	if entries != nil {
		x.entries = entries
	}
	if changed {
		x.gen++
	}
	return missing, st
}
