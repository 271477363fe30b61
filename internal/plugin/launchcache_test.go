package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The one-identifier answers of launchHandlerRegistered and launchBeginOf are
// the maps' answers through registrations, re-registrations at launch and the
// process ending (which clears the maps).
func TestLaunchHandlerCacheFollowsTheMaps(t *testing.T) {
	h := iosInit(t, V0_10)
	p := h.p
	check := func(ids ...string) {
		t.Helper()
		for _, id := range ids {
			for range 2 { // the second answer comes from the cache
				assert.Equal(t, p.launchRegistered[id], p.launchHandlerRegistered(id), id)
				wantB, wantK := p.launchBegin[id]
				b, k := p.launchBeginOf(id)
				assert.Equal(t, wantK, k, id)
				assert.Same(t, wantB, b, id)
			}
		}
	}
	check("a", "b")
	one, two := 10*time.Second, 20*time.Second
	assert.NoError(t, p.registerLaunchHandlerOnce("a", &one, "test"))
	check("a", "b", "a")
	assert.NoError(t, p.registerLaunchHandlerOnce("a", &two, "test")) // already registered: begin unchanged
	check("a")
	assert.NoError(t, p.registerLaunchHandlerOnce("b", &two, "test"))
	check("b", "a", "b")
	p.processEnded("test")
	check("a", "b")
	assert.False(t, p.launchHandlerRegistered("a"))
	p.setLaunchBegin("a", &two)
	check("a")
	b, k := p.launchBeginOf("a")
	assert.True(t, k)
	assert.Same(t, &two, b)
}
