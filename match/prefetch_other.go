//go:build !amd64

package match

import "unsafe"

// prefetch does nothing on this architecture.
func prefetch(addr unsafe.Pointer) {}
