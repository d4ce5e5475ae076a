package model

import (
	"errors"
	"fmt"
	"testing"
)

func TestIsNotFound(t *testing.T) {
	for code, want := range map[string]bool{"InvalidVpcEndpointServiceId.NotFound": true, "InvalidVpcEndpointId.NotFound": true,
		"LoadBalancerNotFound": true, "ResourceNotFoundException": true, "Throttling": false, "": false} {
		if got := IsNotFound(fmt.Errorf("reading: %w", &AWSError{Code: code})); got != want {
			t.Errorf("IsNotFound(%q) = %v", code, got)
		}
	}
	if IsNotFound(errors.New("InvalidVpcEndpointId.NotFound")) {
		t.Error("only an AWS error's code says not found")
	}
}
