package compare_test

import (
	"fmt"
	"os"

	"github.com/wmsim/wmsim/internal/compare"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Compare a library scenario under the plugin release before the #594 fix and
// today's: the periodic task's first run moves by 55 minutes.
func ExampleProfiles() {
	sc, err := scenarios.Open("periodic-task")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := compare.Profiles(sc, compare.Plugin, []string{"0.6", "0.10"}, runner.RunOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = r.WriteText(os.Stdout)
	// Output:
	// periodic-task: plugin 0.6 vs 0.10
	//
	// * android periodic-sync (task fetchLatestPosts)
	//                       0.6       0.10
	//   runs                24        24
	//   ok/retry/fail/stop  24/0/0/0  24/0/0/0
	//   first run           +56m2s    +1m
	//   median gap          1h8s      1h8s
	//   max gap             1h11s     1h10s
}
