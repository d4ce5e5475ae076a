package awsops

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/plconsole/plconsole/model"
)

// callLog is the API-call log: a bounded ring in memory and, optionally, a JSON-lines file.
type callLog struct {
	mu    sync.Mutex
	ring  []model.APICall
	next  int  // index the next call is written to
	full  bool // the ring has wrapped
	total uint64
	file  *os.File
	path  string
	err   error // the first failure to write the file; later lines are still attempted
}

func newCallLog(size int, path string) (*callLog, error) {
	l := &callLog{ring: make([]model.APICall, size)}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("API-call log: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("API-call log: %w", err)
		}
		l.file, l.path = f, path
	}
	return l, nil
}

// apiLogLine is one line of the API-call log file.
type apiLogLine struct {
	Time       string `json:"time"`
	Service    string `json:"service"`
	Operation  string `json:"operation"`
	DurationMS int64  `json:"durationMs"`
	Attempts   int    `json:"attempts"`
	Status     int    `json:"status,omitempty"`
	RequestID  string `json:"requestId,omitempty"`
	ErrorCode  string `json:"errorCode,omitempty"`
	Error      string `json:"error,omitempty"`
}

func (l *callLog) add(c model.APICall) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring[l.next] = c
	l.next++
	l.total++
	if l.next == len(l.ring) {
		l.next = 0
		l.full = true
	}
	if l.file != nil {
		b, err := json.Marshal(apiLogLine{
			Time:       c.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
			Service:    c.Service,
			Operation:  c.Operation,
			DurationMS: c.Duration.Milliseconds(),
			Attempts:   c.Attempts,
			Status:     c.Status,
			RequestID:  c.RequestID,
			ErrorCode:  c.ErrorCode,
			Error:      c.Error,
		})
		if err == nil {
			_, err = l.file.Write(append(b, '\n'))
		}
		if err != nil && l.err == nil {
			l.err = fmt.Errorf("API-call log %s: %w", l.path, err)
		}
	}
}

// snapshot returns the calls in the ring, oldest first.
func (l *callLog) snapshot() []model.APICall {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append([]model.APICall(nil), l.ring[:l.next]...)
	}
	out := make([]model.APICall, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

func (l *callLog) count() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// writeErr is the first failure to write the log file, nil while every line was written.
func (l *callLog) writeErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// close closes the file and reports the first write failure, if any, with the close's own.
func (l *callLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return l.err
	}
	err := l.file.Close()
	l.file = nil
	if err != nil {
		err = fmt.Errorf("API-call log %s: %w", l.path, err)
	}
	return errors.Join(l.err, err)
}

// APICalls returns the most recent AWS API calls, newest last (at most Config.APILogSize).
func (c *Client) APICalls() []model.APICall { return c.calls.snapshot() }

// APILogError is the first failure to write a line to Config.APILogFile (a full disk, a
// removed mount…), or nil. Logging goes on after a failure — the in-memory log is complete
// either way — so the console can say once that the file is incomplete. Close returns it too.
func (c *Client) APILogError() error { return c.calls.writeErr() }

// APICallCount is how many API calls this client has made since it was created.
func (c *Client) APICallCount() uint64 { return c.calls.count() }
