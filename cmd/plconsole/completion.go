package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/plconsole/plconsole/model"
)

// Shell completion (`plconsole completion bash|zsh|fish|powershell`) of service ids and
// endpoint ids reads them from AWS with the command's own flags (--profile, --region,
// --endpoint-url, --demo), so it offers what that account actually has.

// completionWorld reads services and connections for a completion; nil when it cannot.
func (h *headlessFlags) completionWorld(cmd *cobra.Command) (*world, *session) {
	sess, err := openSession(cmd.Context(), cmd, h.o, h.ff)
	if err != nil {
		return nil, nil
	}
	w, err := readWorld(cmd.Context(), sess.client, false, nil)
	if err != nil {
		sess.Close()
		return nil, nil
	}
	return w, sess
}

// completeServices offers service ids, each described by its name.
func (h *headlessFlags) completeServices(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	w, sess := h.completionWorld(cmd)
	if w == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	defer sess.Close()
	var out []string
	for _, s := range w.services {
		if strings.HasPrefix(s.ID, prefix) {
			out = append(out, s.ID+"\t"+s.Label())
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeAccounts offers the owner accounts of the connections, described by customer name.
func (h *headlessFlags) completeAccounts(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	w, sess := h.completionWorld(cmd)
	if w == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	defer sess.Close()
	seen := map[string]bool{}
	var out []string
	for _, c := range w.connections {
		if seen[c.OwnerAccount] || !strings.HasPrefix(c.OwnerAccount, prefix) {
			continue
		}
		seen[c.OwnerAccount] = true
		out = append(out, c.OwnerAccount+"\t"+sess.customers.Name(c.OwnerAccount))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeDecideArgs completes accept/reject: the service first, then the endpoint ids of
// its connections that can be accepted (or rejected), described by owner and state.
func (h *headlessFlags) completeDecideArgs(accept bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return h.completeServices(cmd, args, prefix)
		}
		w, sess := h.completionWorld(cmd)
		if w == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		defer sess.Close()
		svc, err := findService(w.services, args[0])
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		can := model.ConnectionState.CanReject
		if accept {
			can = model.ConnectionState.CanAccept
		}
		conns := append([]model.Connection(nil), w.connections...)
		model.SortConnections(conns)
		var out []string
		for _, c := range conns {
			if c.ServiceID != svc.ID || !can(c.State) || !strings.HasPrefix(c.EndpointID, prefix) || contains(args[1:], c.EndpointID) {
				continue
			}
			out = append(out, c.EndpointID+"\t"+sess.customers.Label(c.OwnerAccount)+" "+string(c.State))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
