#!/usr/bin/env bash
# What a new user does first, checked from nothing:
#
#   go install github.com/wmsim/wmsim/cmd/wmsim@latest
#   wmsim version
#
# The module is not published from here, so the script serves this checkout's
# committed HEAD as github.com/wmsim/wmsim: a bare clone, and git's
# url.<base>.insteadOf (in a throw-away global git config) sending the go
# command's fetch of https://github.com/wmsim/wmsim to it. Everything else is
# what a user's machine does: `go install MODULE/cmd/wmsim@latest` from outside
# any module, with an empty module cache and GOPATH, resolving @latest from the
# repository's tags (a pseudo-version of the default branch when it has none),
# downloading every dependency through the module proxy, building, and running
# the installed binary. It fails where users would: a replace directive in
# go.mod, a file the module zip leaves out, a dependency that does not resolve.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

git clone -q --bare . "$tmp/wmsim.git"
# The clone's HEAD is the branch checked out here; a detached checkout (CI)
# gets a branch named after nothing in particular.
if ! git -C "$tmp/wmsim.git" symbolic-ref -q HEAD >/dev/null || ! git -C "$tmp/wmsim.git" rev-parse -q --verify HEAD >/dev/null; then
  git -C "$tmp/wmsim.git" update-ref refs/heads/main "$(git rev-parse HEAD)"
  git -C "$tmp/wmsim.git" symbolic-ref HEAD refs/heads/main
fi
cat > "$tmp/gitconfig" <<CFG
[url "file://$tmp/wmsim.git"]
	insteadOf = https://github.com/wmsim/wmsim
CFG

mkdir -p "$tmp/home" "$tmp/elsewhere"
export GIT_CONFIG_GLOBAL="$tmp/gitconfig" GIT_CONFIG_NOSYSTEM=1
export GOMODCACHE="$tmp/gopath/pkg/mod" GOPATH="$tmp/gopath" GOBIN="$tmp/bin"
export GOPRIVATE=github.com/wmsim/wmsim # fetched "directly" (from the clone), not checked against sum.golang.org
export GOFLAGS= GOWORK=off GO111MODULE=on

cd "$tmp/elsewhere" # outside any module, as a user's shell is
start=$(date +%s)
go install github.com/wmsim/wmsim/cmd/wmsim@latest
echo "go install github.com/wmsim/wmsim/cmd/wmsim@latest: $(( $(date +%s) - start )) s from an empty module cache"

bin="$GOBIN/wmsim"
[ -x "$bin" ] || { echo "no binary at $bin"; exit 1; }
resolved=$(go version -m "$bin" | awk '$1 == "mod" && $2 == "github.com/wmsim/wmsim" { print $3 }')
echo "installed github.com/wmsim/wmsim $resolved (HEAD $(git -C "$tmp/wmsim.git" rev-parse --short HEAD))"
[ -n "$resolved" ] && [ "$resolved" != "(devel)" ] || { echo "the binary does not record the module version"; exit 1; }

# wmsim version: the command must print the version the go command resolved.
if "$bin" help 2>&1 | grep -qE '^[[:space:]]+(wmsim )?version\b'; then
  out=$("$bin" version)
  echo "wmsim version: $out"
  case "$out" in
    *"$resolved"*) ;;
    *) echo "wmsim version does not print the installed version $resolved"; exit 1 ;;
  esac
else
  echo "this wmsim has no version command yet; skipping 'wmsim version'"
fi
# And the binary works from the module cache: a built-in scenario runs.
"$bin" run oneoff-task >/dev/null
echo "install check passed"
