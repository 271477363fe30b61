package wire_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/wire"
)

// A scenario file embeds a Pigeon message as base64. EncodePigeonCallBase64
// produces it from the same option types the Go API takes.
func ExampleEncodePigeonCallBase64() {
	call := &wire.Call{
		Method:     wire.MethodRegisterOneOffTask,
		UniqueName: "bin-1",
		TaskName:   "upload",
		OneOff: &plugin.OneOffOptions{
			InitialDelay: plugin.Ptr(30 * time.Second),
			Constraints:  &plugin.Constraints{NetworkType: plugin.Ptr(plugin.NetworkUnmetered)},
		},
	}
	channel, message, err := wire.EncodePigeonCallBase64(call)
	if err != nil {
		panic(err)
	}
	fmt.Println(channel)
	fmt.Println(message)

	back, err := wire.DecodePigeonBase64(channel, message)
	if err != nil {
		panic(err)
	}
	fmt.Println(back.Method, back.UniqueName, *back.OneOff.InitialDelay, *back.OneOff.Constraints.NetworkType)
	// Output:
	// dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi.registerOneOffTask
	// DAGODAsHBWJpbi0xBwZ1cGxvYWQABB4AAAAAAAAAigwGggQEAAAAAAAAAAAAAAAAAAAAAAAC
	// registerOneOffTask bin-1 30s 4
}

// Decoding a legacy (0.5) call as a scenario file gives it: method name and
// arguments map, enums by Dart name, inputData as JSON text.
func ExampleDecodeLegacy() {
	call, err := wire.DecodeLegacy("be.tramckrijte.workmanager/foreground_channel_work_manager",
		"registerPeriodicTask", map[string]any{
			"isInDebugMode": false, "uniqueName": "sync", "taskName": "fetch", "frequency": 3600,
			"networkType": "connected", "existingWorkPolicy": "replace", "inputData": `{"user":"u1","n":3}`,
		})
	if err != nil {
		panic(err)
	}
	p := call.Periodic
	fmt.Println(call.Method, call.UniqueName, *p.Frequency, *p.Constraints.NetworkType == plugin.NetworkConnected,
		*p.ExistingWorkPolicy == plugin.PeriodicReplace, p.InputData["n"], *call.InputDataJSON)
	// Output:
	// registerPeriodicTask sync 1h0m0s true true 3 {"user":"u1","n":3}
}
