package sim

import "sync"

type outcome int

const (
	outcomeOK outcome = iota
	outcomeError
	outcomeThrottled
	outcomeDropped
)

// OpStats counts the requests one operation received and how they ended.
type OpStats struct {
	Total     int64 `json:"total"`
	OK        int64 `json:"ok"`
	Errors    int64 `json:"errors"`
	Throttled int64 `json:"throttled"`
	Dropped   int64 `json:"dropped"`
}

// StatsSnapshot is what GET /_sim/stats returns: per service, per operation.
type StatsSnapshot struct {
	Total    int64                         `json:"total"`
	Requests map[string]map[string]OpStats `json:"requests"`
}

// Count returns the total requests of one operation (0 when never called).
func (s StatsSnapshot) Count(service, operation string) int64 {
	return s.Requests[service][operation].Total
}

type Stats struct {
	mu  sync.Mutex
	ops map[string]map[string]*OpStats
	tot int64
}

func newStats() *Stats { return &Stats{ops: map[string]map[string]*OpStats{}} }

func (s *Stats) record(service, op string, o outcome) {
	if service == "" {
		service = "unknown"
	}
	if op == "" {
		op = "unknown"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.ops[service]
	if m == nil {
		m = map[string]*OpStats{}
		s.ops[service] = m
	}
	st := m[op]
	if st == nil {
		st = &OpStats{}
		m[op] = st
	}
	s.tot++
	st.Total++
	switch o {
	case outcomeOK:
		st.OK++
	case outcomeError:
		st.Errors++
	case outcomeThrottled:
		st.Throttled++
	case outcomeDropped:
		st.Dropped++
	}
}

func (s *Stats) snapshot() StatsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := StatsSnapshot{Total: s.tot, Requests: map[string]map[string]OpStats{}}
	for svc, m := range s.ops {
		mm := make(map[string]OpStats, len(m))
		for op, st := range m {
			mm[op] = *st
		}
		out.Requests[svc] = mm
	}
	return out
}

func (s *Stats) reset() {
	s.mu.Lock()
	s.ops = map[string]map[string]*OpStats{}
	s.tot = 0
	s.mu.Unlock()
}
