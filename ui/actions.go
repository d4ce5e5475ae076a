package ui

import (
	"github.com/plconsole/plconsole/model"
)

// action is what a view reports to the root ("children report, parents act"): the root
// opens the dialog, runs the command and routes the result.
type action interface{ isAction() }

type actOpenService struct {
	id    string
	tab   int
	focus string // row id to put the cursor on
}

type actConnections struct {
	accept bool
	conns  []model.Connection
}

type actAddPrincipals struct{ svc model.EndpointService }

type actRemovePrincipals struct {
	svc  model.EndpointService
	arns []string
}

type actVerifyDNS struct{ svc model.EndpointService }

type actCopy struct{ label, text string }

type actPayer struct{ svc model.EndpointService }

type actAddNotification struct{ svc model.EndpointService }

type actRemoveNotifications struct {
	svc model.EndpointService
	ids []string
}

type actDeleteService struct{ svc model.EndpointService }

type actFlash struct {
	text  string
	level flashLevel
}

type actShowTXT struct{ svc model.EndpointService }

func (actOpenService) isAction()         {}
func (actConnections) isAction()         {}
func (actAddPrincipals) isAction()       {}
func (actRemovePrincipals) isAction()    {}
func (actVerifyDNS) isAction()           {}
func (actCopy) isAction()                {}
func (actPayer) isAction()               {}
func (actAddNotification) isAction()     {}
func (actRemoveNotifications) isAction() {}
func (actDeleteService) isAction()       {}
func (actFlash) isAction()               {}
func (actShowTXT) isAction()             {}
