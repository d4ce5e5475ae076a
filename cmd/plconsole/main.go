// Command plconsole is a terminal operations console for AWS PrivateLink service providers.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "plconsole:", err)
		os.Exit(exitCode(err))
	}
}

// flagErrorHint points a mistyped flag at the help, which lists what is allowed.
func flagErrorHint(cmd *cobra.Command, err error) error {
	return fmt.Errorf("%w (see '%s --help' for the flags)", err, cmd.CommandPath())
}

func newRootCommand() *cobra.Command {
	var o consoleOptions
	var ff filesFlags
	root := &cobra.Command{
		Use:   "plconsole",
		Short: "Terminal operations console for AWS PrivateLink service providers",
		Long: `plconsole shows every VPC endpoint service you provide, every consumer connection
(pending first), the health of the load balancers behind them, and lets you act on them
safely. Run it against your AWS account, or with --demo against an embedded simulated
region that needs no account.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConsole(cmd, o, ff)
		},
	}
	o.register(root)
	ff.register(root)
	root.SetFlagErrorFunc(flagErrorHint)
	root.AddCommand(newSimCommand())
	addHeadlessCommands(root)
	root.AddCommand(newSetupCommand())
	return root
}
