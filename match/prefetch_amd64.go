package match

import "unsafe"

// prefetch asks the processor to bring the cache line at addr closer
// without waiting for it (PREFETCHT0); it never faults.
//
//go:noescape
func prefetch(addr unsafe.Pointer)
