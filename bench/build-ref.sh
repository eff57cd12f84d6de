#!/bin/sh
# Build the library as of a commit into .tmp/bench-ref/<commit>/dist, so bench/startup.ts and
# bench/heap-per-series.ts can measure it beside the working tree in one run ("before" figures).
# Usage: sh bench/build-ref.sh <commit>   (prints the dist directory)
set -e
commit=$(git rev-parse --short "${1:?usage: build-ref.sh <commit>}")
root=$(git rev-parse --show-toplevel)
dir="$root/.tmp/bench-ref/$commit"
if [ ! -f "$dir/dist/index.js" ]; then
  rm -rf "$dir"
  mkdir -p "$root/.tmp/bench-ref"
  git -C "$root" archive --format=tar "$commit" src tsup.config.ts tsconfig.json package.json | (mkdir -p "$dir" && tar -x -C "$dir")
  # The reference resolves its dependencies from this checkout's node_modules.
  ln -s "$root/node_modules" "$dir/node_modules"
  (cd "$dir" && "$root/node_modules/.bin/tsup" --silent >/dev/null)
fi
echo "$dir/dist"
