package sim

import (
	"strconv"
	"strings"
	"time"
)

// How the world changes over time.
//
// Every future change is an event in one priority queue ordered by (time, sequence number).
// Advance(now) pops and applies the events due up to now, in that order. Why a queue rather
// than recomputing state from "now" on each read:
//
//   - Determinism independent of polling. The server calls Advance with the clock's time at
//     every request; whether it is called once a second or once a day, the same events are
//     applied in the same order, and the evolution randomness (its own seeded stream,
//     consumed only by spontaneous events) is drawn in that order. So a seed and a sequence
//     of API calls reproduce a world exactly, with a ManualClock or a real one.
//   - Cost proportional to change, not to size. A fleet world has 50,000 endpoints; only
//     the few with something pending (an expiry, pending → available, a deletion) have an
//     event. Spontaneous activity is one self-rescheduling event per service (arrivals,
//     consumer deletions) and per flapping target group (health changes), so an Advance
//     over an idle hour touches dozens of objects, not 50,000.
//   - Lazy cancellation. Events are never removed: each one re-checks, when it fires, that
//     the object is still in the state it was scheduled for (an accepted endpoint's expiry
//     finds it no longer pendingAcceptance and does nothing). API handlers therefore never
//     need to find and cancel queued work.
//
// Every recorded transition also stamps the object's history (EndpointHistory, Target.
// History), so CloudWatch series for any past window agree with the states shown now.

type evKind uint8

const (
	evEndpointAvailable evKind = iota + 1 // pending → available
	evEndpointExpire                      // pendingAcceptance → expired
	evEndpointDeleted                     // deleting → deleted
	evServiceAvailable                    // service Pending → Available
	evDNSVerify                           // pendingVerification → verified | failed
	evArrival                             // a consumer requests a connection (self-rescheduling)
	evChurn                               // a consumer deletes an endpoint (self-rescheduling)
	evFlap                                // a target of a group turns unhealthy (self-rescheduling)
	evTargetRecover                       // an unhealthy target becomes healthy again
)

type event struct {
	at   int64 // unix nanoseconds
	seq  uint64
	kind evKind
	ep   *Endpoint
	svc  *Service
	tg   *TargetGroup
	tgt  *Target
}

func (a *event) before(b *event) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// schedule is a binary min-heap of events.
type schedule struct {
	h   []event
	seq uint64
}

func (s *schedule) Len() int { return len(s.h) }

func (s *schedule) push(e event) {
	s.seq++
	e.seq = s.seq
	s.h = append(s.h, e)
	i := len(s.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !s.h[i].before(&s.h[p]) {
			break
		}
		s.h[i], s.h[p] = s.h[p], s.h[i]
		i = p
	}
}

func (s *schedule) pop() event {
	top := s.h[0]
	last := len(s.h) - 1
	s.h[0] = s.h[last]
	s.h[last] = event{}
	s.h = s.h[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s.h) && s.h[l].before(&s.h[m]) {
			m = l
		}
		if r < len(s.h) && s.h[r].before(&s.h[m]) {
			m = r
		}
		if m == i {
			break
		}
		s.h[i], s.h[m] = s.h[m], s.h[i]
		i = m
	}
	return top
}

func (w *World) at(t time.Time, e event) {
	e.at = t.UnixNano()
	w.sched.push(e)
}

// PendingEvents is the number of queued future changes (for tests and stats).
func (w *World) PendingEvents() int { return w.sched.Len() }

// NextEventAt is when the next queued change is due (zero when none).
func (w *World) NextEventAt() time.Time {
	if w.sched.Len() == 0 {
		return time.Time{}
	}
	return time.Unix(0, w.sched.h[0].at).UTC()
}

// Advance applies every scheduled change due at or before now, in time order, and sets
// w.Now. A time before w.Now is ignored (the world never runs backwards). The caller holds
// the write lock.
func (w *World) Advance(now time.Time) {
	limit := now.UnixNano()
	for w.sched.Len() > 0 && w.sched.h[0].at <= limit {
		e := w.sched.pop()
		w.apply(e, time.Unix(0, e.at).UTC())
	}
	if now.After(w.Now) {
		w.Now = now.UTC()
	}
}

func (w *World) apply(e event, at time.Time) {
	switch e.kind {
	case evEndpointAvailable:
		if e.ep.State == EndpointPending {
			e.ep.State = EndpointAvailable
			e.ep.History.AvailableAt = at
		}
	case evEndpointExpire:
		if e.ep.State == EndpointPendingAcceptance {
			w.leaveActive(e.ep)
			e.ep.State = EndpointExpired
			e.ep.History.ExpiredAt = at
		}
	case evEndpointDeleted:
		if e.ep.State == EndpointDeleting {
			e.ep.State = EndpointDeleted
			e.ep.History.DeletedAt = at
		}
	case evServiceAvailable:
		if e.svc.State == ServicePending {
			e.svc.State = ServiceAvailable
			e.svc.AvailableAt = at
		}
	case evDNSVerify:
		s := e.svc
		if s.PrivateDNSState == DNSPendingVerification && s.DNSVerifyDueAt.Equal(at) {
			s.DNSVerifyDueAt = time.Time{}
			if w.txtVerifies(s) {
				s.PrivateDNSState = DNSVerified
			} else {
				s.PrivateDNSState = DNSFailed
			}
		}
	case evArrival:
		w.arrive(e.svc, at)
	case evChurn:
		w.churn(e.svc, at)
	case evFlap:
		w.flap(e.tg, at)
	case evTargetRecover:
		if e.tgt.State == TargetUnhealthy {
			e.tgt.setHealth(at, TargetHealthy, "")
		}
	}
}

// ---- spontaneous activity -------------------------------------------------------------------

// arrive is one consumer's connection request to svc, then schedules the next one.
func (w *World) arrive(svc *Service, at time.Time) {
	if w.Services[svc.ID] != svc || svc.ArrivalMean <= 0 {
		return // deleted or quiet: the chain ends
	}
	defer w.at(at.Add(w.evolveR.exp(svc.ArrivalMean)), event{kind: evArrival, svc: svc})
	if !svc.AcceptsNewConnections() || len(w.AccountList) < 2 {
		return // the consumer's CreateVpcEndpoint would have been refused
	}
	consumers := w.AccountList[1:]
	var owner *Account
	for try := 0; try < 8 && owner == nil; try++ {
		if a := consumers[w.evolveR.intn(len(consumers))]; svc.AllowsAccount(a.ID) {
			owner = a
		}
	}
	if owner == nil {
		return
	}
	var vpc *VPC
	for _, v := range owner.VPCs {
		if v.Region == w.Region && v.EndpointCount < 50 {
			vpc = v
			break
		}
	}
	if vpc == nil {
		return
	}
	var subnets []*Subnet
	for _, sn := range vpc.Subnets {
		if svc.SupportsAZID(sn.AZID) && len(subnets) < 3 {
			subnets = append(subnets, sn)
		}
	}
	if len(subnets) == 0 {
		return
	}
	req := EndpointRequest{
		Owner:             owner,
		Service:           svc,
		VPC:               vpc,
		Subnets:           subnets,
		SecurityGroups:    vpc.SecurityGroups[:min(1, len(vpc.SecurityGroups))],
		PrivateDNSEnabled: svc.PrivateDNSName != "" && w.evolveR.float() < 0.7,
		IPAddressType:     "ipv4",
	}
	w.buildEndpoint(w.evolveR, req, at)
}

// churn is one consumer deleting one of its available endpoints to svc.
func (w *World) churn(svc *Service, at time.Time) {
	if w.Services[svc.ID] != svc || svc.ChurnMean <= 0 {
		return
	}
	defer w.at(at.Add(w.evolveR.exp(svc.ChurnMean)), event{kind: evChurn, svc: svc})
	n := len(svc.Endpoints)
	if n == 0 {
		return
	}
	start := w.evolveR.intn(n)
	for i := 0; i < min(n, 32); i++ {
		if ep := svc.Endpoints[(start+i)%n]; ep.State == EndpointAvailable {
			_ = w.deleteEndpoint(ep, at)
			return
		}
	}
}

// Mean time an unhealthy target takes to pass its health checks again.
const meanRecovery = 4 * time.Minute

// flap turns one healthy target of tg unhealthy for a while, then schedules the next flap.
func (w *World) flap(tg *TargetGroup, at time.Time) {
	if tg.FlapMean <= 0 || w.TargetGroups[tg.ARN] != tg {
		return
	}
	w.at(at.Add(w.evolveR.exp(tg.FlapMean)), event{kind: evFlap, tg: tg})
	if t := flapOne(w.evolveR, tg, at); t != nil {
		w.at(at.Add(w.evolveR.exp(meanRecovery)), event{kind: evTargetRecover, tgt: t})
	}
}

// flapOne picks a healthy target of tg and makes it unhealthy with a plausible reason.
func flapOne(r *idSource, tg *TargetGroup, at time.Time) *Target {
	n := len(tg.Targets)
	if n == 0 {
		return nil
	}
	start := r.intn(n)
	reason := ReasonTimeout
	if x := r.float(); x < 0.5 {
		reason = ReasonFailedHealthChecks
	} else if tg.HealthCheck.Protocol == "HTTP" || tg.HealthCheck.Protocol == "HTTPS" {
		reason = ReasonResponseCodeMismatch
	}
	for i := range n {
		if t := tg.Targets[(start+i)%n]; t.State == TargetHealthy {
			t.setHealth(at, TargetUnhealthy, reason)
			return t
		}
	}
	return nil
}

// simulatePastFlaps writes the flapping history of tg over [from, to) with the generation
// stream, and queues the recovery of targets still down at `to`. Called by NewWorld so that
// past metrics show the same kind of health noise the future will.
func (w *World) simulatePastFlaps(r *idSource, tg *TargetGroup, from, to time.Time) {
	type down struct {
		t  *Target
		up time.Time
	}
	var downs []down
	for at := from.Add(r.exp(tg.FlapMean)); at.Before(to); at = at.Add(r.exp(tg.FlapMean)) {
		// Recover the targets whose outage ended before this flap.
		kept := downs[:0]
		for _, d := range downs {
			if !d.up.After(at) {
				d.t.setHealth(d.up, TargetHealthy, "")
			} else {
				kept = append(kept, d)
			}
		}
		downs = kept
		if t := flapOne(r, tg, at); t != nil {
			downs = append(downs, down{t, at.Add(r.exp(meanRecovery))})
		}
	}
	for _, d := range downs {
		if d.up.Before(to) {
			d.t.setHealth(d.up, TargetHealthy, "")
		} else {
			w.at(d.up, event{kind: evTargetRecover, tgt: d.t})
		}
	}
}

// ---- state-machine helpers for the API handlers (caller holds the write lock) ------------------

// EndpointRequest is a consumer's CreateVpcEndpoint, already validated by the handler.
type EndpointRequest struct {
	Owner             *Account
	Service           *Service
	VPC               *VPC
	Subnets           []*Subnet
	SecurityGroups    []*SecurityGroup
	PrivateDNSEnabled bool
	IPAddressType     string // default ipv4
	PolicyDocument    string // "" for the default full-access policy
	ClientToken       string
	// RequestFingerprint goes with ClientToken (see requestFingerprint).
	RequestFingerprint string
	Tags               []Tag
}

// createEndpoint creates a consumer's interface endpoint: pendingAcceptance (expires after
// Config.PendingExpiry) when the service requires acceptance, otherwise pending → available
// after PendingToAvailableDelay.
func (w *World) createEndpoint(req EndpointRequest, now time.Time) *Endpoint {
	return w.buildEndpoint(w.ids, req, now)
}

func (w *World) buildEndpoint(src *idSource, req EndpointRequest, now time.Time) *Endpoint {
	svc := req.Service
	ipType := req.IPAddressType
	if ipType == "" {
		ipType = "ipv4"
	}
	ep := &Endpoint{
		ID:                 src.hex17("vpce-"),
		OwnerID:            req.Owner.ID,
		Owner:              req.Owner,
		Service:            svc,
		ServiceID:          svc.ID,
		ServiceName:        svc.Name,
		Type:               ServiceTypeInterface,
		ConnectionID:       src.hex17("vpce-con-"),
		Region:             req.VPC.Region,
		VpcID:              req.VPC.ID,
		IPAddressType:      ipType,
		PrivateDNSEnabled:  req.PrivateDNSEnabled,
		PolicyDocument:     req.PolicyDocument,
		DNSToken:           src.lower(8),
		Tags:               req.Tags,
		ClientToken:        req.ClientToken,
		RequestFingerprint: req.RequestFingerprint,
		CreatedAt:          now,
		Traffic:            genTraffic(src),
	}
	ep.History.RequestedAt = now
	for _, sn := range req.Subnets {
		ep.SubnetIDs = append(ep.SubnetIDs, sn.ID)
		ep.ENIs = append(ep.ENIs, ENI{ID: src.hex17("eni-"), SubnetID: sn.ID, AZ: sn.AZ, AZID: sn.AZID, PrivateIP: sn.allocIP()})
	}
	for _, sg := range req.SecurityGroups {
		ep.SecurityGroupIDs = append(ep.SecurityGroupIDs, sg.ID)
	}
	if svc.Type == ServiceTypeGWLB {
		ep.Type = "GatewayLoadBalancer"
	}
	if svc.AcceptanceRequired {
		ep.State = EndpointPendingAcceptance
		w.at(now.Add(w.Config.PendingExpiry), event{kind: evEndpointExpire, ep: ep})
	} else {
		ep.State = EndpointPending
		ep.History.AcceptedAt = now
		w.at(now.Add(PendingToAvailableDelay), event{kind: evEndpointAvailable, ep: ep})
	}
	req.VPC.EndpointCount++
	w.insertEndpoint(ep)
	return ep
}

// leaveActive keeps the VPC's endpoint count (the quota) in step when ep stops being active.
func (w *World) leaveActive(ep *Endpoint) {
	if ep.Active() {
		if v := w.VPCs[ep.VpcID]; v != nil && v.EndpointCount > 0 {
			v.EndpointCount--
		}
	}
}

// acceptEndpoint is the provider accepting a request: pendingAcceptance → pending, then
// available after PendingToAvailableDelay.
func (w *World) acceptEndpoint(ep *Endpoint, now time.Time) error {
	if ep.State != EndpointPendingAcceptance {
		return &TransitionError{Code: "InvalidState",
			Message: "Endpoint " + ep.ID + " is in state " + ep.State + " and cannot be accepted; only pendingAcceptance connections can."}
	}
	ep.State = EndpointPending
	ep.History.AcceptedAt = now
	w.at(now.Add(PendingToAvailableDelay), event{kind: evEndpointAvailable, ep: ep})
	return nil
}

// rejectEndpoint is the provider rejecting a connection (pendingAcceptance, pending or
// available → rejected). A rejected connection stays rejected.
func (w *World) rejectEndpoint(ep *Endpoint, now time.Time) error {
	switch ep.State {
	case EndpointPendingAcceptance, EndpointPending, EndpointAvailable:
	default:
		return &TransitionError{Code: "InvalidState",
			Message: "Endpoint " + ep.ID + " is in state " + ep.State + " and cannot be rejected."}
	}
	w.leaveActive(ep)
	ep.State = EndpointRejected
	ep.History.RejectedAt = now
	return nil
}

// deleteEndpoint is the consumer deleting its endpoint: → deleting, then deleted after
// EndpointDeleteDelay. Deleting an endpoint already being deleted is a no-op.
func (w *World) deleteEndpoint(ep *Endpoint, now time.Time) error {
	switch ep.State {
	case EndpointDeleting:
		return nil
	case EndpointDeleted:
		return &TransitionError{Code: "InvalidVpcEndpointId.NotFound",
			Message: "The Vpc Endpoint Id '" + ep.ID + "' does not exist"}
	}
	w.leaveActive(ep)
	ep.State = EndpointDeleting
	ep.History.DeletingAt = now
	w.at(now.Add(EndpointDeleteDelay), event{kind: evEndpointDeleted, ep: ep})
	return nil
}

// ServiceInput is a CreateVpcEndpointServiceConfiguration, already validated by the handler
// (load balancers exist, are of the right type and not used by another service).
type ServiceInput struct {
	Owner              *Account
	NLBARNs            []string
	GWLBARNs           []string
	AcceptanceRequired bool
	PrivateDNSName     string
	SupportedIPTypes   []string // default ipv4
	SupportedRegions   []string // besides the world's own region
	Tags               []Tag
	ClientToken        string
	RequestFingerprint string // goes with ClientToken (see requestFingerprint)
}

// createService creates an endpoint service: Pending, Available ServiceCreateDelay later.
func (w *World) createService(in ServiceInput, now time.Time) *Service {
	id := w.newServiceID()
	svc := w.newService(id, in, now)
	svc.State = ServicePending
	svc.AvailableAt = now.Add(ServiceCreateDelay)
	w.at(svc.AvailableAt, event{kind: evServiceAvailable, svc: svc})
	w.insertService(svc)
	return svc
}

// newService fills a Service from an input (shared by generation and createService).
func (w *World) newService(id string, in ServiceInput, now time.Time) *Service {
	owner := in.Owner
	if owner == nil {
		owner = w.Provider
	}
	svc := &Service{
		ID:                  id,
		Name:                "com.amazonaws.vpce." + w.Region + "." + id,
		OwnerID:             owner.ID,
		Type:                ServiceTypeInterface,
		AcceptanceRequired:  in.AcceptanceRequired,
		NLBARNs:             append([]string(nil), in.NLBARNs...),
		GWLBARNs:            append([]string(nil), in.GWLBARNs...),
		BaseDNSNames:        []string{id + "." + w.Region + ".vpce.amazonaws.com"},
		SupportedIPTypes:    in.SupportedIPTypes,
		PayerResponsibility: "ServiceOwner",
		Tags:                in.Tags,
		CreatedAt:           now,
		ClientToken:         in.ClientToken,
		RequestFingerprint:  in.RequestFingerprint,
	}
	if len(svc.GWLBARNs) > 0 && len(svc.NLBARNs) == 0 {
		svc.Type = ServiceTypeGWLB
	}
	if len(svc.SupportedIPTypes) == 0 {
		svc.SupportedIPTypes = []string{"ipv4"}
	}
	svc.SupportedRegions = []SupportedRegion{{Region: w.Region, Status: "Available"}}
	for _, r := range in.SupportedRegions {
		if r != w.Region {
			svc.SupportedRegions = append(svc.SupportedRegions, SupportedRegion{Region: r, Status: "Available"})
		}
	}
	for _, arn := range svc.LoadBalancerARNs() {
		if lb := w.LoadBalancers[arn]; lb != nil {
			lb.ServiceID = id
		}
	}
	w.recomputeServiceZones(svc)
	if in.PrivateDNSName != "" {
		w.setPrivateDNSName(svc, in.PrivateDNSName)
	}
	return svc
}

// setServiceLoadBalancers replaces the service's load balancers (Modify… Add/Remove
// NetworkLoadBalancerArns), re-linking LoadBalancer.ServiceID and recomputing the zones.
func (w *World) setServiceLoadBalancers(svc *Service, nlbARNs, gwlbARNs []string) {
	for _, arn := range svc.LoadBalancerARNs() {
		if lb := w.LoadBalancers[arn]; lb != nil && lb.ServiceID == svc.ID {
			lb.ServiceID = ""
		}
	}
	svc.NLBARNs = append([]string(nil), nlbARNs...)
	svc.GWLBARNs = append([]string(nil), gwlbARNs...)
	for _, arn := range svc.LoadBalancerARNs() {
		if lb := w.LoadBalancers[arn]; lb != nil {
			lb.ServiceID = svc.ID
		}
	}
	w.recomputeServiceZones(svc)
}

// deleteService deletes an endpoint service. Every pendingAcceptance, pending or available
// connection must have been rejected first.
func (w *World) deleteService(svc *Service, now time.Time) error {
	for _, ep := range svc.Endpoints {
		if ep.Active() {
			return &TransitionError{Code: "ExistingVpcEndpointConnections",
				Message: "Service " + svc.ID + " has existing active VPC Endpoint connections!"}
		}
	}
	svc.State = ServiceDeleted
	delete(w.Services, svc.ID)
	delete(w.servicesByName, svc.Name)
	if svc.ClientToken != "" {
		delete(w.serviceTokens, svc.OwnerID+"/"+svc.ClientToken)
	}
	if i := SeekServices(w.ServiceList, svc.ID); i < len(w.ServiceList) && w.ServiceList[i] == svc {
		w.ServiceList = append(w.ServiceList[:i], w.ServiceList[i+1:]...)
	}
	for _, arn := range svc.LoadBalancerARNs() {
		if lb := w.LoadBalancers[arn]; lb != nil && lb.ServiceID == svc.ID {
			lb.ServiceID = ""
		}
	}
	for _, n := range svc.Notifications {
		delete(w.Notifications, n.ID)
	}
	if len(svc.Endpoints) > 0 {
		out := w.EndpointList[:0]
		for _, ep := range w.EndpointList {
			if ep.Service != svc {
				out = append(out, ep)
			}
		}
		clear(w.EndpointList[len(out):])
		w.EndpointList = out
	}
	_ = now
	return nil
}

// setPrivateDNSName gives the service a (new) private DNS name: a fresh token, state
// pendingVerification until a verification is started. Setting the same name is a no-op.
func (w *World) setPrivateDNSName(svc *Service, name string) {
	name = normDNS(name)
	if name == svc.PrivateDNSName && svc.DNSToken != "" {
		return
	}
	svc.PrivateDNSName = name
	svc.PrivateDNSState = DNSPendingVerification
	svc.DNSToken = w.newDNSToken()
	svc.DNSVerifyStartedAt, svc.DNSVerifyDueAt = time.Time{}, time.Time{}
}

// removePrivateDNSName removes the service's private DNS name.
func (w *World) removePrivateDNSName(svc *Service) {
	svc.PrivateDNSName, svc.PrivateDNSState, svc.DNSToken = "", "", ""
	svc.DNSVerifyStartedAt, svc.DNSVerifyDueAt = time.Time{}, time.Time{}
}

// startDNSVerification starts checking the service's TXT record: the state becomes
// pendingVerification and, DNSVerifyDelay later, verified if the world's DNS then holds
// "_<token>.<name>" = "vpce:<token>", failed otherwise.
func (w *World) startDNSVerification(svc *Service, now time.Time) error {
	if svc.PrivateDNSName == "" {
		return &TransitionError{Code: "InvalidParameter",
			Message: "Service " + svc.ID + " does not have a private DNS name."}
	}
	if svc.PrivateDNSState == DNSVerified {
		return &TransitionError{Code: "InvalidParameter",
			Message: "The private DNS name of service " + svc.ID + " is already verified."}
	}
	svc.PrivateDNSState = DNSPendingVerification
	svc.DNSVerifyStartedAt = now
	svc.DNSVerifyDueAt = now.Add(DNSVerifyDelay)
	w.at(svc.DNSVerifyDueAt, event{kind: evDNSVerify, svc: svc})
	return nil
}

// addPrincipal allows a principal on the service (idempotent; returns the entry).
func (w *World) addPrincipal(svc *Service, arn string) *Principal {
	if p := svc.Principal(arn); p != nil {
		return p
	}
	p := &Principal{ARN: arn, Type: PrincipalType(arn), ID: w.newPermissionID()}
	svc.Principals = append(svc.Principals, p)
	return p
}

// removePrincipal removes an allowed principal; existing connections are not affected.
// Reports whether it was present.
func (w *World) removePrincipal(svc *Service, arn string) bool {
	for i, p := range svc.Principals {
		if p.ARN == arn {
			svc.Principals = append(svc.Principals[:i], svc.Principals[i+1:]...)
			return true
		}
	}
	return false
}

// addNotification registers a connection notification on a service (n.ServiceID) or an
// endpoint (n.EndpointID); fills ID, State and Type.
func (w *World) addNotification(n *Notification) *Notification {
	n.ID = w.newNotificationID()
	if n.State == "" {
		n.State = "Enabled"
	}
	if n.Type == "" {
		n.Type = "Topic"
	}
	w.Notifications[n.ID] = n
	if svc := w.Services[n.ServiceID]; svc != nil {
		svc.Notifications = append(svc.Notifications, n)
	}
	return n
}

// deleteNotification removes a notification; reports whether it existed.
func (w *World) deleteNotification(id string) bool {
	n := w.Notifications[id]
	if n == nil {
		return false
	}
	delete(w.Notifications, id)
	if svc := w.Services[n.ServiceID]; svc != nil {
		for i, x := range svc.Notifications {
			if x == n {
				svc.Notifications = append(svc.Notifications[:i], svc.Notifications[i+1:]...)
				break
			}
		}
	}
	return true
}

// ---- small helpers ----------------------------------------------------------------------------

// allocIP hands out the subnet's next free private address (AWS reserves the first four).
func (s *Subnet) allocIP() string {
	span := s.size
	if span <= 5 {
		span = 256
	}
	host := 4 + s.nextHost%(span-5)
	s.nextHost++
	if s.AvailableIPs > 0 {
		s.AvailableIPs--
	}
	return formatIPv4(s.base + host)
}

func formatIPv4(v uint32) string {
	b := make([]byte, 0, 15)
	b = strconv.AppendUint(b, uint64(v>>24), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(v>>16&0xff), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(v>>8&0xff), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(v&0xff), 10)
	return string(b)
}

// parseCIDR parses "a.b.c.d/n" into the network address and the number of addresses.
func parseCIDR(cidr string) (base, size uint32, ok bool) {
	ip, bits, found := strings.Cut(cidr, "/")
	if !found {
		return 0, 0, false
	}
	n, err := strconv.Atoi(bits)
	if err != nil || n < 0 || n > 32 {
		return 0, 0, false
	}
	parts := strings.Split(ip, ".")
	if len(parts) != 4 {
		return 0, 0, false
	}
	for _, p := range parts {
		o, err := strconv.Atoi(p)
		if err != nil || o < 0 || o > 255 {
			return 0, 0, false
		}
		base = base<<8 | uint32(o)
	}
	if n == 32 {
		return base, 1, true
	}
	return base, 1 << (32 - n), true
}

// genTraffic draws an endpoint's traffic profile: a heavy-tailed mean load, bytes and
// connection churn proportional to it, a handful of noisy clients with high reset ratios.
func genTraffic(r *idSource) TrafficProfile {
	// A log-uniform mean between 1 and ~400 concurrent connections.
	mean := 1.0
	for x := r.float() * 6; x > 0; x -= 1 {
		mean *= 1 + 1.7*min(x, 1)
	}
	p := TrafficProfile{
		MeanActive:       mean,
		BytesPerSec:      mean * (2000 + 48000*r.float()),
		NewConnsPerSec:   mean / (30 + 570*r.float()),
		ResetRatio:       0.002 + 0.02*r.float(),
		DiurnalPhase:     12 + 8*r.float(),
		DiurnalAmplitude: 0.2 + 0.4*r.float(),
		Noise:            r.r.Uint64(),
	}
	if r.float() < 0.05 {
		p.ResetRatio = 0.15 + 0.2*r.float()
	}
	return p
}
