package common

import "github.com/plconsole/plconsole/model"

// Customer is an account's customer name ("" when the accounts file does not name it).
// Every view that shows an account shows this next to it; the top consumers and any later
// view that lists accounts call it (or CustomerLabel) too.
func (c *Context) Customer(account string) string { return c.Customers.Name(account) }

// CustomerLabel is "Name (account)" for a named account, else the account id: for places
// with room for one string (dialog bodies, flashes).
func (c *Context) CustomerLabel(account string) string { return c.Customers.Label(account) }

// FindingTitle is a finding's title, with the customer it is about when the finding names a
// consumer account that has a name.
func (c *Context) FindingTitle(f model.Finding) string {
	if name := c.Customer(f.Account); name != "" {
		return f.Title + " (" + name + ")"
	}
	return f.Title
}

// SetCustomers replaces the customer directory and tells the views to rebuild.
func (c *Context) SetCustomers(d *model.Customers) {
	c.Customers = d
	c.PolicyGen++
}

// SetPolicy replaces the approval policy and tells the views to rebuild.
func (c *Context) SetPolicy(p *model.Policy) {
	c.Policy = p
	c.PolicyGen++
}
