package model

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CompareConnections is the inbox order, and the only definition of it: work first (by
// ConnectionState.Rank, so pendingAcceptance leads), then newest first, so a request that
// just arrived is at the top of the pending block where it is seen, then by endpoint id and
// service id so the order is total and stable across refreshes.
func CompareConnections(a, b Connection) int { return CompareConnectionsAt(&a, &b) }

// CompareConnectionsAt is CompareConnections without copying the connections (a sort of
// 50,000 rows compares a million times).
func CompareConnectionsAt(a, b *Connection) int {
	if ra, rb := a.State.Rank(), b.State.Rank(); ra != rb {
		return ra - rb
	}
	if !a.Created.Equal(b.Created) {
		if a.Created.After(b.Created) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.EndpointID, b.EndpointID); c != 0 {
		return c
	}
	return strings.Compare(a.ServiceID, b.ServiceID)
}

// SortConnections sorts cs in place in inbox order (see CompareConnections).
func SortConnections(cs []Connection) { slices.SortFunc(cs, CompareConnections) }

// ConnectionSummary counts one service's connections by state.
type ConnectionSummary struct {
	ServiceID string
	Total     int
	ByState   map[ConnectionState]int
	// OldestPending is when the longest-waiting pendingAcceptance request arrived (zero: none).
	OldestPending time.Time
	// NewestPending is when the latest pendingAcceptance request arrived (zero: none).
	NewestPending time.Time
}

// Count is the number of connections in state s.
func (s ConnectionSummary) Count(st ConnectionState) int { return s.ByState[st] }

// PendingAcceptance is the number of requests waiting for the provider.
func (s ConnectionSummary) PendingAcceptance() int { return s.ByState[StatePendingAcceptance] }

// Available is the number of connections carrying traffic.
func (s ConnectionSummary) Available() int { return s.ByState[StateAvailable] }

func (s *ConnectionSummary) add(c *Connection) {
	if s.ByState == nil {
		s.ByState = make(map[ConnectionState]int)
	}
	s.Total++
	s.ByState[c.State]++
	if c.State == StatePendingAcceptance && !c.Created.IsZero() {
		if s.OldestPending.IsZero() || c.Created.Before(s.OldestPending) {
			s.OldestPending = c.Created
		}
		if c.Created.After(s.NewestPending) {
			s.NewestPending = c.Created
		}
	}
}

// DeleteBlockers is how many of the connections keep the service from being deleted (see
// ConnectionState.BlocksServiceDelete).
func (s ConnectionSummary) DeleteBlockers() int {
	n := 0
	for st, c := range s.ByState {
		if st.BlocksServiceDelete() {
			n += c
		}
	}
	return n
}

// CanDeleteService says whether AWS would delete a service with these connections.
func (s ConnectionSummary) CanDeleteService() bool { return s.DeleteBlockers() == 0 }

// DeleteBlockersText names the blocking connections by state, in inbox order:
// "2 awaiting acceptance, 1 pending, 3 available" ("" when nothing blocks).
func (s ConnectionSummary) DeleteBlockersText() string {
	var parts []string
	for _, st := range AllConnectionStates {
		n := s.ByState[st]
		if n == 0 || !st.BlocksServiceDelete() {
			continue
		}
		word := string(st)
		if st == StatePendingAcceptance {
			word = "awaiting acceptance"
		}
		parts = append(parts, strconv.Itoa(n)+" "+word)
	}
	return strings.Join(parts, ", ")
}

// Summarize counts a set of connections (whatever services they belong to); ServiceID is left
// empty unless every connection shares one.
func Summarize(cs []Connection) ConnectionSummary {
	s := ConnectionSummary{ByState: make(map[ConnectionState]int)}
	for i := range cs {
		c := &cs[i]
		if i == 0 {
			s.ServiceID = c.ServiceID
		} else if s.ServiceID != c.ServiceID {
			s.ServiceID = ""
		}
		s.add(c)
	}
	return s
}

// SummarizeByService counts connections by state for each service they belong to.
func SummarizeByService(cs []Connection) map[string]ConnectionSummary {
	out := make(map[string]ConnectionSummary)
	for i := range cs {
		c := &cs[i]
		s := out[c.ServiceID]
		s.ServiceID = c.ServiceID
		s.add(c)
		out[c.ServiceID] = s
	}
	return out
}

// ConnectionDiff is what changed between two snapshots of connections, by Connection.Key.
// Each list is sorted.
type ConnectionDiff struct {
	Added   []string
	Changed []string
	Removed []string
}

// Empty reports whether nothing changed.
func (d ConnectionDiff) Empty() bool {
	return len(d.Added) == 0 && len(d.Changed) == 0 && len(d.Removed) == 0
}

// DiffConnections compares an old and a new snapshot. A key present in both is Changed when
// any field differs (state, owner, tags, DNS names, …). When a snapshot holds a key twice,
// the later entry wins, as it would when ingesting the list in order.
func DiffConnections(old, new []Connection) ConnectionDiff {
	before := make(map[string]Connection, len(old))
	for _, c := range old {
		before[c.Key()] = c
	}
	after := make(map[string]Connection, len(new))
	for _, c := range new {
		after[c.Key()] = c
	}
	var d ConnectionDiff
	for k, c := range after {
		prev, ok := before[k]
		switch {
		case !ok:
			d.Added = append(d.Added, k)
		case !ConnectionEqual(prev, c):
			d.Changed = append(d.Changed, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			d.Removed = append(d.Removed, k)
		}
	}
	sort.Strings(d.Added)
	sort.Strings(d.Changed)
	sort.Strings(d.Removed)
	return d
}

// ConnectionEqual reports whether two connections hold the same data.
func ConnectionEqual(a, b Connection) bool {
	return a.ServiceID == b.ServiceID && a.EndpointID == b.EndpointID &&
		a.ConnectionID == b.ConnectionID && a.OwnerAccount == b.OwnerAccount &&
		a.State == b.State && a.Created.Equal(b.Created) && a.Region == b.Region &&
		a.IPAddressType == b.IPAddressType &&
		slices.Equal(a.LoadBalancers, b.LoadBalancers) && slices.Equal(a.DNSNames, b.DNSNames) &&
		maps.Equal(a.Tags, b.Tags) && a.Payer == b.Payer
}

// Matcher is a compiled filter query (see MatchFilter). Compile once per keystroke, then
// match every row without allocating.
type Matcher struct {
	needle string // lowercased
	invert bool
	all    bool
}

// NewMatcher compiles a filter query. Surrounding spaces are ignored; a leading "!" inverts
// the match; an empty query (or a lone "!", while the user is still typing) matches everything.
func NewMatcher(query string) Matcher {
	q := strings.TrimSpace(query)
	m := Matcher{}
	if strings.HasPrefix(q, "!") {
		m.invert = true
		q = strings.TrimSpace(q[1:])
	}
	m.needle = strings.ToLower(q)
	m.all = m.needle == ""
	return m
}

// Inverted reports whether the query started with "!".
func (m Matcher) Inverted() bool { return m.invert && !m.all }

// MatchesAll reports whether the query is empty and so matches every row.
func (m Matcher) MatchesAll() bool { return m.all }

// Match reports whether any field contains the query, case-insensitively (or, for an
// inverted query, whether none does).
func (m Matcher) Match(fields ...string) bool {
	if m.all {
		return true
	}
	found := false
	for _, f := range fields {
		if containsFold(f, m.needle) {
			found = true
			break
		}
	}
	return found != m.invert
}

// MatchLower is Match for one field already lower-cased with strings.ToLower: a plain
// substring search, with no case folding per call.
func (m Matcher) MatchLower(s string) bool {
	if m.all {
		return true
	}
	return strings.Contains(s, m.needle) != m.invert
}

// MatchFilter reports whether a row with the given fields passes the filter query: a
// case-insensitive substring match against any field; a leading "!" inverts; an empty query
// matches everything.
func MatchFilter(query string, fields ...string) bool { return NewMatcher(query).Match(fields...) }

// containsFold reports whether s contains the lowercase needle, ignoring case. ASCII text is
// compared without allocating; other text falls back to strings.ToLower.
func containsFold(s, needle string) bool {
	if needle == "" {
		return true
	}
	if !isASCII(s) || !isASCII(needle) {
		return strings.Contains(strings.ToLower(s), needle)
	}
	n := len(needle)
	c := needle[0]
	u := c
	if c >= 'a' && c <= 'z' {
		u = c - ('a' - 'A')
	}
	for len(s) >= n {
		// Jump to the next possible start with IndexByte, which is vectorised.
		window := s[:len(s)-n+1]
		i := strings.IndexByte(window, c)
		if u != c {
			if j := strings.IndexByte(window, u); j >= 0 && (i < 0 || j < i) {
				i = j
			}
		}
		if i < 0 {
			return false
		}
		j := 1
		for j < n && lowerASCII(s[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return true
		}
		s = s[i+1:]
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func lowerASCII(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}
