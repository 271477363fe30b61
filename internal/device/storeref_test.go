package device

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A StoreRef reads what Store.Get reads for its key, through every Set and
// Delete, whether taken before the key was set or after; deleted keys are
// not listed.
func TestStoreRefFollowsGet(t *testing.T) {
	s := newRig(nil).dev.Store("app.user_defaults")
	early := s.Ref("a")
	check := func(key string, r *StoreRef) {
		t.Helper()
		v, ok := s.Get(key)
		rv, rok := r.Get()
		assert.Equal(t, ok, rok)
		assert.Equal(t, v, rv)
	}
	check("a", early)
	s.Set("a", int64(1))
	check("a", early)
	late := s.Ref("a")
	assert.Same(t, early, late)
	s.Set("b", "x")
	s.Set("a", nil) // a nil value is still set
	check("a", early)
	assert.Equal(t, []string{"a", "b"}, s.Keys())
	s.Delete("a")
	check("a", early)
	_, ok := s.Get("a")
	assert.False(t, ok)
	assert.Equal(t, []string{"b"}, s.Keys())
	s.Delete("never-set")
	never := s.Ref("c")
	check("c", never)
	assert.Equal(t, []string{"b"}, s.Keys())
	s.Set("a", true)
	check("a", early)
	assert.Equal(t, []string{"a", "b"}, s.Keys())
}
