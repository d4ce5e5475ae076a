package ui

import (
	"slices"

	"github.com/plconsole/plconsole/model"
)

// connEntry is one connection with its prebuilt table row.
type connEntry struct {
	c     model.Connection
	row   *Row
	label string // the service's label at build time
}

// connStore holds every connection of the fleet. A refresh is ingested as a diff: rows of
// unchanged connections are kept (so their cached renderings stay valid), changed ones get a
// new version, and connections not seen in the previous refresh are flagged New.
type connStore struct {
	entries []*connEntry
	byKey   map[string]*connEntry
	gen     uint64 // bumped on every ingest that changed anything
	loaded  bool
	version uint64
}

func newConnStore() *connStore { return &connStore{byKey: map[string]*connEntry{}} }

// diffStats summarises an ingest.
type diffStats struct{ Added, Changed, Removed int }

// ingest replaces the store's content with conns. label maps a service id to its label.
func (s *connStore) ingest(conns []model.Connection, label func(string) string) diffStats {
	var st diffStats
	first := !s.loaded
	s.loaded = true
	next := make(map[string]*connEntry, len(conns))
	entries := make([]*connEntry, 0, len(conns))
	for _, c := range conns {
		k := c.Key()
		if _, dup := next[k]; dup {
			continue
		}
		lbl := label(c.ServiceID)
		old := s.byKey[k]
		var e *connEntry
		switch {
		case old == nil:
			s.version++
			e = &connEntry{c: c, label: lbl, row: connRow(c, lbl, s.version)}
			e.row.New = !first
			st.Added++
		case sameConnection(old.c, c) && old.label == lbl:
			e = old
			if e.row.New {
				// a new arrival stays highlighted only until the next refresh
				s.version++
				e.row = connRow(c, lbl, s.version)
			}
		default:
			s.version++
			e = &connEntry{c: c, label: lbl, row: connRow(c, lbl, s.version)}
			st.Changed++
		}
		next[k] = e
		entries = append(entries, e)
	}
	for k := range s.byKey {
		if _, ok := next[k]; !ok {
			st.Removed++
		}
	}
	s.byKey = next
	s.entries = entries
	s.gen++
	return st
}

func sameConnection(a, b model.Connection) bool {
	return a.State == b.State && a.OwnerAccount == b.OwnerAccount && a.Region == b.Region &&
		a.IPAddressType == b.IPAddressType && a.Created.Equal(b.Created) &&
		a.ConnectionID == b.ConnectionID && slices.Equal(a.LoadBalancers, b.LoadBalancers)
}

const (
	inboxColEndpoint = iota
	inboxColOwner
	inboxColService
	inboxColState
	inboxColAge
	inboxColRegion
	inboxColIPType
)

func connRow(c model.Connection, label string, version uint64) *Row {
	cells := []string{c.EndpointID, c.OwnerAccount, label, string(c.State), "", c.Region, c.IPAddressType}
	acc := make([]accent, len(cells))
	acc[inboxColState] = stateAccent(c.State)
	return &Row{
		ID: c.Key(), Version: version, Cells: cells, Accents: acc, Time: c.Created,
		Haystack: haystack(c.EndpointID, c.OwnerAccount, label, c.ServiceID, string(c.State),
			c.Region, c.IPAddressType),
	}
}

func stateAccent(st model.ConnectionState) accent {
	switch st {
	case model.StatePendingAcceptance:
		return accWarn
	case model.StatePending:
		return accInfo
	case model.StateAvailable:
		return accOK
	case model.StateRejected, model.StateFailed, model.StateExpired:
		return accBad
	case model.StateDeleting, model.StateDeleted:
		return accDim
	}
	return accNone
}

// find returns the connection with this key.
func (s *connStore) find(key string) (model.Connection, bool) {
	e, ok := s.byKey[key]
	if !ok {
		return model.Connection{}, false
	}
	return e.c, true
}

// counts returns pending-acceptance and available counts per service.
func (s *connStore) counts() map[string][2]int {
	out := map[string][2]int{}
	for _, e := range s.entries {
		v := out[e.c.ServiceID]
		switch e.c.State {
		case model.StatePendingAcceptance:
			v[0]++
		case model.StateAvailable:
			v[1]++
		}
		out[e.c.ServiceID] = v
	}
	return out
}

// reingestLabels rebuilds the rows whose service label changed (a Name tag was set or the
// services arrived after the connections).
func (s *connStore) reingestLabels(label func(string) string) {
	changed := false
	for _, e := range s.entries {
		l := label(e.c.ServiceID)
		if l == e.label {
			continue
		}
		s.version++
		isNew := e.row.New
		e.label = l
		e.row = connRow(e.c, l, s.version)
		e.row.New = isNew
		changed = true
	}
	if changed {
		s.gen++
	}
}

// reset forgets everything (profile or region switch): the next ingest is a first load.
func (s *connStore) reset() {
	s.entries = nil
	s.byKey = map[string]*connEntry{}
	s.loaded = false
	s.gen++
}
