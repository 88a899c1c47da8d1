package sqldb

import "zhagen/throttle"

// HashRuns returns how many password hashes the process has computed.
func HashRuns() int64 { return argonRuns.Load() }

// SetArgonGate replaces the password hashing gate until restore is called.
func SetArgonGate(g *throttle.Gate) (restore func()) {
	old := argonGate
	argonGate = g
	return func() { argonGate = old }
}
