package store

import (
	"github.com/plconsole/plconsole/model"
)

// What the approval policy and the access audit read from the store: every service's
// allowed principals (read in the background for the health badges), and what the policy
// and the audit make of them, computed once per store version and policy generation.

// Principals returns a service's allowed principals and whether they have been read.
func (s *Store) Principals(id string) ([]model.Principal, bool) {
	e, ok := s.princ[id]
	if !ok || !e.loaded {
		return nil, false
	}
	return e.principals, true
}

// principalsRead is every service's principals that have been read, by service id (the
// input model.EvaluatePolicy and model.AuditAccess take: a missing service is unknown).
func (s *Store) principalsRead() map[string][]model.Principal {
	out := make(map[string][]model.Principal, len(s.princ))
	for id, e := range s.princ {
		if e.loaded {
			out[id] = e.principals
		}
	}
	return out
}

func (s *Store) connectionList() []model.Connection {
	out := make([]model.Connection, len(s.conns.entries))
	for i, e := range s.conns.entries {
		out[i] = e.C
	}
	return out
}

type policyCache struct {
	version, gen uint64
	ok           bool
	byKey        map[string]model.Suggestion
	list         []model.Suggestion
	access       model.AccessReport
	accessOK     bool
}

// Suggestions decides every pending request with the policy (model.EvaluatePolicy, the same
// call `plconsole approve` makes): by connection key, and in evaluation order (oldest
// first). gen is the caller's policy generation; the result is cached until it or the
// store's content changes.
func (s *Store) Suggestions(p *model.Policy, dir *model.Customers, gen uint64) (map[string]model.Suggestion, []model.Suggestion) {
	c := &s.policy
	if !c.ok || c.version != s.version || c.gen != gen {
		*c = policyCache{version: s.version, gen: gen, ok: true}
	}
	if c.byKey == nil {
		c.list = model.EvaluatePolicy(p, model.PolicyInput{HomeRegion: s.identity.Region, Services: s.services,
			Principals: s.principalsRead(), Customers: dir, Connections: s.connectionList()})
		c.byKey = make(map[string]model.Suggestion, len(c.list))
		for _, sg := range c.list {
			c.byKey[sg.Connection.Key()] = sg
		}
	}
	return c.byKey, c.list
}

// Access runs the access audit over what the store holds (cached like Suggestions).
func (s *Store) Access(dir *model.Customers, gen uint64) model.AccessReport {
	c := &s.policy
	if !c.ok || c.version != s.version || c.gen != gen {
		*c = policyCache{version: s.version, gen: gen, ok: true}
	}
	if !c.accessOK {
		c.access = model.AuditAccess(model.AccessInput{Services: s.services, Principals: s.principalsRead(),
			Connections: s.connectionList(), Customers: dir})
		c.accessOK = true
	}
	return c.access
}
