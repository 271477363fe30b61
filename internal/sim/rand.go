package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

type streamEntry struct{ r *rand.Rand }

// Rand returns the random stream called name. Each stream is a PCG generator
// seeded from hash(root seed, name), so adding a stream, or drawing more from
// one, never changes another stream's draws. The same name always returns the
// same generator.
func (e *Engine) Rand(name string) *rand.Rand {
	e.raceAcquire()
	if s, ok := e.streams[name]; ok {
		e.raceRelease()
		return s.r
	}
	r := NewStream(e.seed, name)
	e.streams[name] = &streamEntry{r: r}
	e.raceRelease()
	return r
}

// NewStream builds the generator Engine.Rand would return for (seed, name),
// for code that needs a stream without an engine (e.g. deriving per-device
// seeds in a fleet).
func NewStream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	n := h.Sum64()
	return rand.New(rand.NewPCG(splitmix(seed^n), splitmix(n+0x9e3779b97f4a7c15)))
}

// DeriveSeed gives a child seed for (seed, name, index), e.g. one per device of
// a fleet, independent of every other child.
func DeriveSeed(seed uint64, name string, index uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return splitmix(splitmix(seed^h.Sum64()) + index)
}

// splitmix is SplitMix64's finaliser: it spreads nearby seeds far apart.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Between draws a duration uniformly from [lo, hi] at millisecond resolution
// (the resolution scenario ranges are written in).
func Between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	span := int64((hi - lo) / time.Millisecond)
	return lo + time.Duration(r.Int64N(span+1))*time.Millisecond
}
