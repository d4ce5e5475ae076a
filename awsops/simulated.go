package awsops

// ForSimulatedRegion returns cfg set up to act in a simulated region (awsops/sim) served at
// endpointURL: the region it serves, the DEMO badge, the "demo" profile label, and requests
// signed with accessKey, from which the simulated region picks the calling account, instead
// of the machine's credentials. plconsole --demo and the tests both build their
// configuration with it, so the tests reach the simulated region exactly as the demo does.
func (cfg Config) ForSimulatedRegion(endpointURL, region, accessKey string) Config {
	cfg.Demo = true
	cfg.Profile = "demo"
	cfg.Region = region
	cfg.EndpointURL = endpointURL
	cfg.StaticAccessKey = accessKey
	return cfg
}
