#!/usr/bin/env bash
# bench/compare.sh REF — fleet throughput of the working tree against commit REF.
#
# Builds REF (a temporary git worktree) and the working tree, runs the same
# fleets with each binary in alternating order, and prints per platform:
# device-days per wall second and per CPU second (user+sys, steadier on a
# shared machine), events per device-day (bench/evcount, copied into REF's
# tree when it has none), whether the two fleet summaries are byte-identical,
# and the ratio new/ref of the medians. Optionally instruction counts under
# valgrind (INSTR=1), which do not depend on the load of the machine.
#
# Environment: DEVICES (3000), DAYS (30), JOBS (2), ROUNDS (3),
# SCENARIOS ("periodic-task ios-refresh-daily-user"), EVDEVICES (40: the
# devices evcount simulates), INSTR (0; 1 adds a valgrind count of a
# 20-device fleet with --jobs 1), KEEP (0; 1 keeps the temporary directory).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: bench/compare.sh REF   (e.g. bench/compare.sh d16ba71)" >&2
	exit 2
fi
ref=$1
DEVICES=${DEVICES:-3000}
DAYS=${DAYS:-30}
JOBS=${JOBS:-2}
ROUNDS=${ROUNDS:-3}
SCENARIOS=${SCENARIOS:-"periodic-task ios-refresh-daily-user"}
EVDEVICES=${EVDEVICES:-40}
INSTR=${INSTR:-0}

root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wmsim-compare.XXXXXX")
cleanup() {
	git -C "$root" worktree remove --force "$tmp/ref" >/dev/null 2>&1 || true
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

echo "building $ref and the working tree ..." >&2
git -C "$root" worktree add --detach "$tmp/ref" "$ref" >/dev/null 2>&1
if [ ! -f "$tmp/ref/bench/evcount/main.go" ]; then
	mkdir -p "$tmp/ref/bench/evcount"
	cp "$root/bench/evcount/main.go" "$tmp/ref/bench/evcount/main.go"
	if [ ! -d "$tmp/ref/internal/sim" ]; then
		# Before the move under internal/: sim, fleet, ... at the top, and
		# NewWorld with its RunOptions in scenarios (no runner package).
		sed -i -e 's#wmsim/wmsim/internal/#wmsim/wmsim/#' -e '\#"github.com/wmsim/wmsim/runner"#d' \
			-e 's/runner\./scenarios./g' "$tmp/ref/bench/evcount/main.go"
	fi
fi
(cd "$tmp/ref" && go build -o "$tmp/wmsim-ref" ./cmd/wmsim && go build -o "$tmp/evcount-ref" ./bench/evcount)
(cd "$root" && go build -o "$tmp/wmsim-new" ./cmd/wmsim && go build -o "$tmp/evcount-new" ./bench/evcount)

# run SIDE SCENARIO ROUND: one fleet; appends "wall cpu" to $tmp/SIDE.SCENARIO.
run() {
	local side=$1 sc=$2 r=$3 rc=0
	# Exit status 1 is an expectation held on too few devices (--min-pass):
	# the fleet ran and its summary is written.
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" \
		"$tmp/wmsim-$side" fleet "$sc" --devices "$DEVICES" --days "$DAYS" --jobs "$JOBS" \
		--format json --out "$tmp/$side.$sc.$r.json" 2>"$tmp/$side.$sc.$r.err" >/dev/null || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "$side $sc: exit status $rc" >&2
		cat "$tmp/$side.$sc.$r.err" >&2
		exit 1
	fi
	# (time writes "Command exited with non-zero status N" first when it is not 0.)
	awk '!/^Command/ { printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/time" >>"$tmp/$side.$sc"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

dd=$((DEVICES * DAYS))
printf '%s devices x %s days, --jobs %s, %s rounds (alternating), REF %s\n' "$DEVICES" "$DAYS" "$JOBS" "$ROUNDS" "$(git -C "$root" rev-parse --short "$ref")"
for sc in $SCENARIOS; do
	: >"$tmp/ref.$sc"
	: >"$tmp/new.$sc"
	for r in $(seq 1 "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then run ref "$sc" "$r"; run new "$sc" "$r"; else run new "$sc" "$r"; run ref "$sc" "$r"; fi
	done
	same=identical
	for r in $(seq 1 "$ROUNDS"); do
		cmp -s "$tmp/ref.$sc.$r.json" "$tmp/new.$sc.$r.json" || same=DIFFERENT
	done
	ev_ref=$("$tmp/evcount-ref" --devices "$EVDEVICES" --days "$DAYS" "$sc")
	ev_new=$("$tmp/evcount-new" --devices "$EVDEVICES" --days "$DAYS" "$sc")
	wr=$(awk '{ print $1 }' "$tmp/ref.$sc" | median)
	wn=$(awk '{ print $1 }' "$tmp/new.$sc" | median)
	cr=$(awk '{ print $2 }' "$tmp/ref.$sc" | median)
	cn=$(awk '{ print $2 }' "$tmp/new.$sc" | median)
	mr=$(awk '{ print $3 }' "$tmp/ref.$sc" | sort -n | tail -1)
	mn=$(awk '{ print $3 }' "$tmp/new.$sc" | sort -n | tail -1)
	echo
	echo "== $sc (summaries $same)"
	printf '%-4s %12s %14s %16s %14s %10s  %s\n' side "wall s (med)" "dd / wall s" "dd / CPU s" "events / dd" "peak RSS" "runs (wall cpu)"
	printf '%-4s %12s %14.0f %16.0f %14s %8s MB  %s\n' ref "$wr" "$(echo "$dd / $wr" | bc -l)" "$(echo "$dd / $cr" | bc -l)" "$ev_ref" "$((mr / 1024))" "$(awk '{ printf "%s/%s ", $1, $2 }' "$tmp/ref.$sc")"
	printf '%-4s %12s %14.0f %16.0f %14s %8s MB  %s\n' new "$wn" "$(echo "$dd / $wn" | bc -l)" "$(echo "$dd / $cn" | bc -l)" "$ev_new" "$((mn / 1024))" "$(awk '{ printf "%s/%s ", $1, $2 }' "$tmp/new.$sc")"
	printf 'ratio new/ref: throughput per wall s %.2fx, per CPU s %.2fx; events per device-day %.2fx\n' \
		"$(echo "$wr / $wn" | bc -l)" "$(echo "$cr / $cn" | bc -l)" "$(echo "$ev_new / $ev_ref" | bc -l)"
	if [ "$INSTR" = 1 ]; then
		for side in ref new; do
			GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
				"$tmp/wmsim-$side" fleet "$sc" --devices 20 --days "$DAYS" --jobs 1 --format json --out "$tmp/i.$side.json" 2>"$tmp/vg.$side" >/dev/null || true
			eval "i_$side=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/vg.$side")"
		done
		printf 'instructions, 20 devices x %s days --jobs 1: ref %s, new %s, ratio %.2fx\n' "$DAYS" "$i_ref" "$i_new" "$(echo "$i_ref / $i_new" | bc -l)"
	fi
done
