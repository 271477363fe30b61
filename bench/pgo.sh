#!/usr/bin/env bash
# bench/pgo.sh — regenerate cmd/wmsim/default.pgo, the CPU profile the Go
# toolchain uses for profile-guided optimisation of every build of the wmsim
# command (`go build`, `go install`, the release builds: -pgo=auto picks up
# default.pgo in the main package's folder).
#
# The profile is that of the work wmsim spends its CPU on: fleets of the two
# reference scenarios of BENCHMARKS.md, Android (periodic-task) and iOS
# (ios-refresh-daily-user), merged into one. It is built without PGO first,
# so the profile describes the code rather than a previous optimisation of it.
# Regenerate it after a change that moves the hot path; a stale profile still
# builds correct code, only less fast.
#
# Environment: DEVICES (1500), DAYS (30), JOBS (2).
set -euo pipefail
DEVICES=${DEVICES:-1500}
DAYS=${DAYS:-30}
JOBS=${JOBS:-2}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wmsim-pgo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -pgo=off -o "$tmp/wmsim" ./cmd/wmsim)
for sc in periodic-task ios-refresh-daily-user; do
	# Exit status 1 is an expectation below --min-pass; the profile is written.
	"$tmp/wmsim" fleet "$sc" --devices "$DEVICES" --days "$DAYS" --jobs "$JOBS" --min-pass 0 \
		--format json --out "$tmp/$sc.json" --cpuprofile "$tmp/$sc.pprof" >/dev/null
done
go tool pprof -proto "$tmp/periodic-task.pprof" "$tmp/ios-refresh-daily-user.pprof" >"$root/cmd/wmsim/default.pgo" 2>/dev/null
echo "wrote cmd/wmsim/default.pgo ($(wc -c <"$root/cmd/wmsim/default.pgo") bytes)"
