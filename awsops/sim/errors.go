package sim

import (
	"fmt"
	"net/http"
)

// APIError is an error the simulated region answers with: AWS's code, its HTTP status and a
// message. The protocol layer renders it in the shape each wire protocol uses.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func apiErr(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// errInvalidParam is AWS's generic 400 for a parameter with a wrong value.
func errInvalidParam(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidParameterValue", format, args...)
}

// errMissingParam is AWS's 400 for a required parameter that was not sent.
func errMissingParam(name string) *APIError {
	return apiErr(http.StatusBadRequest, "MissingParameter",
		"The request must contain the parameter %s", name)
}

// errDryRun is what EC2 answers to a valid, permitted request sent with DryRun=true.
func errDryRun() *APIError {
	return apiErr(http.StatusPreconditionFailed, "DryRunOperation",
		"Request would have succeeded, but DryRun flag is set.")
}

func errUnknownOperation(service, action string) *APIError {
	return apiErr(http.StatusBadRequest, "InvalidAction",
		"The action %s is not valid for this web service (%s) in the simulated region.", action, service)
}

// throttleErr is the throttling error each service really uses.
func throttleErr(service string) *APIError {
	if service == svcEC2 {
		return apiErr(http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
	}
	return apiErr(http.StatusBadRequest, "Throttling", "Rate exceeded")
}

func internalErr(service string) *APIError {
	code := "InternalError"
	if service == svcCloudWatch {
		code = "InternalServiceFault"
	} else if service == svcELB || service == svcSTS {
		code = "InternalFailure"
	}
	return apiErr(http.StatusInternalServerError, code, "An internal error has occurred (injected fault).")
}
