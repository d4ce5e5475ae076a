package awsops

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// Page sizes: the largest each API accepts, so a fleet costs as few calls as possible.
const (
	ec2PageSize = 1000 // MaxResults 5–1000 on the Describe calls awsops pages through
	elbPageSize = 400  // PageSize 1–400 on ELBv2 Describe calls
	// maxEndpointIDsPerCall bounds the ids of one accept, reject or delete request.
	maxEndpointIDsPerCall = 1000
)

// ListServices reads every endpoint service the caller provides (without allowed principals
// and notifications — ServiceDetail adds those), in pages of 1000.
func (c *Client) ListServices(ctx context.Context) ([]model.EndpointService, error) {
	s := c.session()
	return c.listServices(ctx, s)
}

func (c *Client) listServices(ctx context.Context, s *session) ([]model.EndpointService, error) {
	const op = "DescribeVpcEndpointServiceConfigurations"
	p := ec2.NewDescribeVpcEndpointServiceConfigurationsPaginator(s.ec2,
		&ec2.DescribeVpcEndpointServiceConfigurationsInput{MaxResults: aws.Int32(ec2PageSize)})
	var out []model.EndpointService
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError(op, err)
		}
		for _, sc := range page.ServiceConfigurations {
			out = append(out, serviceFromSDK(sc))
		}
	}
	return out, nil
}

// ServiceDetail reads one endpoint service with its allowed principals and notifications.
func (c *Client) ServiceDetail(ctx context.Context, serviceID string) (model.EndpointService, error) {
	s := c.session()
	const op = "DescribeVpcEndpointServiceConfigurations"
	out, err := s.ec2.DescribeVpcEndpointServiceConfigurations(ctx,
		&ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{serviceID}})
	if err != nil {
		return model.EndpointService{}, c.mapError(op, err)
	}
	if len(out.ServiceConfigurations) == 0 {
		return model.EndpointService{}, &model.AWSError{
			Operation: op, Code: "InvalidVpcEndpointServiceId.NotFound",
			Sentence: fmt.Sprintf("%s: endpoint service %s was not found in %s.", op, serviceID, s.region),
		}
	}
	svc := serviceFromSDK(out.ServiceConfigurations[0])
	var (
		wg               sync.WaitGroup
		permErr, notiErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		svc.AllowedPrincipals, permErr = c.principals(ctx, s, serviceID)
	}()
	go func() {
		defer wg.Done()
		svc.Notifications, notiErr = c.notifications(ctx, s, serviceID)
	}()
	wg.Wait()
	if permErr != nil {
		return svc, permErr
	}
	return svc, notiErr
}

// ListPrincipals reads the principals allowed to connect to one endpoint service: one
// DescribeVpcEndpointServicePermissions per 1000 principals (one call for almost every
// service). The console's health badges need the principals of every service but not the
// rest of ServiceDetail, which costs three calls.
func (c *Client) ListPrincipals(ctx context.Context, serviceID string) ([]model.Principal, error) {
	return c.principals(ctx, c.session(), serviceID)
}

func (c *Client) principals(ctx context.Context, s *session, serviceID string) ([]model.Principal, error) {
	const op = "DescribeVpcEndpointServicePermissions"
	p := ec2.NewDescribeVpcEndpointServicePermissionsPaginator(s.ec2, &ec2.DescribeVpcEndpointServicePermissionsInput{
		ServiceId: aws.String(serviceID), MaxResults: aws.Int32(ec2PageSize),
	})
	out := []model.Principal{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError(op, err)
		}
		for _, ap := range page.AllowedPrincipals {
			out = append(out, model.Principal{
				ARN:  aws.ToString(ap.Principal),
				Type: string(ap.PrincipalType),
				ID:   aws.ToString(ap.ServicePermissionId),
				Tags: tagsFromSDK(ap.Tags),
			})
		}
	}
	return out, nil
}

func (c *Client) notifications(ctx context.Context, s *session, serviceID string) ([]model.Notification, error) {
	const op = "DescribeVpcEndpointConnectionNotifications"
	p := ec2.NewDescribeVpcEndpointConnectionNotificationsPaginator(s.ec2, &ec2.DescribeVpcEndpointConnectionNotificationsInput{
		Filters:    []types.Filter{{Name: aws.String("service-id"), Values: []string{serviceID}}},
		MaxResults: aws.Int32(ec2PageSize),
	})
	out := []model.Notification{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.mapError(op, err)
		}
		for _, n := range page.ConnectionNotificationSet {
			out = append(out, notificationFromSDK(n))
		}
	}
	return out, nil
}

// CreateService creates an endpoint service. The ClientToken (generated when the input has
// none) makes the SDK's retries idempotent: AWS returns the same service for the same token.
func (c *Client) CreateService(ctx context.Context, in model.CreateServiceInput) (model.EndpointService, error) {
	const op = "CreateVpcEndpointServiceConfiguration"
	token := in.ClientToken
	if token == "" {
		token = model.NewClientToken()
	}
	req := &ec2.CreateVpcEndpointServiceConfigurationInput{
		AcceptanceRequired:      aws.Bool(in.AcceptanceRequired),
		ClientToken:             aws.String(token),
		DryRun:                  c.dryRun(),
		NetworkLoadBalancerArns: in.NetworkLoadBalancerARNs,
		GatewayLoadBalancerArns: in.GatewayLoadBalancerARNs,
		SupportedIpAddressTypes: in.SupportedIPTypes,
		SupportedRegions:        in.SupportedRegions,
	}
	if in.PrivateDNSName != "" {
		req.PrivateDnsName = aws.String(in.PrivateDNSName)
	}
	if len(in.Tags) > 0 {
		req.TagSpecifications = []types.TagSpecification{{
			ResourceType: types.ResourceTypeVpcEndpointService,
			Tags:         tagsToSDK(in.Tags),
		}}
	}
	targets := append(append([]string{}, in.NetworkLoadBalancerARNs...), in.GatewayLoadBalancerARNs...)
	var svc model.EndpointService
	err := c.doWrite(op, targets, func(s *session) (writeOutcome, error) {
		out, err := s.ec2.CreateVpcEndpointServiceConfiguration(ctx, req)
		if err != nil {
			return writeOutcome{}, err
		}
		if out.ServiceConfiguration != nil {
			svc = serviceFromSDK(*out.ServiceConfiguration)
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
	return svc, err
}

// ModifyService changes an endpoint service's configuration. The audit line names the
// service and every load balancer added or removed.
func (c *Client) ModifyService(ctx context.Context, in model.ModifyServiceInput) error {
	const op = "ModifyVpcEndpointServiceConfiguration"
	req := &ec2.ModifyVpcEndpointServiceConfigurationInput{
		ServiceId:                     aws.String(in.ServiceID),
		DryRun:                        c.dryRun(),
		AcceptanceRequired:            in.AcceptanceRequired,
		PrivateDnsName:                in.PrivateDNSName,
		AddNetworkLoadBalancerArns:    in.AddNetworkLoadBalancerARNs,
		RemoveNetworkLoadBalancerArns: in.RemoveNetworkLoadBalancerARNs,
		AddGatewayLoadBalancerArns:    in.AddGatewayLoadBalancerARNs,
		RemoveGatewayLoadBalancerArns: in.RemoveGatewayLoadBalancerARNs,
		AddSupportedIpAddressTypes:    in.AddSupportedIPTypes,
		RemoveSupportedIpAddressTypes: in.RemoveSupportedIPTypes,
		AddSupportedRegions:           in.AddSupportedRegions,
		RemoveSupportedRegions:        in.RemoveSupportedRegions,
	}
	if in.RemovePrivateDNSName {
		req.RemovePrivateDnsName = aws.Bool(true)
	}
	targets := []string{in.ServiceID}
	for _, arns := range [][]string{in.AddNetworkLoadBalancerARNs, in.RemoveNetworkLoadBalancerARNs,
		in.AddGatewayLoadBalancerARNs, in.RemoveGatewayLoadBalancerARNs} {
		targets = append(targets, arns...)
	}
	return c.doWrite(op, dedupe(targets), func(s *session) (writeOutcome, error) {
		out, err := s.ec2.ModifyVpcEndpointServiceConfiguration(ctx, req)
		if err != nil {
			return writeOutcome{}, err
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
}

// AddPrincipals allows principals (account, user or role ARNs, or "*") to connect.
func (c *Client) AddPrincipals(ctx context.Context, serviceID string, arns []string) error {
	return c.modifyPermissions(ctx, serviceID, arns, nil)
}

// RemovePrincipals stops allowing principals; their existing connections stay up.
func (c *Client) RemovePrincipals(ctx context.Context, serviceID string, arns []string) error {
	return c.modifyPermissions(ctx, serviceID, nil, arns)
}

func (c *Client) modifyPermissions(ctx context.Context, serviceID string, add, remove []string) error {
	const op = "ModifyVpcEndpointServicePermissions"
	targets := append([]string{serviceID}, append(append([]string{}, add...), remove...)...)
	return c.doWrite(op, targets, func(s *session) (writeOutcome, error) {
		out, err := s.ec2.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
			ServiceId:               aws.String(serviceID),
			AddAllowedPrincipals:    add,
			RemoveAllowedPrincipals: remove,
			DryRun:                  c.dryRun(),
		})
		if err != nil {
			return writeOutcome{}, err
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
}

// StartDNSVerification asks AWS to look for the service's TXT record now.
func (c *Client) StartDNSVerification(ctx context.Context, serviceID string) error {
	const op = "StartVpcEndpointServicePrivateDnsVerification"
	return c.doWrite(op, []string{serviceID}, func(s *session) (writeOutcome, error) {
		out, err := s.ec2.StartVpcEndpointServicePrivateDnsVerification(ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{
			ServiceId: aws.String(serviceID), DryRun: c.dryRun(),
		})
		if err != nil {
			return writeOutcome{}, err
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
}

// SetPayerResponsibility makes the service owner pay for endpoint usage (irreversible).
func (c *Client) SetPayerResponsibility(ctx context.Context, serviceID string, p model.PayerResponsibility) error {
	const op = "ModifyVpcEndpointServicePayerResponsibility"
	return c.doWrite(op, []string{serviceID}, func(s *session) (writeOutcome, error) {
		out, err := s.ec2.ModifyVpcEndpointServicePayerResponsibility(ctx, &ec2.ModifyVpcEndpointServicePayerResponsibilityInput{
			ServiceId: aws.String(serviceID), PayerResponsibility: types.PayerResponsibility(p), DryRun: c.dryRun(),
		})
		if err != nil {
			return writeOutcome{}, err
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
}

// CreateNotification sends the service's connection events to an SNS topic.
func (c *Client) CreateNotification(ctx context.Context, serviceID, topicARN string, events []model.NotificationEvent) (model.Notification, error) {
	const op = "CreateVpcEndpointConnectionNotification"
	evs := make([]string, len(events))
	for i, e := range events {
		evs[i] = string(e)
	}
	var n model.Notification
	err := c.doWrite(op, []string{serviceID, topicARN}, func(s *session) (writeOutcome, error) {
		out, err := s.ec2.CreateVpcEndpointConnectionNotification(ctx, &ec2.CreateVpcEndpointConnectionNotificationInput{
			ServiceId:                 aws.String(serviceID),
			ConnectionNotificationArn: aws.String(topicARN),
			ConnectionEvents:          evs,
			ClientToken:               aws.String(model.NewClientToken()),
			DryRun:                    c.dryRun(),
		})
		if err != nil {
			return writeOutcome{}, err
		}
		if out.ConnectionNotification != nil {
			n = notificationFromSDK(*out.ConnectionNotification)
		}
		return writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}, nil
	})
	return n, err
}

// DeleteNotifications deletes connection notifications, one request per 1000 ids; results
// and err follow bulkWrite's contract (one outcome per id, also when a request failed).
func (c *Client) DeleteNotifications(ctx context.Context, ids []string) ([]model.ItemResult, error) {
	const op = "DeleteVpcEndpointConnectionNotifications"
	return c.bulkWrite(ctx, op, nil, ids, func(ctx context.Context, s *session, chunk []string) ([]types.UnsuccessfulItem, middleware.Metadata, error) {
		out, err := s.ec2.DeleteVpcEndpointConnectionNotifications(ctx, &ec2.DeleteVpcEndpointConnectionNotificationsInput{
			ConnectionNotificationIds: chunk, DryRun: c.dryRun(),
		})
		if err != nil {
			return nil, middleware.Metadata{}, err
		}
		return out.Unsuccessful, out.ResultMetadata, nil
	})
}

// DeleteService deletes an endpoint service. It is refused here, without a delete request,
// while the service still has pendingAcceptance, pending or available connections: AWS
// requires them to be rejected first, and saying so up front is clearer than its error.
func (c *Client) DeleteService(ctx context.Context, serviceID string) error {
	const op = "DeleteVpcEndpointServiceConfigurations"
	return c.doWrite(op, []string{serviceID}, func(s *session) (writeOutcome, error) {
		conns, err := c.listConnections(ctx, s, serviceID)
		if err != nil {
			return writeOutcome{}, err
		}
		if sum := model.Summarize(conns); !sum.CanDeleteService() {
			n := sum.DeleteBlockers()
			return writeOutcome{}, fmt.Errorf("endpoint service %s was not deleted: it still has %d connection%s (%s); reject them first: %w",
				serviceID, n, plural(n), sum.DeleteBlockersText(), model.ErrServiceHasConnections)
		}
		out, err := s.ec2.DeleteVpcEndpointServiceConfigurations(ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{
			ServiceIds: []string{serviceID}, DryRun: c.dryRun(),
		})
		if err != nil {
			return writeOutcome{}, err
		}
		wo := writeOutcome{requestIDs: requestIDs(out.ResultMetadata)}
		for _, u := range out.Unsuccessful {
			code, msg := "", ""
			if u.Error != nil {
				code, msg = aws.ToString(u.Error.Code), aws.ToString(u.Error.Message)
			}
			wo.failed = []string{serviceID}
			return wo, &model.AWSError{
				Operation: op, Code: code, Message: msg, Sentence: itemSentence(op, code, msg),
				RequestID: firstOf(wo.requestIDs),
			}
		}
		return wo, nil
	})
}

// serviceFromSDK converts a ServiceConfiguration, normalising AWS's enum spellings.
func serviceFromSDK(sc types.ServiceConfiguration) model.EndpointService {
	svc := model.EndpointService{
		ID:                   aws.ToString(sc.ServiceId),
		Name:                 aws.ToString(sc.ServiceName),
		Type:                 model.ServiceTypeInterface,
		State:                model.ServiceState(sc.ServiceState),
		AcceptanceRequired:   aws.ToBool(sc.AcceptanceRequired),
		ManagesVpcEndpoints:  aws.ToBool(sc.ManagesVpcEndpoints),
		NetworkLoadBalancers: sc.NetworkLoadBalancerArns,
		GatewayLoadBalancers: sc.GatewayLoadBalancerArns,
		AvailabilityZones:    sc.AvailabilityZones,
		AvailabilityZoneIDs:  sc.AvailabilityZoneIds,
		BaseEndpointDNSNames: sc.BaseEndpointDnsNames,
		RemoteAccessEnabled:  aws.ToBool(sc.RemoteAccessEnabled),
		PayerResponsibility:  model.PayerResponsibility(sc.PayerResponsibility),
		Tags:                 tagsFromSDK(sc.Tags),
	}
	for _, t := range sc.ServiceType {
		if t.ServiceType == types.ServiceTypeGatewayLoadBalancer {
			svc.Type = model.ServiceTypeGateway
		}
	}
	svc.DisplayName = svc.Tags["Name"]
	for _, t := range sc.SupportedIpAddressTypes {
		svc.SupportedIPTypes = append(svc.SupportedIPTypes, string(t))
	}
	for _, r := range sc.SupportedRegions {
		svc.SupportedRegions = append(svc.SupportedRegions, model.SupportedRegion{
			Region: aws.ToString(r.Region), Status: aws.ToString(r.ServiceState),
		})
	}
	if name := aws.ToString(sc.PrivateDnsName); name != "" || sc.PrivateDnsNameConfiguration != nil {
		pd := &model.PrivateDNS{Name: name}
		if cfg := sc.PrivateDnsNameConfiguration; cfg != nil {
			pd.State = normaliseDNSState(string(cfg.State))
			pd.TXTName = aws.ToString(cfg.Name)
			pd.TXTValue = aws.ToString(cfg.Value)
			pd.Type = aws.ToString(cfg.Type)
		}
		svc.PrivateDNS = pd
	}
	return svc
}

func normaliseDNSState(s string) model.DNSVerificationState {
	for _, st := range []model.DNSVerificationState{model.DNSPendingVerification, model.DNSVerified, model.DNSFailed} {
		if strings.EqualFold(string(st), s) {
			return st
		}
	}
	return model.DNSVerificationState(s)
}

func notificationFromSDK(n types.ConnectionNotification) model.Notification {
	out := model.Notification{
		ID:         aws.ToString(n.ConnectionNotificationId),
		TopicARN:   aws.ToString(n.ConnectionNotificationArn),
		ServiceID:  aws.ToString(n.ServiceId),
		EndpointID: aws.ToString(n.VpcEndpointId),
		State:      string(n.ConnectionNotificationState),
	}
	for _, e := range n.ConnectionEvents {
		out.Events = append(out.Events, model.NotificationEvent(e))
	}
	return out
}

func tagsFromSDK(tags []types.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func tagsToSDK(m map[string]string) []types.Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]types.Tag, 0, len(m))
	for _, k := range keys {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

// dryRun is the DryRun parameter of every EC2 write.
func (c *Client) dryRun() *bool {
	if c.cfg.DryRun {
		return aws.Bool(true)
	}
	return nil
}

func requestIDs(md middleware.Metadata) []string {
	if id, ok := awsmiddleware.GetRequestIDMetadata(md); ok && id != "" {
		return []string{id}
	}
	return nil
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
