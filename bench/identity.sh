#!/usr/bin/env bash
# bench/identity.sh REF — are the working tree's results byte-identical to REF's?
#
# A change made for speed must not change a result. This script builds REF
# (a commit, in a temporary git worktree) and the working tree, then compares,
# byte for byte, what both binaries write for:
#   - every built-in library scenario × seeds 1..SEEDS with
#     `wmsim run NAME --seed S --format json --trace-jsonl FILE`:
#     the JSON result, the JSON Lines trace, stderr and the exit code;
#   - fleets of FLEET_DEVICES devices × 30 days with all six usage profiles
#     mixed (--seed 7) of each scenario in FLEETS: the fleet summary.
# It prints each difference and exits 1 if there is any.
#
# Environment: SEEDS (3), FLEET_DEVICES (150), FLEETS ("periodic-task
# ios-refresh-daily-user rare-bucket-app hourly-sync-survives-doze
# constraints"), KEEP (0; 1 keeps the temporary directory).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: bench/identity.sh REF   (e.g. bench/identity.sh main)" >&2
	exit 2
fi
ref=$1
SEEDS=${SEEDS:-3}
FLEET_DEVICES=${FLEET_DEVICES:-150}
FLEETS=${FLEETS:-"periodic-task ios-refresh-daily-user rare-bucket-app hourly-sync-survives-doze constraints"}
mix=always-on-charger=1,office-worker=1,heavy-user=1,light-user=1,night-shift=1,idle-shelf=1

root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wmsim-identity.XXXXXX")
cleanup() {
	git -C "$root" worktree remove --force "$tmp/ref" >/dev/null 2>&1 || true
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

echo "building $ref and the working tree ..." >&2
git -C "$root" worktree add --detach "$tmp/ref" "$ref" >/dev/null 2>&1
(cd "$tmp/ref" && go build -o "$tmp/wmsim-ref" ./cmd/wmsim)
(cd "$root" && go build -o "$tmp/wmsim-new" ./cmd/wmsim)

names=$(cd "$root/scenarios/library" && ls ./*.yaml | sed 's#^\./##; s#\.yaml$##')
diffs=0 runs=0
for side in ref new; do
	mkdir -p "$tmp/$side"
done
for n in $names; do
	for s in $(seq 1 "$SEEDS"); do
		for side in ref new; do
			rc=0
			(cd "$tmp/$side" && "$tmp/wmsim-$side" run "$n" --seed "$s" --format json --trace-jsonl "$n.$s.jsonl" \
				>"$n.$s.json" 2>"$n.$s.err") || rc=$?
			echo "$rc" >"$tmp/$side/$n.$s.rc"
		done
		runs=$((runs + 1))
		for f in json jsonl err rc; do
			if ! cmp -s "$tmp/ref/$n.$s.$f" "$tmp/new/$n.$s.$f"; then
				echo "DIFFERENT: wmsim run $n --seed $s ($f)"
				diffs=$((diffs + 1))
			fi
		done
	done
done
fleets=0
for sc in $FLEETS; do
	for side in ref new; do
		(cd "$tmp/$side" && "$tmp/wmsim-$side" fleet "$sc" --devices "$FLEET_DEVICES" --days 30 --mix "$mix" \
			--seed 7 --min-pass 0 --format json --out "fleet.$sc.json" >/dev/null 2>&1) || true
	done
	fleets=$((fleets + 1))
	if ! cmp -s "$tmp/ref/fleet.$sc.json" "$tmp/new/fleet.$sc.json"; then
		echo "DIFFERENT: wmsim fleet $sc --devices $FLEET_DEVICES --days 30 --mix ... --seed 7"
		diffs=$((diffs + 1))
	fi
done
echo "$runs runs (JSON, trace, stderr, exit code) and $fleets fleets compared with $ref: $diffs differences"
[ "$diffs" = 0 ]
