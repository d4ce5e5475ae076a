package awsops

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/plconsole/plconsole/ui/store"
	"github.com/plconsole/plconsole/ui/tasks"
)

// BenchmarkSteadyStateFleet is what a console left open costs the account: the store's
// refresh tiers (ui/store, with their default cadences and a 15 s tick) against the fleet
// world through this client, one op being ten ticks. The store runs as the console runs it,
// its tasks driven synchronously; the region's clock moves 15 s a tick, so the cadences see
// the time they would see in the console. The first load (cold refresh, every principal, the
// first CloudWatch read) happens before the clock starts.
//
// The figures are over every tick the benchmark ran: run it long enough to cover the slow
// tiers (the inventory every 5 minutes, one round of target health every 30, of principals
// every hour): -benchtime=30x is 300 ticks, 75 simulated minutes.
//
//   - requests/min: AWS requests the simulated region counted, per simulated minute;
//   - cw-metrics/day: CloudWatch metrics the fleet's health read requests a day at its
//     cadence (the cadence follows the budget: store.Store.MetricsPerDay);
//   - cpu-s/min: CPU seconds of this process per simulated minute (getrusage), the
//     simulated region's serving included: an upper bound of the console's;
//   - heap-MB: heap in use after a GC at the end, less the heap the simulated region held
//     before the console started (the console's store, client and caches).
func BenchmarkSteadyStateFleet(b *testing.B) {
	run := startSim(b, fleetWorld)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	c := newClient(b, run, providerAccount)
	runner := tasks.NewRunner(context.Background(), 5*time.Minute)
	const tick = store.DefaultRefreshEvery
	st := store.New(c, c.Identity(), runner, store.Options{Now: run.Clock.Now, RefreshEvery: tick})
	drive := func(cmd tea.Cmd) {
		queue := []tea.Cmd{cmd}
		for len(queue) > 0 {
			next := queue[0]
			queue = queue[1:]
			if next == nil {
				continue
			}
			switch msg := next().(type) {
			case tea.BatchMsg:
				queue = append(queue, msg...)
			case tasks.DoneMsg:
				if runner.Finish(msg) {
					_, more := st.Update(msg.Msg)
					queue = append(queue, more)
				}
			}
		}
	}
	drive(st.Tick()) // the first load
	if n := len(st.Connections().Entries); n != 50000 {
		b.Fatalf("first load: %d connections", n)
	}
	if !st.Freshness(store.Principals).Loaded || !st.Freshness(store.Targets).Loaded {
		b.Fatal("first load: principals or targets missing")
	}

	run.ResetStats()
	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for t := 0; t < 10; t++ {
			run.Clock.Advance(tick)
			drive(st.Tick())
		}
	}
	b.StopTimer()
	minutes := (time.Duration(b.N) * 10 * tick).Minutes()
	b.ReportMetric(float64(run.Stats().Total)/minutes, "requests/min")
	b.ReportMetric(float64(st.MetricsPerDay()), "cw-metrics/day")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/minutes, "cpu-s/min")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(int64(ms.HeapInuse)-int64(base.HeapInuse))/(1<<20), "heap-MB")
	if len(st.Connections().Entries) != 50000 {
		b.Fatalf("steady state: %d connections", len(st.Connections().Entries))
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInventoryRead is one read of every connection of the fleet world (50,000
// connections, about 50 pages of DescribeVpcEndpointConnections) through the real client:
// what the inventory tier pays every few minutes, the simulated region's serving included.
func BenchmarkInventoryRead(b *testing.B) {
	run := startSim(b, fleetWorld)
	c := newClient(b, run, providerAccount)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		conns, err := c.ListConnections(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		if len(conns) != 50000 {
			b.Fatalf("%d connections", len(conns))
		}
	}
}
