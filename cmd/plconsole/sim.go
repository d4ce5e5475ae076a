package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/awsops/sim"
)

// defaultSimAddr is where `plconsole sim` listens unless told otherwise: loopback only.
const defaultSimAddr = "127.0.0.1:7575"

// worldFlags are the flags that size and seed the simulated world, shared by `sim` and `--demo`.
type worldFlags struct {
	seed        int64
	services    int
	connections int
	consumers   int
	regions     []string
}

func (f *worldFlags) register(cmd *cobra.Command) {
	cmd.Flags().Int64Var(&f.seed, "seed", 1, "seed of the simulated world (same seed, same world)")
	cmd.Flags().IntVar(&f.services, "services", 0, "endpoint services in the simulated world (0: the default scenario's 3)")
	cmd.Flags().IntVar(&f.connections, "connections", 0, "consumer connections in the simulated world (0: the default scenario's ~40)")
	cmd.Flags().IntVar(&f.consumers, "consumers", 0, "consumer accounts in the simulated world (0: chosen from the size)")
	cmd.Flags().StringSliceVar(&f.regions, "regions", nil, "more regions served besides us-east-1, each with a world of its own, e.g. eu-west-1,ap-southeast-2")
}

// demoRegions is what --demo serves besides us-east-1 unless --regions says otherwise, so
// :region has somewhere to go.
var demoRegions = []string{"eu-west-1"}

func (f *worldFlags) validate() error {
	if f.services < 0 || f.services > 5000 {
		return fmt.Errorf("--services %d is out of range: use 1 to 5000 (0 for the default scenario)", f.services)
	}
	if f.connections < 0 || f.connections > 500000 {
		return fmt.Errorf("--connections %d is out of range: use 1 to 500000 (0 for the default scenario)", f.connections)
	}
	if f.consumers < 0 || f.consumers > 100000 {
		return fmt.Errorf("--consumers %d is out of range: use 1 to 100000 (0 to let the size decide)", f.consumers)
	}
	return nil
}

func (f *worldFlags) config() sim.WorldConfig {
	return sim.WorldConfig{Seed: f.seed, Services: f.services, Connections: f.connections, Consumers: f.consumers}
}

func newSimCommand() *cobra.Command {
	var (
		wf          worldFlags
		addr        string
		allowRemote bool
		faults      sim.FaultConfig
		latency     time.Duration
	)
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Serve the simulated PrivateLink region for the AWS CLI, SDKs and plconsole",
		Long: `Serve the simulated PrivateLink region on a local address. It speaks the real AWS
wire protocols for EC2, Elastic Load Balancing v2, CloudWatch and STS, so the AWS CLI and
any AWS SDK work against it once pointed at its endpoint URL. The access key id picks the
calling account: the provider's by default, or a consumer's when it contains that account id.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := wf.validate(); err != nil {
				return err
			}
			faults.LatencyMs = int(latency / time.Millisecond)
			if err := faults.Validate(); err != nil {
				return fmt.Errorf("fault flags (--throttle, --latency, --error-ratio, --drop-ratio, --lost-reply-ratio): %w", err)
			}
			if err := checkLoopback(addr, allowRemote); err != nil {
				return err
			}
			run, err := sim.Start(addr, sim.Options{World: wf.config(), Faults: faults, Regions: wf.regions})
			if err != nil {
				return err
			}
			defer run.Close()
			printSimBanner(cmd.OutOrStdout(), run)
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			<-ctx.Done()
			fmt.Fprintln(cmd.ErrOrStderr(), "simulated region stopped")
			return nil
		},
	}
	wf.register(cmd)
	cmd.Flags().StringVar(&addr, "addr", defaultSimAddr, "address to listen on (host:port); loopback only unless --allow-remote")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow listening on a non-loopback address (anyone who can reach it can use the simulated region)")
	cmd.Flags().Float64Var(&faults.ThrottleRatio, "throttle", 0, "fraction of requests throttled (RequestLimitExceeded / Throttling), 0 to 1")
	cmd.Flags().DurationVar(&latency, "latency", 0, "latency added to every request, e.g. 50ms")
	cmd.Flags().Float64Var(&faults.ServerErrorRatio, "error-ratio", 0, "fraction of requests answered with HTTP 500, 0 to 1")
	cmd.Flags().Float64Var(&faults.DropRatio, "drop-ratio", 0, "fraction of connections dropped without a reply, 0 to 1")
	cmd.Flags().StringSliceVar(&faults.Unimplemented, "unimplemented", nil, "operations answered with HTTP 500 and an HTML page, as a partial emulator answers what it lacks, e.g. DescribeVpcEndpointConnections")
	cmd.Flags().Float64Var(&faults.LostReplyRatio, "lost-reply-ratio", 0, "fraction of requests carried out whose reply is then lost, 0 to 1")
	return cmd
}

// checkLoopback refuses a listen address that other machines could reach unless allowed.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not host:port (for example 127.0.0.1:7575): %w", addr, err)
	}
	if allowRemote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q is not a loopback address: the simulated region has no authentication, so it listens on 127.0.0.1 or ::1 unless you pass --allow-remote", addr)
	}
	return nil
}

func printSimBanner(w io.Writer, run *sim.Running) {
	world := run.Server.World()
	provider := world.Provider
	fmt.Fprintf(w, "plconsole simulated region listening on %s\n\n", run.URL)
	fmt.Fprintf(w, "Point the AWS CLI or an SDK at it (any secret key works):\n")
	fmt.Fprintf(w, "  export AWS_ENDPOINT_URL=%s\n", run.URL)
	fmt.Fprintf(w, "  export AWS_ACCESS_KEY_ID=%s\n", sim.AccessKeyFor(provider.ID))
	fmt.Fprintf(w, "  export AWS_SECRET_ACCESS_KEY=simulated\n")
	fmt.Fprintf(w, "  export AWS_REGION=%s AWS_DEFAULT_REGION=%s\n", world.Region, world.Region)
	if regions := servedRegions(run); len(regions) > 1 {
		fmt.Fprintf(w, "It also serves %s, each with a world of its own (--region to reach one).\n", strings.Join(regions[1:], ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "The access key above is the provider account %s. To act as a consumer, use an\n", provider.ID)
	fmt.Fprintf(w, "access key that contains its account id, for example:\n")
	shown := 0
	for _, a := range run.Server.Accounts() {
		if a.Provider || len(a.Services) == 0 {
			continue
		}
		if shown == 3 {
			break
		}
		shown++
		fmt.Fprintf(w, "  %-14s AWS_ACCESS_KEY_ID=%s  may connect to %s\n", a.Name, a.AccessKey, strings.Join(limitNames(a.Services, 4), ", "))
	}
	fmt.Fprintf(w, "\nRequest counters: curl %s/_sim/stats    Faults: curl -X PUT -d '{\"throttleRatio\":0.3}' %s/_sim/faults\n", run.URL, run.URL)
	fmt.Fprintf(w, "Press Ctrl+C to stop.\n")
}

// limitNames keeps a banner line short.
func limitNames(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	return append(append([]string(nil), names[:n]...), fmt.Sprintf("… %d more", len(names)-n))
}

// startEmbeddedSim runs the simulated region behind --demo on a free loopback port.
func startEmbeddedSim(wf worldFlags) (*sim.Running, error) {
	return sim.Start("127.0.0.1:0", sim.Options{World: wf.config(), Regions: wf.regions})
}

// servedRegions lists the regions a running simulation serves, its primary first.
func servedRegions(run *sim.Running) []string {
	out := []string{run.Server.World().Region}
	var more []string
	for name := range run.Regions {
		if name != out[0] {
			more = append(more, name)
		}
	}
	sort.Strings(more)
	return append(out, more...)
}

// simAccessKey is the provider account's access key in the simulated world.
func simAccessKey(w *sim.World) string { return sim.AccessKeyFor(w.Provider.ID) }
