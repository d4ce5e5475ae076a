package sim

import (
	"net/http"
	"strings"
)

// CreateTags and DeleteTags on the PrivateLink resources the world holds: a service
// (vpce-svc-…) and its allowed principals (vpce-svc-perm-…) and connections (vpce-con-…)
// for the service's owner, an endpoint (vpce-…) for its owner. Other resource kinds are
// refused as unknown ids.

// maxTagsPerResource is EC2's limit of tags on one resource.
const maxTagsPerResource = 50

// taggable finds the tags of a resource the caller may tag; the caller holds the write lock.
func (s *Server) taggable(c *Call, id string) (*[]Tag, *APIError) {
	w := s.world
	me := c.Account.ID
	switch {
	case strings.HasPrefix(id, "vpce-svc-perm-"):
		if tp := w.providerTags(me, id); tp != nil {
			return tp, nil
		}
		return nil, apiErr(http.StatusBadRequest, "InvalidVpcEndpointServicePermissionId.NotFound",
			"The service permission ID '%s' does not exist", id)
	case strings.HasPrefix(id, "vpce-svc-"):
		svc, e := s.ownedService(c, id)
		if e != nil {
			return nil, e
		}
		return &svc.Tags, nil
	case strings.HasPrefix(id, "vpce-con-"):
		if tp := w.providerTags(me, id); tp != nil {
			return tp, nil
		}
		return nil, apiErr(http.StatusBadRequest, "InvalidVpcEndpointConnectionId.NotFound",
			"The VPC endpoint connection ID '%s' does not exist", id)
	case strings.HasPrefix(id, "vpce-"):
		if e := checkEndpointID(id); e != nil {
			return nil, e
		}
		ep := w.Endpoint(id)
		if ep == nil || ep.OwnerID != me {
			return nil, errEndpointIDNotFound(id)
		}
		return &ep.Tags, nil
	}
	return nil, apiErr(http.StatusBadRequest, "InvalidID", "The ID '%s' is not valid", truncate(id, 64))
}

// providerTags finds the tags of an allowed principal (by permission id) or a connection
// (by connection id) of the services owner owns (nil: none); the caller holds the lock.
func (w *World) providerTags(owner, id string) *[]Tag {
	for _, svc := range w.ServiceList {
		if svc.OwnerID != owner {
			continue
		}
		for _, p := range svc.Principals {
			if p.ID == id {
				return &p.Tags
			}
		}
		for _, ep := range svc.Endpoints {
			if ep.ConnectionID == id {
				return &ep.ConnTags
			}
		}
	}
	return nil
}

// readTagList reads Tag.N.Key / Tag.N.Value; withValues reports, per tag, whether a value
// was given (DeleteTags deletes a tag regardless of its value when none is).
func readTagList(p Params) (tags []Tag, hasValue []bool) {
	for _, t := range p.Objects("Tag") {
		v, ok := t["Value"]
		tags = append(tags, Tag{Key: t["Key"], Value: v})
		hasValue = append(hasValue, ok)
	}
	return tags, hasValue
}

func (s *Server) ec2CreateTags(c *Call) (any, error) {
	ids, err := requireList(c.Params, "ResourceId")
	if err != nil {
		return nil, err
	}
	tags, _ := readTagList(c.Params)
	if len(tags) == 0 {
		return nil, errMissingParam("Tag")
	}
	for _, t := range tags {
		if e := checkTag(t.Key, t.Value); e != nil {
			return nil, e
		}
	}
	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	targets, e := s.taggables(c, ids, func(id string, have []Tag) *APIError {
		if len(setTags(have, tags)) > maxTagsPerResource {
			return apiErr(http.StatusBadRequest, "TagLimitExceeded",
				"The maximum number of tags per resource (%d) is exceeded for '%s'.", maxTagsPerResource, id)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	for _, tp := range targets {
		*tp = setTags(*tp, tags)
	}
	return &returnResponse{Return: true}, nil
}

func (s *Server) ec2DeleteTags(c *Call) (any, error) {
	ids, err := requireList(c.Params, "ResourceId")
	if err != nil {
		return nil, err
	}
	tags, hasValue := readTagList(c.Params)
	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	targets, e := s.taggables(c, ids, nil)
	if e != nil {
		return nil, e
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	for _, tp := range targets {
		if len(tags) == 0 { // no Tag parameter: every tag goes
			*tp = nil
			continue
		}
		kept := (*tp)[:0:0]
		for _, have := range *tp {
			drop := false
			for i, t := range tags {
				if t.Key == have.Key && (!hasValue[i] || t.Value == have.Value) {
					drop = true
				}
			}
			if !drop {
				kept = append(kept, have)
			}
		}
		*tp = kept
	}
	return &returnResponse{Return: true}, nil
}

// taggables finds every resource's tags, and checks each with check (nil: none), before
// anything changes: a tagging call succeeds or fails whole. The caller holds the write lock.
func (s *Server) taggables(c *Call, ids []string, check func(id string, have []Tag) *APIError) ([]*[]Tag, *APIError) {
	out := make([]*[]Tag, 0, len(ids))
	for _, id := range dedupe(ids) {
		tp, e := s.taggable(c, id)
		if e == nil && check != nil {
			e = check(id, *tp)
		}
		if e != nil {
			return nil, e
		}
		out = append(out, tp)
	}
	return out, nil
}

// setTags returns tags with each of set added or, for a key already there, replaced; the
// order of existing keys is kept.
func setTags(tags, set []Tag) []Tag {
	out := append([]Tag(nil), tags...)
	for _, t := range set {
		found := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, found = t.Value, true
			}
		}
		if !found {
			out = append(out, t)
		}
	}
	return out
}
