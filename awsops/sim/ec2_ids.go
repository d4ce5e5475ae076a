package sim

import "net/http"

// EC2 checks the shape of a resource id before looking it up: an id that cannot be one of
// the kind asked for is refused with the kind's .Malformed code, not reported missing.

// validID says whether id is prefix followed by 8 or 17 lowercase hex digits, the short
// and long forms of EC2 resource ids.
func validID(id, prefix string) bool {
	if len(id) <= len(prefix) || id[:len(prefix)] != prefix {
		return false
	}
	hex := id[len(prefix):]
	if len(hex) != 8 && len(hex) != 17 {
		return false
	}
	for i := 0; i < len(hex); i++ {
		if c := hex[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// errMalformedID is the refusal of an id of the wrong shape. The endpoint family words it
// "Invalid Id: '…'", the older resources "Invalid id: \"…\"".
func errMalformedID(id, prefix, code string) *APIError {
	switch code {
	case codeMalformedServiceID, codeMalformedEndpointID:
		return apiErr(http.StatusBadRequest, code, "Invalid Id: '%s'", id)
	}
	return apiErr(http.StatusBadRequest, code, "Invalid id: \"%s\" (expecting \"%s...\")", id, prefix)
}

// The .Malformed codes of the EC2 error list for the ids the simulated region reads.
const (
	codeMalformedServiceID  = "InvalidVpcEndpointServiceId.Malformed"
	codeMalformedEndpointID = "InvalidVpcEndpointId.Malformed"
)

// checkID refuses id when it is not of the form prefix + hex.
func checkID(id, prefix, code string) *APIError {
	if validID(id, prefix) {
		return nil
	}
	return errMalformedID(id, prefix, code)
}

// checkIDs refuses the first id of ids that is not of the form prefix + hex.
func checkIDs(ids []string, prefix, code string) *APIError {
	for _, id := range ids {
		if e := checkID(id, prefix, code); e != nil {
			return e
		}
	}
	return nil
}

// checkServiceID and checkEndpointID are the checks of the PrivateLink ids.
func checkServiceID(id string) *APIError  { return checkID(id, "vpce-svc-", codeMalformedServiceID) }
func checkEndpointID(id string) *APIError { return checkID(id, "vpce-", codeMalformedEndpointID) }
