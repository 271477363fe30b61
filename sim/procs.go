package sim

// procState and clockView are placeholders completed by the clock-view work.
type procState struct{}
type clockView struct{}
