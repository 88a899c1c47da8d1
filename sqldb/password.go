package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"zhagen"
	"zhagen/throttle"
)

// argon2id parameters (OWASP's minimum: 19 MiB, 2 passes, 1 lane).
// Memory and passes are variables only so that test binaries can make
// hashing cheap (UseCheapPasswordHashing).
var (
	argonMemory uint32 = 19 * 1024
	argonTime   uint32 = 2
)

const (
	argonThreads = 1
	argonKeyLen  = 32
)

// UseCheapPasswordHashing makes every hash made from now on cost 64 KiB
// and one pass instead of 19 MiB and two: the test suites create and log
// in thousands of users. Hashes record their parameters, so checking is
// unaffected. It panics outside a test binary; call it before any test
// runs (sqldbtest does, in its init).
func UseCheapPasswordHashing() {
	if !testing.Testing() {
		panic("sqldb: UseCheapPasswordHashing outside a test binary")
	}
	argonMemory, argonTime = 64, 1
	dummyHash = makeDummyHash()
}

// argonGate bounds the password hashing of the process: each hash takes
// 19 MiB and a core for tens of milliseconds, so as many run at once as
// there are cores, a few more wait (at most argonMaxWait), and the rest
// are refused with ETOOMANY at once instead of piling up memory.
var (
	argonGate    = throttle.NewGate(runtime.GOMAXPROCS(0), 4*runtime.GOMAXPROCS(0), argonMaxWait)
	argonRuns    atomic.Int64 // hashes computed, for tests and diagnostics
	argonMaxWait = 3 * time.Second
)

// errBusy answers a request that found the password hashing full.
func errBusy() error { return zhagen.TooMany(time.Second, "服务器繁忙，请稍后再试") }

// reserveHashing takes a slot of the gate for one or more hashes, waiting
// in its queue; ETOOMANY when the gate and its queue are full. A login
// reserves before it touches the database, so that a refused request
// costs nothing but its answer. release may be called more than once:
// early, once the hashing is done, and deferred.
func reserveHashing(ctx context.Context) (release func(), err error) {
	rel, err := argonGate.Acquire(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errBusy()
	}
	return sync.OnceFunc(rel), nil
}

// argonKey computes an argon2id key; the caller holds a slot.
func argonKey(pw string, salt []byte, t, m uint32, p uint8, keyLen uint32) []byte {
	argonRuns.Add(1)
	return argon2.IDKey([]byte(pw), salt, t, m, p, keyLen)
}

// hashPassword returns an argon2id hash in the PHC string format, within
// a slot of the gate.
func hashPassword(ctx context.Context, pw string) (string, error) {
	release, err := reserveHashing(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPasswordHeld(pw)
}

// hashPasswordPatient is hashPassword for bulk work (an import's initial
// passwords): when the gate and its queue are full it tries again until
// ctx ends, instead of failing with ETOOMANY as a request does.
func hashPasswordPatient(ctx context.Context, pw string) (string, error) {
	for {
		rel, err := argonGate.Acquire(ctx)
		if err == nil {
			defer rel()
			return hashPasswordHeld(pw)
		}
		select { // the queue was full: try again shortly
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// hashPasswordHeld is hashPassword for a caller that holds a slot.
func hashPasswordHeld(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argonKey(pw, salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// checkPasswordHeld reports whether pw matches a hash made by
// hashPassword, honouring the parameters stored in the hash; the caller
// holds a slot. A malformed hash is checked as dummyHash, so that it
// costs the same time.
func checkPasswordHeld(hash, pw string) bool {
	salt, key, t, m, p, ok := parseHash(hash)
	if !ok {
		salt, key, t, m, p, _ = parseHash(dummyHash)
	}
	got := argonKey(pw, salt, t, m, p, uint32(len(key)))
	return ok && subtle.ConstantTimeCompare(got, key) == 1
}

func parseHash(hash string) (salt, key []byte, t, m uint32, p uint8, ok bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return nil, nil, 0, 0, 0, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return nil, nil, 0, 0, 0, false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	key, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return nil, nil, 0, 0, 0, false
	}
	return salt, key, t, m, p, true
}

// dummyHash is checked against when a login is unknown, so that unknown
// and known logins take the same time. Its parameters are hashPassword's.
var dummyHash = makeDummyHash()

func makeDummyHash() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$c2FsdHNhbHRzYWx0c2FsdA$0000000000000000000000000000000000000000000",
		argon2.Version, argonMemory, argonTime, argonThreads)
}
