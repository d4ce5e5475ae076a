package wizard

import (
	"errors"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/plconsole/plconsole/model"
)

// validated turns a model validator into a form's: the model's sentence, without its
// "invalid value" prefix (the form already says the field is wrong).
func validated(fn func(string) error) func(string) error {
	return func(s string) error {
		if err := fn(s); err != nil {
			return errors.New(message(err))
		}
		return nil
	}
}

// formStep is a step that is one huh form over the answers. The form edits the answers in
// place, so going back and forth keeps what was typed; submitting moves on.
type formStep struct {
	p     *Page
	id    stepID
	name  string
	build func() *form
	f     *form
	w, h  int
}

func (s *formStep) title() string   { return s.name }
func (s *formStep) capturing() bool { return s.f != nil && s.f.open() }
func (s *formStep) keys() []string  { return nil }
func (s *formStep) help() []string  { return nil }
func (s *formStep) status() string {
	return "enter next field · shift+tab previous field · space toggles a choice · esc previous step (answers are kept)"
}

func (s *formStep) setSize(w, h int) {
	s.w, s.h = w, h
	if s.f != nil {
		s.f.setSize(w, h)
	}
}

func (s *formStep) enter() tea.Cmd {
	s.f = s.build()
	s.f.setSize(s.w, s.h)
	return s.f.init()
}

func (s *formStep) update(msg tea.Msg) tea.Cmd {
	if s.f == nil || s.p.cur != s.id {
		return nil
	}
	if done, ok := msg.(formDoneMsg); ok {
		if done.id != s.f.id {
			return nil
		}
		if done.submitted {
			return s.p.next()
		}
		return s.p.back()
	}
	return s.f.update(msg)
}

// field is the key of the form's focused field.
func (s *formStep) field() string {
	if s.f == nil || !s.f.open() {
		return ""
	}
	return s.f.form.GetFocusedField().GetKey()
}

func (s *formStep) view() string {
	if s.f == nil {
		return ""
	}
	return s.f.view()
}

// ---- settings ------------------------------------------------------------------------------

func newSettingsStep(p *Page) *formStep {
	s := &formStep{p: p, id: stepSettings, name: "Settings"}
	s.build = func() *form { return settingsForm(p) }
	return s
}

func settingsForm(p *Page) *form {
	a := &p.ans
	home := p.home
	edit := p.start.Mode == Edit
	gateway := (model.ServiceSpec{LoadBalancers: a.lbs}).IsGateway()
	var fields []huh.Field
	if !edit {
		fields = append(fields, huh.NewInput().Key("name").Title("Name").
			Description("The service's Name tag: how plconsole and the AWS console label it.").
			Placeholder("e.g. orders-api").Value(&a.name).
			Validate(validated(model.ValidateTagValue)))
	}
	fields = append(fields, huh.NewConfirm().Key("acceptance").Title("Acceptance").
		Description("Required: every consumer's connection request waits for your approval (recommended). "+
			"Automatic: any allowed principal is connected at once.").
		Affirmative("Required").Negative("Automatic").Value(&a.acceptance))
	if gateway {
		a.dns = ""
	} else {
		desc := "Consumers resolve this name to their endpoint. After the create you prove you own the domain with a TXT record. Leave empty for none."
		if edit {
			desc = "Change it, or clear it to remove the name (consumers then use the endpoint's own DNS names)."
		}
		fields = append(fields, huh.NewInput().Key("dns").Title("Private DNS name").Description(desc).
			Placeholder("e.g. api.example.com").Value(&a.dns).
			Validate(validated(func(s string) error {
				s = strings.TrimSpace(s)
				if s == "" {
					return nil
				}
				return model.ValidatePrivateDNSName(s)
			})))
	}
	fields = append(fields, huh.NewMultiSelect[string]().Key("ipTypes").Title("Supported IP address types").
		Description("What consumers' endpoints may use: ipv6 needs dualstack load balancers. space toggles.").
		Options(huh.NewOption("ipv4", model.IPTypeIPv4), huh.NewOption("ipv6", model.IPTypeIPv6)).
		Value(&a.ipTypes).
		Validate(func(v []string) error {
			if len(v) == 0 {
				return errors.New("choose at least one IP address type: ipv4, ipv6 or both")
			}
			return nil
		}))
	fields = append(fields, huh.NewInput().Key("regions").Title("Supported Regions (cross-region)").
		Description("Other Regions consumers may connect from, separated by commas; "+home+" is always supported. "+
			"Offering the service to other Regions needs the IAM permission vpce:AllowMultiRegion.").
		Placeholder("e.g. eu-west-1, us-west-2").Value(&a.regions).
		Validate(validated(func(s string) error { _, err := model.ParseRegionList(home, s); return err })))
	if !edit && !gateway {
		fields = append(fields, huh.NewConfirm().Key("payer").Title("Payer responsibility").
			Description("Set ServiceOwner to pay for consumers' endpoint hours and data processing yourself. "+
				"Once ServiceOwner it cannot be set back.").
			Affirmative("Set ServiceOwner").Negative("Leave as AWS sets it").Value(&a.payer))
	}
	if !edit {
		fields = append(fields, huh.NewInput().Key("tags").Title("Tags").
			Description("key=value pairs separated by commas (a value cannot hold a comma); the Name tag comes from Name.").
			Placeholder("e.g. team=orders, env=prod").Value(&a.tags).
			Validate(validated(func(s string) error {
				tags, err := model.ParseTagList(s)
				if err == nil {
					if _, named := tags["Name"]; named {
						return errors.New("set the Name tag with the Name field above")
					}
				}
				return err
			})))
	}
	return newForm(p.ctx.Styles, huh.NewGroup(fields...))
}

// ---- access --------------------------------------------------------------------------------

func newAccessStep(p *Page) *formStep {
	s := &formStep{p: p, id: stepAccess, name: "Access"}
	s.build = func() *form { return accessForm(p) }
	return s
}

// wildcardAsked says whether the principals typed so far include "*".
func wildcardAsked(principals string) bool {
	ps, _ := model.ParsePrincipalList(principals)
	return slices.Contains(ps, "*")
}

func accessForm(p *Page) *form {
	a := &p.ans
	principals := huh.NewGroup(huh.NewInput().Key("principals").Title("Allowed principals").
		Description("Who may request a connection: account ids or IAM ARNs (arn:aws:iam::<account>:root, …:role/<name>), " +
			"separated by commas. * allows every AWS account. Leave empty to add them later (+ on the service's Principals tab).").
		Placeholder("e.g. 444455556666, arn:aws:iam::111122223333:role/consumer").Value(&a.principals).
		Validate(validated(func(s string) error { _, err := model.ParsePrincipalList(s); return err })))
	confirm := huh.NewGroup(huh.NewInput().Key("everyone").Title("Type " + wordEveryone + " to confirm").
		Description("* with acceptance set to Automatic lets EVERY AWS account connect to this service at once, with no approval. " +
			"Type " + wordEveryone + " to allow that, or go back (shift+tab) and name the accounts.").
		Value(&a.confirmEveryone).
		Validate(func(s string) error {
			if strings.TrimSpace(s) != wordEveryone {
				return errors.New("type " + wordEveryone + " exactly to allow every AWS account without approval, or go back (shift+tab) and remove *")
			}
			return nil
		})).
		WithHideFunc(func() bool { return a.acceptance || !wildcardAsked(a.principals) })
	notify := huh.NewGroup(
		huh.NewInput().Key("topic").Title("SNS topic for connection notifications").
			Description("Optional: AWS publishes the service's connection events to this topic (approval automation, alerts).").
			Placeholder("e.g. arn:aws:sns:"+p.home+":<account>:<topic>").Value(&a.topic).
			Validate(validated(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return nil
				}
				return model.ValidateSNSTopicARN(strings.TrimSpace(s))
			})),
		huh.NewMultiSelect[string]().Key("events").Title("Events").Description("Sent to the topic; space toggles.").
			Options(eventOptions()...).Value(&a.events).
			Validate(func(v []string) error {
				if strings.TrimSpace(a.topic) != "" && len(v) == 0 {
					return errors.New("choose at least one event, or clear the topic")
				}
				return nil
			}))
	return newForm(p.ctx.Styles, principals, confirm, notify)
}

func eventOptions() []huh.Option[string] {
	var out []huh.Option[string]
	for _, e := range model.NotificationEvents {
		out = append(out, huh.NewOption(string(e), string(e)))
	}
	return out
}
