package awsops

import (
	"sync"

	"github.com/plconsole/plconsole/model"
)

// internLimit bounds the interner: a fleet has a few thousand distinct owner accounts,
// services, load balancer ARNs and regions; past this the table is dropped and refilled, so a
// session that meets ever new strings never grows without bound.
const internLimit = 1 << 16

// interner hands out one copy of each repeated string a read decodes. The SDK decodes every
// page into fresh strings: 50,000 connections carry 50,000 copies of a few hundred service
// ids, account ids, regions and load balancer ARNs. Keeping one copy of each is most of what
// the store's connections weigh after the ids that are unique anyway. Safe for concurrent use
// (pages of one refresh are decoded concurrently).
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func (in *interner) str(s string) string {
	if s == "" {
		return ""
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.m[s]; ok {
		return v
	}
	if in.m == nil || len(in.m) >= internLimit {
		in.m = make(map[string]string, 1024)
	}
	in.m[s] = s
	return s
}

// bytes is str for bytes a decoder read: a string already held is returned without making
// one (the map lookup of string(b) does not allocate).
func (in *interner) bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.m[string(b)]; ok {
		return v
	}
	if in.m == nil || len(in.m) >= internLimit {
		in.m = make(map[string]string, 1024)
	}
	v := string(b)
	in.m[v] = v
	return v
}

// connection interns the repeated fields of one connection: its service, owner account,
// region, IP address type, payer and load balancer ARNs (the ids unique to the connection and
// its DNS names are not repeated and are left alone).
func (in *interner) connection(c model.Connection) model.Connection {
	c.ServiceID = in.str(c.ServiceID)
	c.OwnerAccount = in.str(c.OwnerAccount)
	c.Region = in.str(c.Region)
	c.IPAddressType = in.str(c.IPAddressType)
	c.Payer = in.str(c.Payer)
	c.State = model.ConnectionState(in.str(string(c.State)))
	for i, arn := range c.LoadBalancers {
		c.LoadBalancers[i] = in.str(arn)
	}
	return c
}
