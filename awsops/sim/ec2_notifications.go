package sim

import (
	"net/http"
	"slices"
	"strings"
)

// EC2 connection notifications: an SNS topic told about Accept / Connect / Delete / Reject
// events of a service's connections (provider) or of one endpoint (consumer).

var connectionEvents = []string{"Accept", "Connect", "Delete", "Reject"}

func errNotificationNotFound(id string) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidConnectionNotification",
		"The connection notification '%s' does not exist", id)
}

func checkEvents(events []string) *APIError {
	if len(events) == 0 {
		return errMissingParam("ConnectionEvents")
	}
	for _, e := range events {
		if !containsStr(connectionEvents, e) {
			return errInvalidParam("Invalid value '%s' for ConnectionEvents: expected Accept, Connect, Delete or Reject.", e)
		}
	}
	return nil
}

func checkTopicARN(arn string) *APIError {
	if !snsTopicPattern.MatchString(arn) {
		return errInvalidParam("Invalid value '%s' for ConnectionNotificationArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account-id>:<topic>).", arn)
	}
	return nil
}

// ownNotification is the caller's notification with this id (nil: none). Caller holds the
// world lock.
func (s *Server) ownNotification(c *Call, id string) *Notification {
	if n := s.world.Notification(id); n != nil && n.OwnerID == c.Account.ID {
		return n
	}
	return nil
}

func notificationXML(n *Notification) xmlConnectionNotification {
	return xmlConnectionNotification{
		ConnectionNotificationID:    n.ID,
		ServiceID:                   n.ServiceID,
		VpcEndpointID:               n.EndpointID,
		ConnectionNotificationType:  n.Type,
		ConnectionNotificationArn:   n.TopicARN,
		ConnectionEvents:            n.Events,
		ConnectionNotificationState: n.State,
	}
}

func (s *Server) ec2CreateNotification(c *Call) (any, error) {
	p := c.Params
	svcID, _ := p.String("ServiceId")
	epID, _ := p.String("VpcEndpointId")
	topic, err := requireString(p, "ConnectionNotificationArn")
	if err != nil {
		return nil, err
	}
	events := dedupe(p.List("ConnectionEvents"))
	if e := checkEvents(events); e != nil {
		return nil, e
	}
	if e := checkTopicARN(topic); e != nil {
		return nil, e
	}
	token, err := clientToken(p)
	if err != nil {
		return nil, err
	}
	switch {
	case svcID == "" && epID == "":
		return nil, apiErr(http.StatusBadRequest, "MissingParameter",
			"The request must contain the parameter ServiceId or VpcEndpointId")
	case svcID != "" && epID != "":
		return nil, apiErr(http.StatusBadRequest, "InvalidParameterCombination",
			"Specify either ServiceId or VpcEndpointId, not both.")
	}
	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	// A retried create (same ClientToken, same request) returns the notification the first
	// call made; another token, or none, always makes a new one.
	fingerprint := requestFingerprint(svcID, epID, topic, events)
	if prev := w.NotificationByClientToken(c.Account.ID, token); prev != nil {
		if e := checkReplay(c, prev.RequestFingerprint, fingerprint); e != nil {
			return nil, e
		}
		return &createConnectionNotificationResponse{Notification: notificationXML(prev), ClientToken: token}, nil
	}
	if svcID != "" {
		if _, aerr := s.ownedService(c, svcID); aerr != nil {
			return nil, aerr
		}
	} else if e := checkEndpointID(epID); e != nil {
		return nil, e
	} else if ep := w.Endpoint(epID); ep == nil || ep.OwnerID != c.Account.ID || ep.State == EndpointDeleted {
		return nil, errEndpointIDNotFound(epID)
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	n := w.addNotification(&Notification{
		OwnerID:            c.Account.ID,
		ServiceID:          svcID,
		EndpointID:         epID,
		TopicARN:           topic,
		Events:             events,
		ClientToken:        token,
		RequestFingerprint: fingerprint,
	})
	return &createConnectionNotificationResponse{Notification: notificationXML(n), ClientToken: token}, nil
}

func (s *Server) ec2DescribeNotifications(c *Call) (any, error) {
	p := c.Params
	// The reference gives no range for this MaxResults; 1–1000, refused outside, is a guess.
	pg, err := readPage(p, pageSpec{op: c.Action, min: 1, max: 1000, def: 1000})
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(p, []string{"connection-notification-arn", "connection-notification-id",
		"connection-notification-state", "connection-notification-type", "service-id", "vpc-endpoint-id"}, false)
	if err != nil {
		return nil, err
	}
	id, _ := p.String("ConnectionNotificationId")
	w := s.world
	w.mu.RLock()
	defer w.mu.RUnlock()
	var list []*Notification
	if id != "" {
		n := s.ownNotification(c, id)
		if n == nil {
			return nil, errNotificationNotFound(id)
		}
		list = []*Notification{n}
	} else {
		for _, n := range w.Notifications {
			if n.OwnerID == c.Account.ID {
				list = append(list, n)
			}
		}
		slices.SortFunc(list, func(a, b *Notification) int { return strings.Compare(a.ID, b.ID) })
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	var all []xmlConnectionNotification
	for _, n := range list {
		if fs.match(func(name string) []string {
			switch name {
			case "connection-notification-arn":
				return []string{n.TopicARN}
			case "connection-notification-id":
				return []string{n.ID}
			case "connection-notification-state":
				return []string{n.State}
			case "connection-notification-type":
				return []string{n.Type}
			case "service-id":
				return []string{n.ServiceID}
			case "vpc-endpoint-id":
				return []string{n.EndpointID}
			}
			return nil
		}, nil) {
			all = append(all, notificationXML(n))
		}
	}
	lo, hi, next, err := pageSlice(pg, len(all))
	if err != nil {
		return nil, err
	}
	return &describeConnectionNotificationsResponse{Notifications: all[lo:hi], NextToken: next}, nil
}

func (s *Server) ec2ModifyNotification(c *Call) (any, error) {
	p := c.Params
	id, err := requireString(p, "ConnectionNotificationId")
	if err != nil {
		return nil, err
	}
	topic, hasTopic := p.String("ConnectionNotificationArn")
	if hasTopic {
		if e := checkTopicARN(topic); e != nil {
			return nil, e
		}
	}
	events := dedupe(p.List("ConnectionEvents"))
	if len(events) > 0 {
		if e := checkEvents(events); e != nil {
			return nil, e
		}
	}
	w := s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	n := s.ownNotification(c, id)
	if n == nil {
		return nil, errNotificationNotFound(id)
	}
	if c.DryRun {
		return nil, errDryRun()
	}
	if hasTopic {
		n.TopicARN = topic
	}
	if len(events) > 0 {
		n.Events = events
	}
	return &returnResponse{Return: true}, nil
}

func (s *Server) ec2DeleteNotifications(c *Call) (any, error) {
	return s.deleteEach(c, "ConnectionNotificationId", func(w *World, id string) *APIError {
		if s.ownNotification(c, id) == nil {
			return errNotificationNotFound(id)
		}
		w.deleteNotification(id)
		return nil
	})
}
