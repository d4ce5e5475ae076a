package wizard

import (
	"errors"
	"slices"
	"strings"

	"github.com/plconsole/plconsole/model"
)

// wordEveryone is what the user types to allow every AWS account without approval.
const wordEveryone = "everyone"

// answers is what the user entered, as entered: the forms edit these fields in place, so a
// step left and entered again shows the same text, valid or not. spec parses them.
type answers struct {
	lbs []string // chosen load balancer ARNs, in the order chosen

	name       string
	acceptance bool
	dns        string
	ipTypes    []string
	regions    string
	payer      bool
	tags       string

	principals      string
	confirmEveryone string
	topic           string
	events          []string
}

// answersFrom fills the answers from a spec (a spec file, or the service being changed).
func answersFrom(s model.ServiceSpec) answers {
	a := answers{
		lbs:        slices.Clone(s.LoadBalancers),
		name:       s.Name,
		acceptance: s.AcceptanceRequired,
		dns:        s.PrivateDNSName,
		ipTypes:    slices.Clone(s.IPTypes()),
		regions:    strings.Join(s.SupportedRegions, ", "),
		payer:      s.PayerServiceOwner,
		tags:       model.FormatTagList(s.Tags),
		principals: strings.Join(s.Principals, ", "),
		events:     model.EventNames(model.NotificationEvents),
	}
	if n := s.Notification; n != nil {
		a.topic = n.TopicARN
		a.events = model.EventNames(n.Events)
	}
	return a
}

// defaultAnswers are a new service's: acceptance required (an unknown consumer never
// connects unasked), IPv4, every notification event.
func defaultAnswers() answers {
	return answersFrom(model.ServiceSpec{AcceptanceRequired: true})
}

// spec parses the answers into a spec for a service in region home. The forms validate
// each field as it is left, so an error here means a step was skipped; it names the field.
func (a answers) spec(home string) (model.ServiceSpec, error) {
	s := model.ServiceSpec{
		Name:               strings.TrimSpace(a.name),
		LoadBalancers:      slices.Clone(a.lbs),
		AcceptanceRequired: a.acceptance,
		PrivateDNSName:     strings.TrimSpace(a.dns),
		SupportedIPTypes:   slices.Clone(a.ipTypes),
		PayerServiceOwner:  a.payer,
	}
	var errs []error
	field := func(name string, err error) {
		if err != nil {
			errs = append(errs, &model.FieldError{Field: name, Err: err})
		}
	}
	var err error
	s.SupportedRegions, err = model.ParseRegionList(home, a.regions)
	field(model.FieldSupportedRegions, err)
	s.Tags, err = model.ParseTagList(a.tags)
	field(model.FieldTags, err)
	s.Principals, err = model.ParsePrincipalList(a.principals)
	field(model.FieldPrincipals, err)
	if t := strings.TrimSpace(a.topic); t != "" {
		n := &model.NotificationSpec{TopicARN: t}
		for _, e := range a.events {
			ev, err := model.ParseNotificationEvent(e)
			field(model.FieldNotificationEvents, err)
			n.Events = append(n.Events, ev)
		}
		s.Notification = n
	}
	if len(errs) > 0 {
		return s, errors.Join(errs...)
	}
	if err := s.Validate(home); err != nil {
		return s, err
	}
	return s, nil
}

// everyoneConfirmed says whether "*" without acceptance, if asked for, was confirmed by
// typing the word.
func (a answers) everyoneConfirmed(s model.ServiceSpec) bool {
	return !s.EveryoneWithoutApproval() || strings.TrimSpace(a.confirmEveryone) == wordEveryone
}
