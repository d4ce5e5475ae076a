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
// The file is written by a goroutine of its own, so a call being logged never waits on the
// disk (and never does disk I/O under the ring's lock): lines queue in memory, in order,
// and close writes what is left before it returns.
type callLog struct {
	mu       sync.Mutex
	calls    []model.APICall // oldest first, from head
	head     int             // calls[:head] are dropped, kept only until the slice is compacted
	bytes    int             // the kept calls' size, as callSize counts it
	maxBytes int
	total    uint64
	path     string

	fileMu  sync.Mutex
	queue   [][]byte // lines not written yet
	wake    *sync.Cond
	drained *sync.Cond // the writer emptied the queue
	writing bool       // the writer holds a batch
	closing bool
	done    chan struct{} // closed when the writer has stopped
	err     error         // the first failure to write the file; later lines are still attempted
	file    *os.File
}

// newCallLog keeps the most recent calls that fit in maxBytes (a log of errors with long
// messages keeps fewer than one of short successes; a quiet session keeps hours of calls).
func newCallLog(maxBytes int, path string) (*callLog, error) {
	l := &callLog{maxBytes: maxBytes}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("API-call log: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("API-call log: %w", err)
		}
		l.file, l.path = f, path
		l.wake = sync.NewCond(&l.fileMu)
		l.drained = sync.NewCond(&l.fileMu)
		l.done = make(chan struct{})
		go l.writer()
	}
	return l, nil
}

// writer appends queued lines to the file until the log closes and the queue is empty.
func (l *callLog) writer() {
	defer close(l.done)
	l.fileMu.Lock()
	for {
		for len(l.queue) == 0 && !l.closing {
			l.wake.Wait()
		}
		if len(l.queue) == 0 && l.closing {
			l.drained.Broadcast()
			l.fileMu.Unlock()
			return
		}
		batch := l.queue
		l.queue = nil
		l.writing = true
		l.fileMu.Unlock()
		var buf []byte
		for _, line := range batch {
			buf = append(buf, line...)
		}
		_, err := l.file.Write(buf)
		l.fileMu.Lock()
		l.writing = false
		if err != nil && l.err == nil {
			l.err = fmt.Errorf("API-call log %s: %w", l.path, err)
		}
		if len(l.queue) == 0 {
			l.drained.Broadcast()
		}
	}
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

// callSize is what one call costs to keep: its strings and the fixed fields.
func callSize(c model.APICall) int {
	return 96 + len(c.Service) + len(c.Operation) + len(c.RequestID) + len(c.ErrorCode) + len(c.Error)
}

func (l *callLog) add(c model.APICall) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
	l.bytes += callSize(c)
	l.total++
	for l.bytes > l.maxBytes && len(l.calls)-l.head > 1 {
		l.bytes -= callSize(l.calls[l.head])
		l.calls[l.head] = model.APICall{}
		l.head++
	}
	if l.head > len(l.calls)/2 {
		// drop the dead front once it is half the slice
		l.calls = append([]model.APICall(nil), l.calls[l.head:]...)
		l.head = 0
	}
	if l.wake != nil {
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
		l.fileMu.Lock()
		if err == nil && !l.closing {
			l.queue = append(l.queue, append(b, '\n'))
			l.wake.Signal()
		} else if err != nil && l.err == nil {
			l.err = fmt.Errorf("API-call log %s: %w", l.path, err)
		}
		l.fileMu.Unlock()
	}
}

// snapshot returns the calls in the ring, oldest first.
func (l *callLog) snapshot() []model.APICall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]model.APICall(nil), l.calls[l.head:]...)
}

func (l *callLog) count() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// writeErr waits until the lines logged so far are written, and returns the first failure to
// write the file (nil while every line was written).
func (l *callLog) writeErr() error {
	if l.wake == nil {
		return nil
	}
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	for (len(l.queue) > 0 || l.writing) && !l.closing {
		l.drained.Wait()
	}
	return l.err
}

// close writes what is queued, closes the file and reports the first write failure, if any,
// with the close's own.
func (l *callLog) close() error {
	if l.wake == nil {
		return nil
	}
	l.fileMu.Lock()
	if l.closing {
		err := l.err
		l.fileMu.Unlock()
		return err
	}
	l.closing = true
	l.wake.Signal()
	l.fileMu.Unlock()
	<-l.done
	err := l.file.Close()
	if err != nil {
		err = fmt.Errorf("API-call log %s: %w", l.path, err)
	}
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	return errors.Join(l.err, err)
}

// APICalls returns the most recent AWS API calls, newest last (as many as Config.APILogBytes
// holds).
func (c *Client) APICalls() []model.APICall { return c.calls.snapshot() }

// APILogError is the first failure to write a line to Config.APILogFile (a full disk, a
// removed mount…), or nil; it waits for the lines logged so far to reach the file. Logging goes on after a failure — the in-memory log is complete
// either way — so the console can say once that the file is incomplete. Close returns it too.
func (c *Client) APILogError() error { return c.calls.writeErr() }

// APICallCount is how many API calls this client has made since it was created.
func (c *Client) APICallCount() uint64 { return c.calls.count() }
