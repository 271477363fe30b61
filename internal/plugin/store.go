package plugin

import (
	"strings"

	"github.com/wmsim/wmsim/internal/device"
)

// Store is the app's persistent key-value store as the shared_preferences
// plugin keeps it: SharedPreferences on Android, NSUserDefaults on iOS, keys
// prefixed with "flutter.". It lives in the device's persistent storage, so
// it survives reboots and process deaths.
type Store struct {
	s      *device.Store
	prefix string
}

// Get returns the value for key.
func (s *Store) Get(key string) (any, bool) { return s.s.Get(s.prefix + key) }

// Set stores a value.
func (s *Store) Set(key string, v any) { s.s.Set(s.prefix+key, v) }

// Delete removes a key.
func (s *Store) Delete(key string) { s.s.Delete(s.prefix + key) }

// Keys returns the app's keys in sorted order.
func (s *Store) Keys() []string {
	var out []string
	for _, k := range s.s.Keys() {
		if strings.HasPrefix(k, s.prefix) {
			out = append(out, strings.TrimPrefix(k, s.prefix))
		}
	}
	return out
}
