package awsops

import (
	"strings"
	"testing"

	"github.com/plconsole/plconsole/model"
)

// The in-memory log is bounded by bytes: many short calls are kept, fewer long failures, the
// newest always.
func TestCallLogIsBoundedByBytes(t *testing.T) {
	l, err := newCallLog(100_000, "")
	if err != nil {
		t.Fatal(err)
	}
	short := model.APICall{Service: "ec2", Operation: "DescribeVpcs", RequestID: "r"}
	for i := 0; i < 5000; i++ {
		l.add(short)
	}
	kept := len(l.snapshot())
	if kept < 850 || kept*callSize(short) > 100_000 {
		t.Fatalf("%d short calls kept in 100 kB", kept)
	}
	long := model.APICall{Service: "ec2", Operation: "DescribeVpcs", Error: strings.Repeat("x", 5000)}
	for i := 0; i < 100; i++ {
		l.add(long)
	}
	calls := l.snapshot()
	if len(calls) > 20 || calls[len(calls)-1].Error != long.Error || l.count() != 5100 {
		t.Fatalf("after long failures: %d kept, count %d", len(calls), l.count())
	}
	huge := model.APICall{Error: strings.Repeat("y", 200_000)}
	l.add(huge)
	if c := l.snapshot(); len(c) != 1 || c[0].Error != huge.Error {
		t.Fatal("the newest call is kept even when it alone is over the bound")
	}
}
