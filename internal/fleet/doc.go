// Package fleet is wmsim's fleet runner: one scenario over many simulated
// devices, reported as distributions.
//
// The distributions are of what the app's background work got: runs per day,
// successes, the gap between successful runs, the delay from due to start,
// the time blocked by each reason and the battery the tasks drew, per task
// and per usage profile.
//
// Every device i gets its own seed, DeviceSeed(root seed, i), and a profile
// drawn from the mix by i alone, so a device is the same whichever worker
// or shard runs it. Metrics are folded, device by device, into a Summary
// made only of exact counts and sums and of Dist, a log-linear bucket
// histogram (HdrHistogram's layout, relative error ≤ 0.4 %) whose merge is
// exact, commutative and associative. Hence:
//
//   - the summary is identical whatever Options.Jobs is;
//   - Merge of the summaries of shards 0/n … n−1/n is identical, byte for
//     byte once marshalled, to the summary of the unsharded fleet;
//   - memory stays flat in the number of devices: a device's world is
//     released once folded, and a Dist holds at most one counter per bucket
//     in use (a few hundred).
//
// The document format is wmsim.fleet/v1 (Format); Marshal and Unmarshal
// read and write it, WriteText prints the tables and WriteHTML draws them as
// charts (uPlot, vendored under assets/ and inlined, so the page is
// self-contained).
package fleet
