// Package awsops is plconsole's AWS boundary: it owns the aws-sdk-go-v2 clients for EC2,
// ELBv2, CloudWatch and STS and turns their answers into model types. Pagination, batching,
// retries, the read-only and dry-run guards, the API-call log, the audit log and the mapping
// of AWS errors to readable sentences all live here, so nothing above this package imports
// an SDK service package.
package awsops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// Defaults used when Config leaves a knob at zero.
const (
	DefaultMaxAttempts  = 3
	DefaultCallTimeout  = 30 * time.Second
	DefaultConcurrency  = 8
	DefaultAPILogBytes  = 8 << 20 // some 50,000 calls
	demoAccessKeyID     = "AKIAPLCONSOLEDEMOSIMU"
	demoSecretAccessKey = "plconsole-demo-secret-not-a-real-key"
)

// Config says which AWS identity and region to act as, and how carefully.
type Config struct {
	Profile     string // shared config profile; empty: the SDK's default chain (AWS_PROFILE, env, SSO, IMDS…)
	Region      string // empty: from the profile or AWS_REGION
	EndpointURL string // custom endpoint for every service (the simulated region); empty: AWS_ENDPOINT_URL or AWS
	ReadOnly    bool   // every write fails with model.ErrReadOnly before any request is sent
	DryRun      bool   // every write is sent with DryRun=true and reported as *model.DryRunResult
	MaxAttempts int    // attempts per call, including the first (standard retry mode); 0: 3
	CallTimeout time.Duration
	APILogFile  string // optional: every API call is also appended to this file as a JSON line
	AuditDir    string // directory of audit.jsonl; empty: $XDG_STATE_HOME/plconsole
	Demo        bool   // talking to the simulated region; the badge says DEMO

	// StaticAccessKey, when set, signs requests with this access key id (and a dummy
	// secret) instead of the profile's credentials, while Profile stays the label shown.
	// The simulated region picks the caller's account from it; never set it for real AWS.
	StaticAccessKey string

	// Concurrency bounds fan-out reads (target health, load balancer details); 0: 8.
	Concurrency int
	// RetryMaxBackoff caps the standard retryer's backoff; 0: the SDK default (20 s).
	RetryMaxBackoff time.Duration
	// APILogBytes bounds the in-memory API-call log by size, not count; 0: 8 MiB.
	APILogBytes int
}

// Client is plconsole's handle on AWS. Its methods are safe for concurrent use; switching
// profile or region swaps every SDK client and every cached result at once.
type Client struct {
	cfg   Config
	calls *callLog
	audit *auditLog

	mu     sync.RWMutex
	sess   *session
	pinned string // the region the user chose (Config.Region, a region switch); "": the profile's

	switches switchQueue
}

// session is everything that belongs to one identity in one region: the SDK clients and the
// results cached for it. Replacing the session drops the caches with it.
type session struct {
	profile  string
	region   string
	endpoint string
	identity model.Identity

	ec2 ec2API
	elb elbAPI
	cw  cloudWatchAPI
	sts stsAPI

	http *httpClient

	lbMu    sync.Mutex
	lbCache map[string]lbDetails // load balancer ARN → listeners and attributes

	instanceAZs instanceAZCache // instance id → AZ (loadbalancers.go)
	strings     interner        // one copy of each repeated string the reads decode (intern.go)

	zones []model.AvailabilityZone // the region probe's answer (probeRegion); nil: not read
}

// New loads the AWS configuration (profile, region, endpoint, credentials), builds the SDK
// clients, asks STS who the caller is and makes one EC2 read to prove the region answers
// (probeRegion): two requests. The returned client is ready for use.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.APILogBytes <= 0 {
		cfg.APILogBytes = DefaultAPILogBytes
	}
	calls, err := newCallLog(cfg.APILogBytes, cfg.APILogFile)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, calls: calls, audit: newAuditLog(cfg.AuditDir), pinned: cfg.Region}
	c.switches.init()
	sess, err := c.newSession(ctx, cfg.Profile, cfg.Region)
	if err != nil {
		calls.close()
		return nil, err
	}
	c.sess = sess
	return c, nil
}

// Close releases the API-call log and audit log files.
func (c *Client) Close() error {
	if s := c.session(); s != nil {
		s.http.close()
	}
	return errors.Join(c.calls.close(), c.audit.close())
}

// Identity is who the console acts as, and where.
func (c *Client) Identity() model.Identity { return c.session().identity }

// Mode is the badge the header shows: READ-ONLY and DRY-RUN win over DEMO and LIVE.
func (c *Client) Mode() model.Mode {
	switch {
	case c.cfg.ReadOnly:
		return model.ModeReadOnly
	case c.cfg.DryRun:
		return model.ModeDryRun
	case c.cfg.Demo:
		return model.ModeDemo
	}
	return model.ModeLive
}

// SwitchProfile acts as another shared-config profile from now on, in the current region.
// Every client and every cached result of the old identity is dropped; on failure the old
// session stays in place. It returns the identity of the session it installed.
func (c *Client) SwitchProfile(ctx context.Context, profile string) (model.Identity, error) {
	return c.switchSession(ctx, switchProfile, profile)
}

// SwitchRegion acts in another region from now on, with the same rules as SwitchProfile.
func (c *Client) SwitchRegion(ctx context.Context, region string) (model.Identity, error) {
	return c.switchSession(ctx, switchRegion, region)
}

type switchKind int

const (
	switchProfile switchKind = iota
	switchRegion
)

// switchQueue runs switches one at a time in the order they were asked for, so overlapping
// switches cannot leave the client in an older request's session: each builds on the session
// the one before it installed ("profile prod" then "region eu-west-1" ends in prod,
// eu-west-1), and a switch that a later one of the same kind replaces is skipped.
type switchQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	next    uint64          // tickets handed out
	serving uint64          // the last ticket whose turn is over
	latest  [2]uint64       // the newest ticket of each kind
	skipped map[uint64]bool // tickets whose callers gave up before their turn
}

func (q *switchQueue) init() { q.cond = sync.NewCond(&q.mu) }

func (c *Client) switchSession(ctx context.Context, kind switchKind, value string) (model.Identity, error) {
	q := &c.switches
	q.mu.Lock()
	q.next++
	ticket := q.next
	q.latest[kind] = ticket
	// wake the waiters when the caller gives up, so a cancelled switch leaves the queue
	stop := context.AfterFunc(ctx, func() { q.mu.Lock(); q.cond.Broadcast(); q.mu.Unlock() })
	defer stop()
	for q.serving+1 != ticket {
		if ctx.Err() != nil {
			// leave the line: the turn passes over this ticket when it comes
			q.skip(ticket)
			q.mu.Unlock()
			return model.Identity{}, ctx.Err()
		}
		q.cond.Wait()
	}
	superseded := q.latest[kind] != ticket
	q.mu.Unlock()
	defer q.done(ticket)
	if superseded {
		return model.Identity{}, model.ErrSwitchSuperseded
	}
	if err := ctx.Err(); err != nil {
		return model.Identity{}, err
	}
	cur := c.session()
	profile, region := cur.profile, cur.region
	if kind == switchProfile {
		// a profile brings its own region unless the user chose one (--region, config,
		// or an earlier region switch)
		profile, region = value, c.pinnedRegion()
	} else {
		region = value
	}
	sess, err := c.newSession(ctx, profile, region)
	if err != nil {
		return model.Identity{}, err
	}
	c.swap(sess)
	if kind == switchRegion {
		c.pinRegion(value)
	}
	return sess.identity, nil
}

// pinnedRegion is the region the user chose ("" when it comes from the profile).
func (c *Client) pinnedRegion() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.pinned
}

func (c *Client) pinRegion(r string) {
	c.mu.Lock()
	c.pinned = r
	c.mu.Unlock()
}

// skip records that a ticket left the line; the caller holds q.mu.
func (q *switchQueue) skip(ticket uint64) {
	if q.skipped == nil {
		q.skipped = map[uint64]bool{}
	}
	q.skipped[ticket] = true
	q.advance()
}

// done ends a ticket's turn.
func (q *switchQueue) done(ticket uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.serving = ticket
	q.advance()
	q.cond.Broadcast()
}

// advance passes the turn over tickets whose callers left the line; the caller holds q.mu.
func (q *switchQueue) advance() {
	for q.skipped[q.serving+1] {
		delete(q.skipped, q.serving+1)
		q.serving++
	}
	q.cond.Broadcast()
}

func (c *Client) session() *session {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.sess
}

func (c *Client) swap(s *session) {
	c.mu.Lock()
	old := c.sess
	c.sess = s
	c.mu.Unlock()
	if old != nil {
		old.http.close() // calls still running on it finish; their connections then close
	}
}

// newSession builds the SDK clients for one profile and region and resolves the caller.
func (c *Client) newSession(ctx context.Context, profile, region string) (*session, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(awshttp.NewBuildableClient()),
		// The SDK logs warnings to stderr by default, which would draw over the console's
		// screen; what matters about each call is in the API-call log instead.
		config.WithLogger(logging.Nop{}),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = c.cfg.MaxAttempts
				if c.cfg.RetryMaxBackoff > 0 {
					o.MaxBackoff = c.cfg.RetryMaxBackoff
				}
			})
		}),
	}
	static := c.cfg.StaticAccessKey != "" && profile == c.cfg.Profile
	if profile != "" && !static {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if c.cfg.EndpointURL != "" {
		opts = append(opts, config.WithBaseEndpoint(c.cfg.EndpointURL))
	}
	switch {
	case static:
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.cfg.StaticAccessKey, demoSecretAccessKey, "")))
	case c.cfg.Demo && profile == "":
		// The simulated region accepts any signature; fixed keys keep the demo independent of
		// whatever credentials the machine has (and never send real ones to it).
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(demoAccessKeyID, demoSecretAccessKey, "")))
	}
	if c.cfg.Demo && region == "" {
		opts = append(opts, config.WithDefaultRegion("us-east-1"))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration for profile %q: %w", profileLabel(profile), err)
	}
	hc := newHTTPClient(awsCfg.HTTPClient, c.cfg.Concurrency)
	awsCfg.HTTPClient = hc
	if awsCfg.Region == "" {
		hc.close()
		return nil, fmt.Errorf("no AWS region for profile %q: pass --region, set AWS_REGION, or set region in the profile", profileLabel(profile))
	}
	endpoint := c.cfg.EndpointURL
	if endpoint == "" && awsCfg.BaseEndpoint != nil {
		endpoint = *awsCfg.BaseEndpoint // AWS_ENDPOINT_URL or endpoint_url in the profile
	}
	setEndpoint := func(p **string) {
		if endpoint != "" {
			*p = aws.String(endpoint)
		}
	}
	s := &session{
		profile:  profile,
		region:   awsCfg.Region,
		endpoint: endpoint,
		http:     hc,
		lbCache:  map[string]lbDetails{},
	}
	s.ec2 = ec2.NewFromConfig(awsCfg, func(o *ec2.Options) {
		setEndpoint(&o.BaseEndpoint)
		o.APIOptions = append(o.APIOptions, c.stackOptions(svcEC2))
	})
	s.elb = elb.NewFromConfig(awsCfg, func(o *elb.Options) {
		setEndpoint(&o.BaseEndpoint)
		o.APIOptions = append(o.APIOptions, c.stackOptions(svcELB))
	})
	s.cw = cloudwatch.NewFromConfig(awsCfg, func(o *cloudwatch.Options) {
		setEndpoint(&o.BaseEndpoint)
		o.APIOptions = append(o.APIOptions, c.stackOptions(svcCloudWatch))
	})
	s.sts = sts.NewFromConfig(awsCfg, func(o *sts.Options) {
		setEndpoint(&o.BaseEndpoint)
		o.APIOptions = append(o.APIOptions, c.stackOptions(svcSTS))
	})
	if _, err := awsCfg.Credentials.Retrieve(ctx); err != nil {
		hc.close()
		return nil, noCredentials(profile, err)
	}
	out, err := s.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		hc.close()
		if endpoint == "" && isUnknownHost(err) && !model.IsKnownRegion(awsCfg.Region) {
			return nil, fmt.Errorf("unknown region %q: AWS has no endpoint for it (check --region, AWS_REGION or the profile's region; regions look like us-east-1 or eu-west-2)", awsCfg.Region)
		}
		return nil, c.mapError("GetCallerIdentity", err)
	}
	s.identity = model.Identity{
		Account:   aws.ToString(out.Account),
		ARN:       aws.ToString(out.Arn),
		UserID:    aws.ToString(out.UserId),
		Profile:   effectiveProfile(profile),
		Region:    awsCfg.Region,
		Endpoint:  endpoint,
		Simulated: c.cfg.Demo,
	}
	if err := c.probeRegion(ctx, s); err != nil {
		hc.close()
		return nil, err
	}
	return s, nil
}

// noCredentials says where credentials are looked for, for someone who has none set up.
func noCredentials(profile string, err error) error {
	return fmt.Errorf("no AWS credentials found for profile %q: plconsole looks where the AWS CLI does — "+
		"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the shared files ~/.aws/credentials and ~/.aws/config "+
		"(keys, an SSO session: run aws sso login, or a role to assume), and the instance or container role. "+
		"Set one of them up, or try plconsole --demo, which needs no account (%v)", profileLabel(profile), rootCause(err))
}

// isUnknownHost says whether a call failed because its endpoint's name does not resolve.
func isUnknownHost(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// probeRegion makes the session's one EC2 read, DescribeAvailabilityZones, before the
// session is used. STS answers from any region, so a caller can be known while EC2 in the
// region refuses it (a region not enabled for the account, credentials scoped elsewhere, an
// endpoint that serves another region) or cannot be reached; a session there would only
// fail on every read. Those refusals fail the session, so New fails and a switch keeps the
// old session. Other failures (throttling, a policy without this read, AWS having a bad
// moment) do not: the console's own reads will report what is wrong. The zones it read are
// kept for AvailabilityZones, so the probe is not an extra request for a session that
// needs them. Cost: with GetCallerIdentity, the fixed two requests of every session.
func (c *Client) probeRegion(ctx context.Context, s *session) error {
	const op = "DescribeAvailabilityZones"
	out, err := s.ec2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err == nil {
		s.zones = zonesFromSDK(out.AvailabilityZones)
		return nil
	}
	mapped := c.mapError(op, err)
	var ae *model.AWSError
	if !errors.As(mapped, &ae) || !refusesRegion(ae.Code) {
		return nil
	}
	return fmt.Errorf("region %s is not usable with profile %q: %w",
		s.region, profileLabel(s.profile), mapped)
}

// refusesRegion says whether an error code of the probe means nothing in the region will
// work for this identity.
func refusesRegion(code string) bool {
	switch code {
	case "AuthFailure", "OptInRequired", "InvalidClientTokenId", "UnrecognizedClientException",
		"SignatureDoesNotMatch", "MissingAuthenticationToken", "ExpiredToken", "RequestExpired",
		"NetworkError":
		return true
	}
	return false
}

// stackOptions adds plconsole's middleware to every operation of one service client.
func (c *Client) stackOptions(service string) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return c.addMiddleware(st, service)
	}
}

func effectiveProfile(p string) string {
	if p != "" {
		return p
	}
	if env := os.Getenv("AWS_PROFILE"); env != "" {
		return env
	}
	if env := os.Getenv("AWS_DEFAULT_PROFILE"); env != "" {
		return env
	}
	return "default"
}

func profileLabel(p string) string { return effectiveProfile(strings.TrimSpace(p)) }

// concurrency is how many fan-out reads run at once.
func (c *Client) concurrency() int { return c.cfg.Concurrency }
