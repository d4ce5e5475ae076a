package model

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
)

// FindingRecord is one finding as the console's export and `plconsole get findings` write
// it: the access audit's findings (kind "access") and the services' diagnostics (kind
// "diagnostic"), with stable field names (docs/HEADLESS.md).
type FindingRecord struct {
	Kind      string   `json:"kind" yaml:"kind"`
	Severity  string   `json:"severity" yaml:"severity"`
	Code      string   `json:"code" yaml:"code"`
	ServiceID string   `json:"service_id" yaml:"service_id"`
	Service   string   `json:"service" yaml:"service"`
	Account   string   `json:"account" yaml:"account"`
	Customer  string   `json:"customer" yaml:"customer"`
	Principal string   `json:"principal" yaml:"principal"`
	Endpoints []string `json:"endpoints" yaml:"endpoints"`
	Resource  string   `json:"resource" yaml:"resource"`
	Title     string   `json:"title" yaml:"title"`
	Detail    string   `json:"detail" yaml:"detail"`
	Fix       string   `json:"fix" yaml:"fix"`
}

// FindingFields are the record's field names, in CSV column order.
var FindingFields = []string{"kind", "severity", "code", "service_id", "service", "account", "customer",
	"principal", "endpoints", "resource", "title", "detail", "fix"}

// Cells is the record as one CSV row (lists joined with ";"), in FindingFields order.
func (r FindingRecord) Cells() []string {
	return []string{r.Kind, r.Severity, r.Code, r.ServiceID, r.Service, r.Account, r.Customer,
		r.Principal, strings.Join(r.Endpoints, ";"), r.Resource, r.Title, r.Detail, r.Fix}
}

// AccessRecord is an access finding as a record, with the customer's name.
func AccessRecord(a AccessFinding, dir *Customers) FindingRecord {
	fix := ""
	switch a.Code {
	case CodeConnectionNotAllowed:
		fix = "Reject the connections (X in :audit, or plconsole reject SERVICE ENDPOINT...), or allow the account again."
	case CodePrincipalUnused:
		fix = "Remove the principal if the customer no longer needs access."
	case CodeServicePublic:
		fix = "Replace * with the consumer accounts (arn:aws:iam::<account>:root)."
	}
	eps := a.EndpointIDs()
	return FindingRecord{Kind: "access", Severity: a.Severity.String(), Code: a.Code, ServiceID: a.ServiceID,
		Service: a.Service, Account: a.Account, Customer: dir.Name(a.Account), Principal: a.Principal,
		Endpoints: eps, Title: a.Title, Detail: a.Detail, Fix: fix}
}

// DiagnosticRecord is a service's diagnostic finding as a record.
func DiagnosticRecord(svc EndpointService, f Finding) FindingRecord {
	eps := []string{}
	for _, a := range f.Affected {
		eps = append(eps, a.Connection.EndpointID) // a zone's trouble: the consumers it reaches, first to call first
	}
	return FindingRecord{Kind: "diagnostic", Severity: f.Severity.String(), Code: f.Code, ServiceID: svc.ID,
		Service: svc.Label(), Account: f.Account, Endpoints: eps, Resource: f.Resource, Title: f.Title, Detail: f.Detail, Fix: f.Fix}
}

// WriteFindingsCSV writes records as CSV with a header row.
func WriteFindingsCSV(w io.Writer, recs []FindingRecord) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(FindingFields); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write(r.Cells()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFindingsJSON writes records as an indented JSON array.
func WriteFindingsJSON(w io.Writer, recs []FindingRecord) error {
	if recs == nil {
		recs = []FindingRecord{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(recs)
}
