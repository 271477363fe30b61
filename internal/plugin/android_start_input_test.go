package plugin

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// The kept reading of a work's input is the two lookups' answer whatever
// order the works' runs come in.
func TestStartInputIsTheLookups(t *testing.T) {
	a := osscheduler.Data{keyDartTask: "a", keyFGSConfig: `{"type":"dataSync"}`}
	b := osscheduler.Data{keyDartTask: "b"}
	c := osscheduler.Data{keyDartTask: 7} // not a string: no task
	var s startInput
	for _, in := range []osscheduler.Data{a, a, b, a, nil, c, c, b, nil, nil, a} {
		got := s.read(in)
		task, _ := in[keyDartTask].(string)
		fgs, hasFGS := in[keyFGSConfig].(string)
		assert.Equal(t, task, got.task)
		assert.Equal(t, fgs, got.fgs)
		assert.Equal(t, hasFGS, got.hasFGS)
	}
}
