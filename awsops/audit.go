package awsops

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/adrg/xdg"

	"github.com/plconsole/plconsole/model"
)

// AuditFileName is the audit log's file name inside its directory.
const AuditFileName = "audit.jsonl"

// Audit phases: a write that is sent has an attempt line before it leaves and an outcome
// line once it is answered (or failed), paired by WriteID; a process that dies between the two
// leaves the attempt on record. A write refused before sending has its outcome line only.
const (
	AuditAttempt = "attempt"
	AuditOutcome = "outcome"
)

// Audit results.
const (
	AuditOK           = "ok"
	AuditPartial      = "partial"      // a bulk action where some items failed and some succeeded
	AuditFailed       = "failed"       // AWS (or the network) refused the write
	AuditRefused      = "refused"      // refused before sending: read-only mode or a client-side check
	AuditDryRunOK     = "dry-run-ok"   // DryRun=true and AWS said it would succeed
	AuditDryRunFailed = "dry-run-fail" // DryRun=true and AWS said it would not
)

// AuditEntry is one line of the audit log: a write attempt and its outcome. It never holds
// credentials, only the caller's ARN.
type AuditEntry struct {
	Time       time.Time `json:"time"`
	WriteID    string    `json:"writeId"` // pairs a write's attempt and outcome lines
	Phase      string    `json:"phase"`   // AuditAttempt or AuditOutcome
	Mode       string    `json:"mode"`
	CallerARN  string    `json:"callerArn"`
	Account    string    `json:"account"`
	Profile    string    `json:"profile"`
	Region     string    `json:"region"`
	Operation  string    `json:"operation"` // IAM action, e.g. ec2:AcceptVpcEndpointConnections
	Targets    []string  `json:"targets"`
	Result     string    `json:"result,omitempty"`    // outcome lines only
	Succeeded  []string  `json:"succeeded,omitempty"` // ids that succeeded in a bulk action
	Failed     []string  `json:"failed,omitempty"`    // ids that failed in a bulk action
	ErrorCode  string    `json:"errorCode,omitempty"`
	Error      string    `json:"error,omitempty"`
	RequestIDs []string  `json:"requestIds,omitempty"`
	// Reason is why the write was made when something decided it for the user: the
	// approval policy's rule (model.WithAuditReason).
	Reason string `json:"reason,omitempty"`
}

// auditLog appends AuditEntry lines to <dir>/audit.jsonl, opened on the first write.
type auditLog struct {
	dir      string
	mu       sync.Mutex
	file     *os.File
	path     string
	idPrefix string
	seq      uint64
}

func newAuditLog(dir string) *auditLog { return &auditLog{dir: dir, idPrefix: auditIDPrefix()} }

// auditIDPrefix makes write ids unique across the runs that append to one file.
func auditIDPrefix() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%x", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

// nextID is the next write's id.
func (a *auditLog) nextID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	return fmt.Sprintf("%s-%d", a.idPrefix, a.seq)
}

// open makes sure the file is open; a write is not sent when its audit line cannot be written.
func (a *auditLog) open() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.file != nil {
		return nil
	}
	dir := a.dir
	if dir == "" {
		dir = filepath.Join(xdg.StateHome, "plconsole")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	path := filepath.Join(dir, AuditFileName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	// An older file may have been created with a wider mode; the log names accounts and ARNs.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("audit log: %w", err)
	}
	a.file, a.path = f, path
	return nil
}

func (a *auditLog) write(e AuditEntry) error {
	if err := a.open(); err != nil {
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.file.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("audit log %s: %w", a.path, err)
	}
	return nil
}

func (a *auditLog) close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.file == nil {
		return nil
	}
	err := a.file.Close()
	a.file = nil
	return err
}

// AuditPath is where the audit log is (or will be) written.
func (c *Client) AuditPath() string {
	dir := c.cfg.AuditDir
	if dir == "" {
		dir = filepath.Join(xdg.StateHome, "plconsole")
	}
	return filepath.Join(dir, AuditFileName)
}

// writeOutcome is what a write reports to the audit log besides its error.
type writeOutcome struct {
	requestIDs []string
	succeeded  []string // ids of items that succeeded in a bulk action
	failed     []string // ids of items that failed in a bulk action (an item or its whole request)
}

// doWrite runs one write through the guards and the audit log:
//   - read-only: refused here, before any request exists (the middleware is the second guard);
//   - an attempt line must reach the audit log before the write is sent, or nothing is sent;
//   - the error is mapped (dry-run verdicts become *model.DryRunResult);
//   - an outcome line records what happened.
func (c *Client) doWrite(op string, targets []string, send func(s *session) (writeOutcome, error)) error {
	return c.doWriteFor("", op, targets, send)
}

// doWriteFor is doWrite with the reason the audit line records (model.AuditReason).
func (c *Client) doWriteFor(reason, op string, targets []string, send func(s *session) (writeOutcome, error)) error {
	s := c.session()
	entry := AuditEntry{
		Time:      time.Now().UTC(),
		WriteID:   c.audit.nextID(),
		Phase:     AuditOutcome,
		Mode:      string(c.Mode()),
		CallerARN: s.identity.ARN,
		Account:   s.identity.Account,
		Profile:   s.identity.Profile,
		Region:    s.identity.Region,
		Operation: iamActionFor(op),
		Targets:   append([]string{}, targets...),
		Reason:    reason,
	}
	if c.cfg.ReadOnly {
		err := fmt.Errorf("%s: %w", op, model.ErrReadOnly)
		entry.Result, entry.Error = AuditRefused, err.Error()
		return errors.Join(err, c.audit.write(entry))
	}
	attempt := entry
	attempt.Phase = AuditAttempt
	if err := c.audit.write(attempt); err != nil {
		return fmt.Errorf("%s was not sent because the audit log cannot be written: %w", op, err)
	}
	out, sendErr := send(s)
	entry.Time = time.Now().UTC()
	err := c.writeError(op, sendErr)
	entry.RequestIDs = out.requestIDs
	entry.Succeeded = out.succeeded
	entry.Failed = out.failed
	entry.Result = auditResult(err, out)
	if err != nil {
		entry.Error = err.Error()
		var ae *model.AWSError
		var dr *model.DryRunResult
		switch {
		case errors.As(err, &dr):
			if dr.RequestID != "" {
				entry.RequestIDs = append(entry.RequestIDs, dr.RequestID)
			}
			if errors.As(dr.Err, &ae) {
				entry.ErrorCode = ae.Code
			}
		case errors.As(err, &ae):
			entry.ErrorCode = ae.Code
			if ae.RequestID != "" {
				entry.RequestIDs = append(entry.RequestIDs, ae.RequestID)
			}
		}
	}
	if aerr := c.audit.write(entry); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

func auditResult(err error, out writeOutcome) string {
	var dr *model.DryRunResult
	switch {
	case errors.As(err, &dr) && dr.WouldSucceed:
		return AuditDryRunOK
	case errors.As(err, &dr):
		return AuditDryRunFailed
	case errors.Is(err, model.ErrServiceHasConnections):
		return AuditRefused
	case err != nil && len(out.succeeded) > 0:
		return AuditPartial // a bulk write: one request failed, others went through
	case err != nil:
		return AuditFailed
	case len(out.failed) > 0:
		return AuditPartial
	}
	return AuditOK
}
