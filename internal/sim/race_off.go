//go:build !race

package sim

const raceEnabled = false

func (e *Engine) raceRelease() {}
func (e *Engine) raceAcquire() {}
