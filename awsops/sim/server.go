// Package sim is plconsole's simulated PrivateLink region: one http.Handler that speaks the
// real AWS wire protocols (EC2 Query, ELBv2 and STS AWS Query, CloudWatch Smithy RPC v2 CBOR
// and AWS JSON 1.0) over a loopback listener, backed by a living, deterministic world.
// The unchanged aws-sdk-go-v2 clients and the AWS CLI talk to it; only the endpoint differs.
package sim

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Service names as they appear in the SigV4 credential scope.
const (
	svcEC2        = "ec2"
	svcELB        = "elasticloadbalancing"
	svcCloudWatch = "monitoring"
	svcSTS        = "sts"
)

// maxBodyBytes bounds a request body; real AWS query requests are far smaller.
const maxBodyBytes = 8 << 20

// Options configures a simulated region.
type Options struct {
	World  WorldConfig
	Clock  Clock // nil: the wall clock
	Faults FaultConfig
	// Regions are more regions served on the same endpoint, each with a world of its own
	// generated like World (another seed, the same provider account). A request goes to the
	// region its signature is scoped to, as AWS's regional endpoints would take it.
	Regions []string
}

// handler serves one operation. See PLAN of the package in server.go's Call.
type handler func(c *Call) (any, error)

// Call is one decoded request on its way to an operation handler.
type Call struct {
	Service   string
	Action    string
	Account   *Account
	Params    Params         // query protocols (EC2, ELBv2, STS)
	Doc       map[string]any // CloudWatch input, decoded from CBOR or JSON
	RequestID string
	Now       time.Time
	DryRun    bool
	protocol  protocol
}

// Server is the simulated region.
type Server struct {
	world  *World
	clock  Clock
	faults *Faults
	stats  *Stats
	ops    map[string]map[string]handler
	reqSeq atomic.Uint64
}

// New builds a simulated region with its world generated from opts (opts.Regions aside:
// Start serves those).
func New(opts Options) *Server { return newServer(opts, nil) }

// newServer builds a region; faults, when given, are shared with other regions of the
// same endpoint so one fault setting applies to all.
func newServer(opts Options, faults *Faults) *Server {
	clock := opts.Clock
	if clock == nil {
		clock = RealClock{}
	}
	cfg := opts.World
	if cfg.Start.IsZero() {
		cfg.Start = clock.Now()
	}
	if faults == nil {
		faults = NewFaults(opts.Faults, cfg.Seed)
	}
	s := &Server{
		world:  NewWorld(cfg),
		clock:  clock,
		faults: faults,
		stats:  newStats(),
		ops:    map[string]map[string]handler{},
	}
	s.registerEC2()
	s.registerELB()
	s.registerSTS()
	s.registerCloudWatch()
	return s
}

// World is the simulated world; lock World.mu to read or change it directly.
func (s *Server) World() *World { return s.world }

// Faults are the run-time fault knobs.
func (s *Server) Faults() *Faults { return s.faults }

// Clock is the clock the world runs on.
func (s *Server) Clock() Clock { return s.clock }

// Stats returns a snapshot of the request counters.
func (s *Server) Stats() StatsSnapshot { return s.stats.snapshot() }

// ResetStats zeroes the request counters (tests count the requests of one action).
func (s *Server) ResetStats() { s.stats.reset() }

func (s *Server) handle(service, action string, h handler) {
	m := s.ops[service]
	if m == nil {
		m = map[string]handler{}
		s.ops[service] = m
	}
	m[action] = h
}

// Operations lists the registered operations per service (for docs and tests).
func (s *Server) Operations() map[string][]string {
	out := map[string][]string{}
	for svc, m := range s.ops {
		for op := range m {
			out[svc] = append(out[svc], op)
		}
	}
	return out
}

// newRequestID makes a UUID-shaped request id, unique within the process. The counter is
// mixed (splitmix64) so ids differ from their first characters, as AWS's do, and stay
// distinguishable when a narrow log column shows only their start.
func (s *Server) newRequestID() string {
	n := s.reqSeq.Add(1)
	var b [16]byte
	hi, lo := splitmix64(n), splitmix64(n^0x9e3779b97f4a7c15)
	for i := 0; i < 8; i++ {
		b[i], b[8+i] = byte(hi>>(56-8*i)), byte(lo>>(56-8*i))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// ServeHTTP routes a request to the operation it names, after authentication and faults.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveControl(w, r)
		return
	}
	reqID := s.newRequestID()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		http.Error(w, "reading request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > maxBodyBytes {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	call, perr := s.decode(r, body)
	call.RequestID = reqID
	if perr != nil {
		s.stats.record(call.Service, call.Action, outcomeError)
		s.writeError(w, call, perr)
		return
	}
	// A dropped connection is decided before any work, as a network fault would be.
	if s.faults.drop(call.Action) {
		s.stats.record(call.Service, call.Action, outcomeDropped)
		closeWithoutReply(w)
		return
	}
	if d := s.faults.latency(call.Action); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if s.faults.unimplemented(call.Action) {
		s.stats.record(call.Service, call.Action, outcomeError)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=utf-8><title>500 Internal Server Error</title></head>\n"+
			"<body><h1>Internal Server Error</h1><p>%s is not implemented.</p></body></html>\n", html.EscapeString(call.Action))
		return
	}
	if s.faults.throttle(call.Action) {
		s.stats.record(call.Service, call.Action, outcomeThrottled)
		s.writeError(w, call, throttleErr(call.Service))
		return
	}
	if s.faults.serverError(call.Action) {
		s.stats.record(call.Service, call.Action, outcomeError)
		s.writeError(w, call, internalErr(call.Service))
		return
	}
	h := s.ops[call.Service][call.Action]
	if h == nil {
		s.stats.record(call.Service, call.Action, outcomeError)
		s.writeError(w, call, errUnknownOperation(call.Service, call.Action))
		return
	}
	now := s.clock.Now()
	call.Now = now
	s.world.mu.Lock()
	s.world.Advance(now)
	s.world.mu.Unlock()

	out, herr := h(call)
	// A lost reply is decided after the work: whatever the call changed stays changed (a
	// read whose reply is lost is only a dropped connection, which drop covers).
	if isChange(call.Action) && s.faults.lostReply(call.Action) {
		s.stats.record(call.Service, call.Action, outcomeDropped)
		closeWithoutReply(w)
		return
	}
	if herr != nil {
		var ae *APIError
		if errors.As(herr, &ae) && ae.Code == "DryRunOperation" {
			s.stats.record(call.Service, call.Action, outcomeOK)
		} else {
			s.stats.record(call.Service, call.Action, outcomeError)
		}
		s.writeError(w, call, herr)
		return
	}
	s.stats.record(call.Service, call.Action, outcomeOK)
	s.writeResult(w, call, out)
}

// isChange says whether an operation changes anything (the lost-reply fault is about those:
// a read whose reply is lost is only a dropped connection).
func isChange(action string) bool {
	for _, read := range []string{"Describe", "Get", "List"} {
		if strings.HasPrefix(action, read) {
			return false
		}
	}
	return true
}

// closeWithoutReply closes the client's connection with nothing written.
func closeWithoutReply(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// decode authenticates the request and decodes it for its protocol.
func (s *Server) decode(r *http.Request, body []byte) (*Call, error) {
	c := &Call{}
	akid, scopeRegion, scopeService, ok := parseSigV4(r.Header.Get("Authorization"))
	// Route before authenticating, so even an unsigned request gets an error in its own protocol.
	switch {
	case strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor"):
		c.Service, c.protocol = svcCloudWatch, protoCBOR
		c.Action = r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), cloudWatchTarget+"."):
		c.Service, c.protocol = svcCloudWatch, protoJSON
		c.Action = strings.TrimPrefix(r.Header.Get("X-Amz-Target"), cloudWatchTarget+".")
	default:
		c.Service = scopeService
		switch scopeService {
		case svcEC2:
			c.protocol = protoEC2
		case svcCloudWatch:
			c.protocol = protoQuery
		default:
			c.protocol = protoQuery
		}
	}
	if !ok {
		if c.Service == "" {
			c.Service, c.protocol = svcEC2, protoEC2
		}
		return c, apiErr(http.StatusForbidden, "MissingAuthenticationToken",
			"Request is missing Authentication Token: sign it with AWS Signature Version 4 (any credentials work against the simulated region).")
	}
	switch c.Service {
	case svcEC2, svcELB, svcSTS, svcCloudWatch:
	default:
		c.Service, c.protocol = svcEC2, protoEC2
		return c, apiErr(http.StatusBadRequest, "UnrecognizedClientException",
			"The simulated region serves ec2, elasticloadbalancing, monitoring and sts; the request was signed for %q.", scopeService)
	}
	c.Account = s.world.AccountForAccessKey(akid)
	// One simulated region: a request signed for another region would reach a different
	// endpoint in AWS, so it is refused here rather than answered with this region's world.
	// STS is answered from any region, as its regional endpoints all know the caller.
	if c.Service != svcSTS && scopeRegion != s.world.Region {
		return c, apiErr(http.StatusUnauthorized, "AuthFailure",
			"Credential should be scoped to a valid region, not '%s': the simulated region serves %s only.", scopeRegion, s.world.Region)
	}

	switch c.protocol {
	case protoEC2, protoQuery:
		p, err := decodeQueryForm(body)
		if err != nil {
			return c, err
		}
		c.Params = p
		action, _ := p.String("Action")
		c.Action = action
		if action == "" {
			return c, apiErr(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action.")
		}
		if c.Service == svcCloudWatch {
			return c, apiErr(http.StatusBadRequest, "InvalidAction",
				"The simulated region serves CloudWatch over Smithy RPC v2 CBOR and AWS JSON 1.0, not the Query protocol.")
		}
		if c.Service == svcEC2 {
			dry, err := p.Bool("DryRun")
			if err != nil {
				return c, err
			}
			c.DryRun = dry != nil && *dry
		}
	case protoCBOR:
		doc, err := decodeCBORDocument(body)
		if err != nil {
			return c, err
		}
		c.Doc = doc
	case protoJSON:
		doc, err := decodeJSONDocument(body)
		if err != nil {
			return c, err
		}
		c.Doc = doc
	}
	return c, nil
}

// parseSigV4 extracts the access key id and the credential scope's region and service from a
// SigV4 Authorization header: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, …".
// The signature itself is not checked: the simulated region accepts any credentials.
func parseSigV4(h string) (akid, region, service string, ok bool) {
	rest, found := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !found {
		return "", "", "", false
	}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		cred, isCred := strings.CutPrefix(part, "Credential=")
		if !isCred {
			continue
		}
		fields := strings.Split(cred, "/")
		if len(fields) != 5 || fields[0] == "" || fields[4] != "aws4_request" {
			return "", "", "", false
		}
		return fields[0], fields[2], fields[3], true
	}
	return "", "", "", false
}

// Running is a simulated region serving on a listener.
type Running struct {
	URL    string
	Server *Server
	// Regions are every region served, Server's included, by name.
	Regions map[string]*Server
	srv     *http.Server
	ln      net.Listener
	once    sync.Once
	done    chan struct{}
}

// Start serves a new simulated region on addr ("" picks a free loopback port).
func Start(addr string, opts Options) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulated region: listen on %s: %w", addr, err)
	}
	primary := New(opts)
	if len(opts.Regions) == 0 {
		return Serve(ln, primary), nil
	}
	regions := map[string]*Server{primary.world.Region: primary}
	for i, name := range opts.Regions {
		if _, dup := regions[name]; dup {
			ln.Close()
			return nil, fmt.Errorf("simulated region: %s is served twice", name)
		}
		if _, ok := commercialRegions[name]; !ok {
			ln.Close()
			return nil, fmt.Errorf("simulated region: %q is not an AWS region", name)
		}
		o := opts
		o.World.Region = name
		o.World.Seed = opts.World.Seed + int64(i+1)*7919
		o.Regions = nil
		regions[name] = newServer(o, primary.faults)
	}
	r := serve(ln, primary, regionRouter{primary: primary, regions: regions})
	r.Regions = regions
	return r, nil
}

// regionRouter sends each request to the region its signature is scoped to; STS (which
// answers in any region), the control endpoints and unknown regions go to the primary region,
// which refuses a region it does not serve as AWS would.
type regionRouter struct {
	primary *Server
	regions map[string]*Server
}

func (rr regionRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, region, service, ok := parseSigV4(r.Header.Get("Authorization"))
	if s, found := rr.regions[region]; ok && found && service != svcSTS {
		s.ServeHTTP(w, r)
		return
	}
	rr.primary.ServeHTTP(w, r)
}

// Serve serves s on ln until Close.
func Serve(ln net.Listener, s *Server) *Running {
	r := serve(ln, s, s)
	r.Regions = map[string]*Server{s.world.Region: s}
	return r
}

func serve(ln net.Listener, s *Server, h http.Handler) *Running {
	r := &Running{
		URL:    "http://" + ln.Addr().String(),
		Server: s,
		srv:    &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		ln:     ln,
		done:   make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		_ = r.srv.Serve(ln)
	}()
	return r
}

// Close stops serving and waits for the serve loop to end.
func (r *Running) Close() error {
	var err error
	r.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = r.srv.Shutdown(ctx)
		<-r.done
	})
	return err
}

// serveControl answers the simulator's own endpoints under /_sim/.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/_sim/stats" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.stats.snapshot())
	case r.URL.Path == "/_sim/stats" && r.Method == http.MethodDelete:
		s.stats.reset()
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/_sim/faults" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.faults.Config())
	case r.URL.Path == "/_sim/faults" && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		var cfg FaultConfig
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "fault settings must be JSON like " +
				`{"throttleRatio":0.3,"latencyMs":50,"serverErrorRatio":0.01,"dropRatio":0,"lostReplyRatio":0}: ` + err.Error()})
			return
		}
		if err := cfg.Validate(); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		s.faults.Set(cfg)
		writeJSON(w, http.StatusOK, s.faults.Config())
	case r.URL.Path == "/_sim/dns" && (r.Method == http.MethodPut || r.Method == http.MethodPost || r.Method == http.MethodDelete):
		s.serveDNSControl(w, r)
	case r.URL.Path == "/_sim/dns" && r.Method == http.MethodGet:
		s.world.mu.RLock()
		recs := s.world.TXTRecords()
		s.world.mu.RUnlock()
		writeJSON(w, http.StatusOK, recs)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown simulator endpoint; try GET /_sim/stats, GET|PUT /_sim/faults, GET|PUT|DELETE /_sim/dns"})
	}
}

// serveDNSControl publishes or removes a TXT record in the simulated world's DNS:
// {"name":"_abc.api.example.com","value":"vpce:abc"}.
func (s *Server) serveDNSControl(w http.ResponseWriter, r *http.Request) {
	var rec struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil || rec.Name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `a TXT record must be JSON like {"name":"_token.api.example.com","value":"vpce:token"}`})
		return
	}
	s.world.mu.Lock()
	if r.Method == http.MethodDelete {
		s.world.RemoveTXT(rec.Name, rec.Value)
	} else {
		s.world.PublishTXT(rec.Name, rec.Value)
	}
	recs := s.world.TXTRecords()
	s.world.mu.Unlock()
	writeJSON(w, http.StatusOK, recs)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// AccountSummary describes one account of the world for people: who it is, the access key
// that selects it, and (for a consumer) the services it may connect to.
type AccountSummary struct {
	ID        string
	Name      string
	AccessKey string
	Provider  bool
	Services  []string // name tag (or id) of each service whose principals allow the account
}

// Accounts summarises the world's accounts, provider first.
func (s *Server) Accounts() []AccountSummary {
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]AccountSummary, 0, len(w.AccountList))
	for _, a := range w.AccountList {
		sum := AccountSummary{ID: a.ID, Name: a.Name, AccessKey: AccessKeyFor(a.ID), Provider: a.Provider}
		if !a.Provider {
			for _, svc := range w.ServiceList {
				if svc.AllowsAccount(a.ID) {
					label := svc.NameTag()
					if label == "" {
						label = svc.ID
					}
					sum.Services = append(sum.Services, label)
				}
			}
		}
		out = append(out, sum)
	}
	return out
}
