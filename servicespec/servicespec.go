// Package servicespec writes an endpoint service's desired configuration (a
// model.ServiceSpec) as text an operator keeps or runs elsewhere, and reads it back: the TOML
// spec file that `plconsole setup --from FILE` loads into the wizard, the AWS CLI commands
// that make the same calls the wizard makes, and the equivalent Terraform. It does no I/O
// beyond what its callers hand it; the model package stays free of encoders.
package servicespec

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/plconsole/plconsole/model"
)

// file is the TOML layout of a spec. acceptance_required is a pointer so that leaving it
// out keeps AWS's (and the wizard's) default, true.
type file struct {
	Name               string            `toml:"name,omitempty"`
	LoadBalancers      []string          `toml:"load_balancers"`
	AcceptanceRequired *bool             `toml:"acceptance_required"`
	PrivateDNSName     string            `toml:"private_dns_name,omitempty"`
	SupportedIPTypes   []string          `toml:"supported_ip_address_types,omitempty"`
	SupportedRegions   []string          `toml:"supported_regions,omitempty"`
	PayerServiceOwner  bool              `toml:"payer_service_owner,omitempty"`
	Principals         []string          `toml:"allowed_principals,omitempty"`
	Tags               map[string]string `toml:"tags,omitempty"`
	Notification       *fileNotification `toml:"notification,omitempty"`
}

type fileNotification struct {
	TopicARN string   `toml:"sns_topic_arn"`
	Events   []string `toml:"events"`
}

// knownKeys are the keys a spec file may hold, for the message about an unknown one.
const knownKeys = "name, load_balancers, acceptance_required, private_dns_name, supported_ip_address_types, " +
	"supported_regions, payer_service_owner, allowed_principals, [tags], [notification] sns_topic_arn and events"

// header opens every saved spec: what the file is and how to use it.
const header = `# An endpoint service spec written by plconsole.
# Load it back into the setup wizard with:  plconsole setup --from <this file>
`

// Marshal writes spec as a TOML spec file.
func Marshal(spec model.ServiceSpec) ([]byte, error) {
	acc := spec.AcceptanceRequired
	f := file{
		Name:               spec.Name,
		LoadBalancers:      spec.LoadBalancers,
		AcceptanceRequired: &acc,
		PrivateDNSName:     spec.PrivateDNSName,
		SupportedIPTypes:   spec.SupportedIPTypes,
		SupportedRegions:   spec.SupportedRegions,
		PayerServiceOwner:  spec.PayerServiceOwner,
		Principals:         spec.Principals,
		Tags:               spec.Tags,
	}
	if n := spec.Notification; n != nil {
		f.Notification = &fileNotification{TopicARN: n.TopicARN, Events: model.EventNames(n.Events)}
	}
	if f.LoadBalancers == nil {
		f.LoadBalancers = []string{}
	}
	var b bytes.Buffer
	b.WriteString(header)
	if err := toml.NewEncoder(&b).Encode(f); err != nil {
		return nil, fmt.Errorf("writing the service spec: %w", err)
	}
	return b.Bytes(), nil
}

// Parse reads a TOML spec file. Account ids among the principals become root ARNs and event
// names may be in any case; everything else must be as AWS takes it. Every problem is
// reported, with the key it is about: unknown keys, wrong types, then each invalid field
// (model.SpecErrors), checked for no particular Region — the wizard checks the Regions
// against the one it runs in.
func Parse(data []byte) (model.ServiceSpec, error) {
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return model.ServiceSpec{}, fmt.Errorf("not a valid TOML spec: %w", err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		keys := make([]string, len(undec))
		for i, k := range undec {
			keys[i] = k.String()
		}
		return model.ServiceSpec{}, fmt.Errorf("unknown keys %s; a spec holds %s", strings.Join(keys, ", "), knownKeys)
	}
	spec := model.ServiceSpec{
		Name:               f.Name,
		LoadBalancers:      f.LoadBalancers,
		AcceptanceRequired: f.AcceptanceRequired == nil || *f.AcceptanceRequired,
		PrivateDNSName:     model.NormalizePrivateDNSName(f.PrivateDNSName),
		SupportedIPTypes:   f.SupportedIPTypes,
		SupportedRegions:   f.SupportedRegions,
		PayerServiceOwner:  f.PayerServiceOwner,
		Tags:               f.Tags,
	}
	if len(spec.Tags) == 0 {
		spec.Tags = nil
	}
	var errs model.SpecErrors
	for _, p := range f.Principals {
		n, err := model.NormalizePrincipal(p)
		if err != nil {
			errs = append(errs, &model.FieldError{Field: model.FieldPrincipals, Err: err})
			break
		}
		spec.Principals = append(spec.Principals, n)
	}
	if n := f.Notification; n != nil {
		spec.Notification = &model.NotificationSpec{TopicARN: n.TopicARN}
		for _, e := range n.Events {
			ev, err := model.ParseNotificationEvent(e)
			if err != nil {
				errs = append(errs, &model.FieldError{Field: model.FieldNotificationEvents, Err: err})
				break
			}
			spec.Notification.Events = append(spec.Notification.Events, ev)
		}
	}
	if err := spec.Validate(""); err != nil {
		var se model.SpecErrors
		if errors.As(err, &se) {
			for _, e := range se {
				if errs.Field(e.Field) == nil {
					errs = append(errs, e)
				}
			}
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return fieldOrder(errs[i].Field) < fieldOrder(errs[j].Field) })
		return spec, errs
	}
	return spec, nil
}

// fieldOrder sorts errors in the order the fields appear in a file.
func fieldOrder(field string) int {
	order := []string{model.FieldName, model.FieldLoadBalancers, model.FieldAcceptanceRequired, model.FieldPrivateDNSName,
		model.FieldSupportedIPTypes, model.FieldSupportedRegions, model.FieldPayerServiceOwner, model.FieldPrincipals,
		model.FieldTags, model.FieldNotificationTopic, model.FieldNotificationEvents}
	for i, f := range order {
		if f == field {
			return i
		}
	}
	return len(order)
}
