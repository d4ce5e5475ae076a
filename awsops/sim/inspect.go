package sim

// Inspect runs f with the world under its read lock, for tests and tools that compare what
// an API client saw with the world itself. f must not keep references past its return.
func (s *Server) Inspect(f func(w *World)) {
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	f(s.world)
}
