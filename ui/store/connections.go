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
	// stamp is the ingest that last listed this entry, pos its place in that listing (the
	// store's own bookkeeping: readers neither read nor need them)
	stamp uint64
	pos   int
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
	stamp   uint64 // ingests made, for ConnEntry.stamp
	log     changeLog
}

// DiffStats summarises an ingest.
type DiffStats struct{ Added, Changed, Removed int }

func (x *connIndex) ingest(conns []model.Connection) DiffStats {
	var st DiffStats
	first := !x.loaded
	x.news = 0
	x.loaded = true
	x.touched = map[string]bool{}
	x.stamp++
	if x.byKey == nil {
		x.byKey = make(map[string]*ConnEntry, len(conns))
	}
	// The map is updated in place (50,000 keys are not made and hashed into a new map each
	// read): an entry listed by this read is stamped, and what is left unstamped was removed.
	// AWS lists connections in the same order read after read, so each is first looked for
	// where the previous read had it, after the last one found; the map is the fallback.
	entries := make([]*ConnEntry, 0, len(conns))
	var changed []string
	var buf []byte
	prev, next := x.entries, 0
	for i := range conns {
		c := &conns[i]
		var old *ConnEntry
		if next < len(prev) && prev[next].C.EndpointID == c.EndpointID && prev[next].C.ServiceID == c.ServiceID {
			old = prev[next]
		} else {
			buf = c.AppendKey(buf[:0])
			old = x.byKey[string(buf)] // looked up without making the key string
		}
		if old != nil && old.stamp != x.stamp && old.pos < len(prev) && prev[old.pos] == old {
			next = old.pos + 1
		}
		var e *ConnEntry
		switch {
		case old != nil && old.stamp == x.stamp:
			continue // listed twice
		case old == nil:
			k := string(buf) // not found where it was, so buf holds the key the map was asked
			x.seq++
			e = &ConnEntry{C: *c, Key: k, Version: x.seq, New: !first && !x.seenAhead[k]}
			delete(x.seenAhead, k)
			st.Added++
			x.touched[c.ServiceID] = true
			x.byKey[k] = e
			changed = append(changed, k)
		case model.ConnectionEqual(old.C, *c):
			e = old
		default:
			st.Changed++
			x.touched[old.C.ServiceID], x.touched[c.ServiceID] = true, true
			x.seq++
			e = &ConnEntry{C: *c, Key: old.Key, Version: x.seq, New: old.New}
			x.byKey[old.Key] = e
			changed = append(changed, old.Key)
			old.stamp = x.stamp // replaced: found again where it was, it is a second listing
		}
		e.stamp, e.pos = x.stamp, len(entries)
		if e.New {
			x.news++
		}
		entries = append(entries, e)
	}
	if len(x.byKey) > len(entries) {
		for k, e := range x.byKey {
			if e.stamp != x.stamp {
				delete(x.byKey, k)
				st.Removed++
				x.touched[e.C.ServiceID] = true
				changed = append(changed, k)
			}
		}
	}
	x.entries = entries
	if st != (DiffStats{}) || first {
		x.gen++
		if first {
			x.log.reset(x.gen)
		} else {
			x.log.add(x.gen, changed)
		}
	}
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
	keysSeen := make([]string, 0, len(seen))
	for old := range seen {
		keysSeen = append(keysSeen, old.Key)
	}
	x.log.add(x.gen, keysSeen)
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
	var keys []string // what changed, for the change log
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
			keys = append(keys, k)
			changed = true
		case inScope(e.C):
			missing = append(missing, e.C)
			if dropMissing {
				publish(i)
				delete(x.byKey, k)
				x.touched[e.C.ServiceID] = true
				st.Removed++
				keys = append(keys, k)
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
		keys = append(keys, k)
		changed = true
	}
	if entries != nil {
		x.entries = entries
	}
	if changed {
		x.gen++
		x.log.add(x.gen, keys)
	}
	return missing, st
}

// changeLog remembers which connections each recent generation of the index added, changed,
// removed or marked seen, so that a reader holding something built from an older generation
// (the inbox's rows) updates only those instead of walking all 50,000. It is bounded: a
// reader further behind than the log reaches, or behind a first read, rebuilds everything.
type changeLog struct {
	from    uint64 // the oldest generation a reader can be at and still be answered
	records []changeRecord
	keys    int // keys held in records
}

type changeRecord struct {
	gen  uint64
	keys []string
}

// changeLogKeys bounds the keys the log holds: a read that changes more than this many
// connections makes every reader rebuild, which costs no more than reading their keys would.
const changeLogKeys = 20000

// reset starts the log again at gen: readers of older generations rebuild.
func (l *changeLog) reset(gen uint64) {
	l.from, l.records, l.keys = gen, nil, 0
}

// add records the keys generation gen changed, dropping the oldest records over the bound.
func (l *changeLog) add(gen uint64, keys []string) {
	if len(keys) > changeLogKeys {
		l.reset(gen)
		return
	}
	l.records = append(l.records, changeRecord{gen: gen, keys: keys})
	l.keys += len(keys)
	for l.keys > changeLogKeys {
		l.from = l.records[0].gen
		l.keys -= len(l.records[0].keys)
		l.records = l.records[1:]
	}
}

// since returns the keys changed after generation gen (a key may repeat), or ok false when
// the log does not reach back that far.
func (l *changeLog) since(gen uint64) (keys []string, ok bool) {
	if gen < l.from {
		return nil, false
	}
	for _, r := range l.records {
		if r.gen > gen {
			keys = append(keys, r.keys...)
		}
	}
	return keys, true
}
