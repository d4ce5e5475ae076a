package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/awsops"
	"github.com/plconsole/plconsole/model"
)

// The headless commands answer the console's questions in scripts and cron jobs: `get`
// lists, `accept`/`reject` act on named connections, `approve` applies the approval policy.
// They act through the same awsops client and the same model code (policy, audit,
// diagnostics) as the console, and honour the same guards. docs/HEADLESS.md documents the
// output fields and exit statuses.

// Exit statuses of the headless commands.
const (
	exitOK      = 0 // done (or, without --yes, the plan was printed)
	exitError   = 1 // could not run: bad input, unreadable files, AWS unreachable; nothing was changed
	exitPartial = 2 // some of the writes failed; the output says which
	exitRefused = 3 // read-only refused the writes, or a dry run said they would fail
)

// exitErr carries an exit status other than 1 out of a command.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

// exitCode is the process exit status for a command's error.
func exitCode(err error) int {
	var ee *exitErr
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitError
}

// headlessFlags are the session flags every headless command takes.
type headlessFlags struct {
	o      consoleOptions
	ff     filesFlags
	output string
}

func (h *headlessFlags) register(cmd *cobra.Command, formats ...string) {
	f := cmd.Flags()
	h.o.registerSession(cmd, "act on an embedded simulated region (no AWS account needed)")
	h.ff.register(cmd)
	if len(formats) > 0 {
		f.StringVarP(&h.output, "output", "o", formats[0], "output format: "+strings.Join(formats, ", "))
		_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	}
}

// open checks the output format and opens the session.
func (h *headlessFlags) open(cmd *cobra.Command, formats ...string) (*session, error) {
	if len(formats) > 0 && !contains(formats, h.output) {
		return nil, fmt.Errorf("-o %q is not an output format: use %s", h.output, strings.Join(formats, ", "))
	}
	return openSession(cmd.Context(), cmd, h.o, h.ff)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func addHeadlessCommands(root *cobra.Command) {
	root.AddCommand(newGetCommand(), newDecideCommand(true), newDecideCommand(false), newApproveCommand())
}

// ---- reading the account -------------------------------------------------------------------

// world is what the headless commands read: services, connections and, when asked, each
// service's principals and the load balancers.
type world struct {
	services    []model.EndpointService
	connections []model.Connection
	principals  map[string][]model.Principal
	lbs         []model.LoadBalancer
	region      string
}

func (w *world) label(id string) string {
	for _, s := range w.services {
		if s.ID == id {
			return s.Label()
		}
	}
	return id
}

func (w *world) service(id string) model.EndpointService {
	for _, s := range w.services {
		if s.ID == id {
			return s
		}
	}
	return model.EndpointService{ID: id}
}

// readWorld reads services and connections in one refresh (load balancers too when lbs),
// and the principals of the services principalsOf selects (nil: none), four at a time.
func readWorld(ctx context.Context, c *awsops.Client, lbs bool, principalsOf func(model.EndpointService) bool) (*world, error) {
	snap, err := c.Refresh(ctx, model.RefreshRequest{LoadBalancers: lbs})
	if err := errors.Join(snap.Errors.Services, snap.Errors.Connections); err != nil {
		return nil, err
	}
	if lbs && snap.Errors.LoadBalancers != nil {
		return nil, snap.Errors.LoadBalancers
	}
	if err != nil && snap.Errors.Err() == nil {
		return nil, err
	}
	w := &world{services: snap.Services, connections: snap.Connections, lbs: snap.LoadBalancers,
		principals: map[string][]model.Principal{}, region: snap.Identity.Region}
	if principalsOf == nil {
		return w, nil
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
		sem  = make(chan struct{}, 4)
	)
	for _, s := range w.services {
		if !principalsOf(s) {
			continue
		}
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ps, err := c.ListPrincipals(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			w.principals[id] = ps
		}(s.ID)
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// findService resolves a service argument: an id, or a Name tag (case-insensitive).
func findService(services []model.EndpointService, arg string) (model.EndpointService, error) {
	var named []model.EndpointService
	for _, s := range services {
		if s.ID == arg {
			return s, nil
		}
		if s.DisplayName != "" && strings.EqualFold(s.DisplayName, arg) {
			named = append(named, s)
		}
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
		ids := make([]string, 0, len(services))
		for _, s := range services {
			ids = append(ids, s.Label())
		}
		sort.Strings(ids)
		return model.EndpointService{}, fmt.Errorf("no endpoint service %q: give a service id (vpce-svc-…) or one of the names %s", arg, strings.Join(ids, ", "))
	}
	return model.EndpointService{}, fmt.Errorf("%d services are named %q: give the service id instead", len(named), arg)
}

// ownerMatches says whether an account matches --owner: its id, or its customer name.
func ownerMatches(owner, account string, dir *model.Customers) bool {
	return owner == "" || owner == account || strings.EqualFold(owner, dir.Name(account))
}

// ---- writes --------------------------------------------------------------------------------

// writeResult is one endpoint's outcome in the output of accept, reject and approve.
type writeResult struct {
	ServiceID  string `json:"service_id" yaml:"service_id"`
	EndpointID string `json:"endpoint_id" yaml:"endpoint_id"`
	Decision   string `json:"decision" yaml:"decision"`
	Rule       string `json:"rule" yaml:"rule"`
	OK         bool   `json:"ok" yaml:"ok"`
	Code       string `json:"code" yaml:"code"`
	Message    string `json:"message" yaml:"message"`
}

// applyBatches applies the batches the way the console does (model.ApplyBatches) and
// returns one result per endpoint; the error is the guard's or the dry run's verdict when
// one stopped the writes.
func applyBatches(ctx context.Context, c *awsops.Client, batches []model.PolicyBatch) ([]writeResult, error) {
	items, err := model.ApplyBatches(ctx, batches, c.AcceptConnections, c.RejectConnections)
	out := make([]writeResult, 0, len(items))
	for _, it := range items {
		rule := ""
		if it.Batch.Rule != nil {
			rule = it.Batch.Rule.Name
		}
		out = append(out, writeResult{ServiceID: it.Batch.ServiceID, EndpointID: it.ID, Decision: string(it.Batch.Decision),
			Rule: rule, OK: it.OK, Code: it.Code, Message: it.Message})
	}
	return out, err
}

// writesOutcome turns what the writes did into the command's error and exit status.
func writesOutcome(results []writeResult, err error) error {
	var dry *model.DryRunResult
	switch {
	case errors.As(err, &dry) && dry.WouldSucceed:
		return nil
	case errors.As(err, &dry):
		return &exitErr{exitRefused, err}
	case errors.Is(err, model.ErrReadOnly):
		return &exitErr{exitRefused, err}
	case err != nil:
		return err
	}
	failed := 0
	for _, r := range results {
		if !r.OK {
			failed++
		}
	}
	if failed > 0 {
		return &exitErr{exitPartial, fmt.Errorf("%d of %d writes failed", failed, len(results))}
	}
	return nil
}

// printResults writes per-endpoint results as a table.
func printResults(w io.Writer, results []writeResult) {
	tw := newTable(w, "ENDPOINT", "SERVICE", "DECISION", "RULE", "RESULT")
	for _, r := range results {
		res := "ok"
		if !r.OK {
			res = "FAILED " + r.Code
			if r.Message != "" {
				res += ": " + r.Message
			}
		}
		tw.row(r.EndpointID, r.ServiceID, r.Decision, orDash(r.Rule), res)
	}
	tw.flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
