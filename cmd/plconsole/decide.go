package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/model"
)

// writeFormats are the output formats of the commands that change something.
var writeFormats = []string{"table", "json"}

// planItem is one request in the plan accept, reject and approve print before acting.
type planItem struct {
	ServiceID    string `json:"service_id"`
	Service      string `json:"service"`
	EndpointID   string `json:"endpoint_id"`
	OwnerAccount string `json:"owner_account"`
	Customer     string `json:"customer"`
	State        string `json:"state"`
	Decision     string `json:"decision"`
	Rule         string `json:"rule"`
	Reason       string `json:"reason"`
}

// planOutput is what accept, reject and approve print with -o json.
type planOutput struct {
	Applied bool                      `json:"applied"`
	DryRun  bool                      `json:"dry_run"`
	Counts  map[string]int            `json:"counts"`
	ByAcct  map[string]map[string]int `json:"by_account"`
	BySvc   map[string]map[string]int `json:"by_service"`
	Items   []planItem                `json:"items"`
	Results []writeResult             `json:"results"`
	Error   string                    `json:"error"`
}

func newDecideCommand(accept bool) *cobra.Command {
	verb, Verb := "reject", "Reject"
	if accept {
		verb, Verb = "accept", "Accept"
	}
	var h headlessFlags
	var yes bool
	cmd := &cobra.Command{
		Use:   verb + " SERVICE ENDPOINT...",
		Short: Verb + " consumer connections of one service (prints the plan; changes only with --yes)",
		Long: Verb + ` the named VPC endpoints' connections to SERVICE (an id or a name). Without --yes the
plan is printed and nothing is sent. Exit status: 0 done (or plan printed), 1 nothing could
be done, 2 some connections failed, 3 refused by --read-only or by a failing dry run.`,
		Example:           "  plconsole " + verb + " payments-api vpce-0123456789abcdef0 vpce-0fedcba9876543210 --yes",
		Args:              cobra.MinimumNArgs(2),
		ValidArgsFunction: h.completeDecideArgs(accept),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range args[1:] {
				if err := model.ValidateEndpointID(id); err != nil {
					return err
				}
			}
			sess, err := h.open(cmd, writeFormats...)
			if err != nil {
				return err
			}
			defer sess.Close()
			ctx := cmd.Context()
			w, err := readWorld(ctx, sess.client, false, nil)
			if err != nil {
				return err
			}
			svc, err := findService(w.services, args[0])
			if err != nil {
				return err
			}
			byID := map[string]model.Connection{}
			for _, c := range w.connections {
				if c.ServiceID == svc.ID {
					byID[c.EndpointID] = c
				}
			}
			can := model.ConnectionState.CanReject
			d := model.DecisionReject
			if accept {
				can, d = model.ConnectionState.CanAccept, model.DecisionAccept
			}
			var items []planItem
			var ids []string
			var problems []string
			for _, id := range dedupeArgs(args[1:]) {
				c, ok := byID[id]
				switch {
				case !ok:
					problems = append(problems, fmt.Sprintf("%s is not a connection of %s", id, svc.Label()))
				case !can(c.State):
					problems = append(problems, fmt.Sprintf("%s cannot be %sed: it is %s", id, verb, c.State))
				default:
					ids = append(ids, id)
					items = append(items, planItem{ServiceID: svc.ID, Service: svc.Label(), EndpointID: id,
						OwnerAccount: c.OwnerAccount, Customer: sess.customers.Name(c.OwnerAccount), State: string(c.State),
						Decision: string(d)})
				}
			}
			if len(problems) > 0 {
				return fmt.Errorf("nothing was sent: %s", strings.Join(problems, "; "))
			}
			sgs := make([]model.Suggestion, len(items))
			for i, it := range items {
				sgs[i] = model.Suggestion{Decision: d, Connection: byID[it.EndpointID]}
			}
			batches := []model.PolicyBatch{{ServiceID: svc.ID, Decision: d, Endpoints: ids, Reason: "plconsole " + verb}}
			return runPlan(cmd, sess, h.output, yes, items, sgs, batches)
		},
	}
	h.register(cmd, writeFormats...)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "send the change (without it only the plan is printed)")
	return cmd
}

func dedupeArgs(args []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range args {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// runPlan prints the plan, and with yes applies the batches and prints the results; the
// returned error carries the exit status.
func runPlan(cmd *cobra.Command, sess *session, format string, yes bool, items []planItem, sgs []model.Suggestion, batches []model.PolicyBatch) error {
	out := cmd.OutOrStdout()
	sum := model.SummarizePlan(sgs)
	po := planOutput{Counts: map[string]int{}, ByAcct: map[string]map[string]int{}, BySvc: map[string]map[string]int{},
		Items: items, Results: []writeResult{}, DryRun: sess.client.Mode() == model.ModeDryRun}
	if po.Items == nil {
		po.Items = []planItem{}
	}
	for _, d := range model.Decisions {
		po.Counts[string(d)] = sum.ByDecision[d]
		po.ByAcct[string(d)] = orEmpty(sum.ByAccount[d])
		po.BySvc[string(d)] = orEmpty(sum.ByService[d])
	}
	if format == "table" {
		printPlan(out, sess, sum, items)
	}
	var err error
	if yes && len(batches) > 0 {
		var results []writeResult
		results, err = applyBatches(cmd.Context(), sess.client, batches)
		po.Applied, po.Results = true, append(po.Results, results...)
		err = writesOutcome(results, err)
		if format == "table" && len(results) > 0 {
			fmt.Fprintln(out)
			printResults(out, results)
		}
	} else if format == "table" && len(batches) > 0 {
		fmt.Fprintln(out, "\nNothing was sent. Run again with --yes to apply this plan.")
	}
	if err != nil {
		po.Error = err.Error()
		var dry *model.DryRunResult
		if format == "table" && errors.As(err, &dry) {
			fmt.Fprintln(out, dry.Error())
		}
	} else if format == "table" && po.DryRun && po.Applied {
		fmt.Fprintln(out, "dry run: AWS says the writes would succeed; nothing changed")
	}
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(po); jerr != nil {
			return jerr
		}
	}
	return err
}

func orEmpty(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// printPlan writes the counts per decision, per account and per service, then the requests.
func printPlan(w io.Writer, sess *session, sum model.PlanSummary, items []planItem) {
	if sum.Total == 0 {
		fmt.Fprintln(w, "No pending connection requests.")
		return
	}
	var parts []string
	for _, d := range model.Decisions {
		parts = append(parts, fmt.Sprintf("%d %s", sum.ByDecision[d], d))
	}
	fmt.Fprintf(w, "Plan for %d request%s: %s", sum.Total, plural(sum.Total), strings.Join(parts, ", "))
	if sum.Undecided > 0 {
		fmt.Fprintf(w, " (%d undecided)", sum.Undecided)
	}
	fmt.Fprintln(w)
	for _, d := range model.Decisions {
		if sum.ByDecision[d] == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-7s accounts: %s\n", d, countList(sum.ByAccount[d], sess.customers.Label))
		fmt.Fprintf(w, "  %-7s services: %s\n", "", countList(sum.ByService[d], func(id string) string { return labelOf(items, id) }))
	}
	fmt.Fprintln(w)
	tw := newTable(w, "ENDPOINT", "OWNER", "CUSTOMER", "SERVICE", "DECISION", "REASON")
	for _, it := range items {
		reason := it.Reason
		if reason == "" {
			reason = it.Rule
		}
		tw.row(it.EndpointID, it.OwnerAccount, orDash(it.Customer), it.Service, it.Decision, orDash(reason))
	}
	tw.flush()
}

func labelOf(items []planItem, serviceID string) string {
	for _, it := range items {
		if it.ServiceID == serviceID {
			return it.Service
		}
	}
	return serviceID
}

// countList is "a (3), b (1)", largest first.
func countList(m map[string]int, label func(string) string) string {
	type kv struct {
		k string
		n int
	}
	var l []kv
	for k, n := range m {
		l = append(l, kv{k, n})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].n > l[j].n || l[i].n == l[j].n && l[i].k < l[j].k })
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = fmt.Sprintf("%s (%d)", label(e.k), e.n)
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
