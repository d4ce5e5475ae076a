package ui

import (
	"context"

	"github.com/plconsole/plconsole/model"
)

// The backends of the ui tests, for the writes of the policy work: tagging connections and
// setting a connection's payer.

func (b *fakeBackend) TagResources(_ context.Context, ids []string, set map[string]string, remove []string) error {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("CreateTags"); err != nil {
		return err
	}
	for i := range b.conns {
		c := &b.conns[i]
		for _, id := range ids {
			if c.ConnectionID != id {
				continue
			}
			tags := map[string]string{}
			for k, v := range c.Tags {
				tags[k] = v
			}
			for k, v := range set {
				tags[k] = v
			}
			for _, k := range remove {
				delete(tags, k)
			}
			c.Tags = tags
		}
	}
	return nil
}

func (b *fakeBackend) SetConnectionPayer(_ context.Context, serviceID string, ids []string, payer string) ([]model.ItemResult, error) {
	defer b.busy()()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.write("ModifyVpcEndpointPayerResponsibility"); err != nil {
		return nil, err
	}
	var res []model.ItemResult
	for _, id := range ids {
		ok := false
		for i := range b.conns {
			if c := &b.conns[i]; c.ServiceID == serviceID && c.EndpointID == id {
				c.Payer, ok = payer, true
			}
		}
		r := model.ItemResult{ID: id, OK: ok}
		if !ok {
			r.Code, r.Message = "InvalidVpcEndpointId.NotFound", "not found"
		}
		res = append(res, r)
	}
	return res, nil
}

func (b *trackedBackend) TagResources(ctx context.Context, ids []string, set map[string]string, remove []string) error {
	defer b.busy()()
	return b.Backend.TagResources(ctx, ids, set, remove)
}

func (b *trackedBackend) SetConnectionPayer(ctx context.Context, s string, ids []string, payer string) ([]model.ItemResult, error) {
	defer b.busy()()
	return b.Backend.SetConnectionPayer(ctx, s, ids, payer)
}
