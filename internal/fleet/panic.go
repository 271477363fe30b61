package fleet

import (
	"fmt"
	"runtime/debug"
)

// PanicError is a panic inside one device's simulation, recovered on the
// worker goroutine so the fleet reports it instead of crashing: a wmsim bug.
type PanicError struct {
	Device int
	Value  any
	Stack  []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error: device %d panicked: %v\n\n%s", e.Device, e.Value, e.Stack)
}

// runDeviceSafe is runDevice with a panic turned into a *PanicError.
func (p *plan) runDeviceSafe(i int, acc *Summary) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Device: i, Value: r, Stack: debug.Stack()}
		}
	}()
	return p.runDevice(i, acc)
}
