package ui

import (
	"github.com/plconsole/plconsole/model"
)

// reqKind names a stream of fetches; only the newest request of a kind is listened to.
type reqKind int

const (
	reqRefresh reqKind = iota
	reqDetail
	reqLoadBalancers
	reqAPILog
	reqSwitch
	reqKinds
)

// snapshotMsg is the answer to one periodic refresh: services, connections and the load
// balancers behind the services, read by one Backend.Refresh. On a partial failure snap
// holds what was read and err says what was not.
type snapshotMsg struct {
	req  uint64
	snap model.Snapshot
	err  error
}

type detailMsg struct {
	req uint64
	svc model.EndpointService
	err error
}

type loadBalancersMsg struct {
	req       uint64
	serviceID string
	lbs       []model.LoadBalancer
	err       error
}

type apiLogMsg struct {
	req   uint64
	calls []model.APICall
}

type switchedMsg struct {
	req   uint64
	what  string // "profile" | "region"
	value string
	err   error
}

// actionDoneMsg is the result of a write. results is per item for bulk actions.
type actionDoneMsg struct {
	op        string // human name: "accept", "reject", …
	serviceID string
	results   []model.ItemResult
	err       error
	info      string // a success sentence for single writes
}

type clipboardMsg struct {
	label string
	err   error
}

type flashExpiredMsg struct{ id int }

type clockTickMsg struct{}

type refreshTickMsg struct{ gen int }
