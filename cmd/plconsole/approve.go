package main

import (
	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/model"
)

func newApproveCommand() *cobra.Command {
	var h headlessFlags
	var yes bool
	cmd := &cobra.Command{
		Use:   "approve --policy FILE",
		Short: "Apply the approval policy to every pending connection request (changes only with --yes)",
		Long: `Decide every pending connection request with the approval policy (docs/POLICY.md):
accept, reject or hold, and the rule that decided. Without --yes the plan is printed and
nothing is sent; with --yes the accepts and rejects are sent, one request per service and
rule, each audited with the rule that decided it. Held requests are left alone.

Exit status: 0 done (or plan printed), 1 nothing could be done, 2 some writes failed,
3 refused by --read-only or by a failing dry run.`,
		Example: `  plconsole approve --policy ~/.config/plconsole/policy.toml            # the plan
  plconsole approve --policy ~/.config/plconsole/policy.toml --yes      # apply it
  */5 * * * * plconsole approve --profile prod --policy /etc/plconsole/policy.toml --yes -o json >> /var/log/plconsole-approve.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sess, err := h.open(cmd, writeFormats...)
			if err != nil {
				return err
			}
			defer sess.Close()
			if sess.policy == nil {
				return model.ErrNoPolicy
			}
			pendingIn := map[string]bool{}
			w, err := readWorld(cmd.Context(), sess.client, false, nil)
			if err != nil {
				return err
			}
			for _, c := range w.connections {
				if c.State == model.StatePendingAcceptance {
					pendingIn[c.ServiceID] = true
				}
			}
			// principals are read only for the services with requests to decide
			for id := range pendingIn {
				ps, err := sess.client.ListPrincipals(cmd.Context(), id)
				if err != nil {
					return err
				}
				w.principals[id] = ps
			}
			sgs := evaluate(sess, w)
			items := make([]planItem, len(sgs))
			for i, sg := range sgs {
				c := sg.Connection
				items[i] = planItem{ServiceID: c.ServiceID, Service: w.label(c.ServiceID), EndpointID: c.EndpointID,
					OwnerAccount: c.OwnerAccount, Customer: sess.customers.Name(c.OwnerAccount), State: string(c.State),
					Decision: string(sg.Decision), Rule: sg.RuleName(), Reason: sg.Reason}
			}
			return runPlan(cmd, sess, h.output, yes, items, sgs, model.PolicyBatches(sess.policy, sgs))
		},
	}
	h.register(cmd, writeFormats...)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "send the accepts and rejects (without it only the plan is printed)")
	return cmd
}
