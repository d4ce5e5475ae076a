package awsops

import (
	"encoding/json"
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
		l.file = f
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
			_, _ = l.file.Write(append(b, '\n'))
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

func (l *callLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return nil
	}
	err := l.file.Close()
	l.file = nil
	return err
}

// APICalls returns the most recent AWS API calls, newest last (at most Config.APILogSize).
func (c *Client) APICalls() []model.APICall { return c.calls.snapshot() }

// APICallCount is how many API calls this client has made since it was created.
func (c *Client) APICallCount() uint64 { return c.calls.count() }
