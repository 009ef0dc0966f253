#!/usr/bin/env bash
# Runs one benchmark in two checkouts of tradescope alternately, on the same machine in one session, so that a
# change is measured against the commit before it under the same load (the machine is noisy: a ratio from one
# run alone says little). Both checkouts must be built (`npm run build`) and share bench/work (the cube).
#
#   bench/alternate.sh <old-checkout> <new-checkout> <rounds> <bench-script> [bench args …]
#   bench/alternate.sh ../old . 2 query-headlines --rows 20000000 --no-rebuild-rollups
#
# Prints each run's output, prefixed with the checkout's commit, and writes the lot to
# bench/results/<bench-script>-alternate.txt in the new checkout.
set -euo pipefail
old="$(cd "$1" && pwd)"; new="$(cd "$2" && pwd)"; rounds="$3"; script="$4"; shift 4
out="$new/bench/results/$script-alternate.txt"
{
  echo "# $script: $(git -C "$old" rev-parse --short HEAD) (old) and $(git -C "$new" rev-parse --short HEAD) (new), alternately, $rounds rounds; args: $*"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out"
for i in $(seq 1 "$rounds"); do
  for side in old new; do
    dir="$old"; [ "$side" = new ] && dir="$new"
    commit="$(git -C "$dir" rev-parse --short HEAD)"
    echo "## round $i, $side ($commit), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
    # a benchmark exits 1 when a goal is missed: that is a result, not a reason to stop alternating
    status=0
    (cd "$dir" && node "dist/bench/$script.js" --no-write "$@") > "$out.run" 2>&1 || status=$?
    grep -v '^\s*$' "$out.run" | sed "s/^/[$side $commit] /" | tee -a "$out"
    echo "[$side $commit] exit status $status" | tee -a "$out"
    rm -f "$out.run"
  done
done
