#!/usr/bin/env bash
# Compares the web app in headless Chromium with the native window on the same machine, line by
# line, on one synthetic board of N blocks and N links (default 10000):
#   - the phases of `archboard bench` in a native window (DISPLAY, or Xvfb if there is none)
#     and on the `?bench=N` page;
#   - a room holding that board, opened in the browser: when it is first drawn, and the
#     longest tasks the tab runs while opening it and while the review overlay is on.
# Needs the web app (bash web/build.sh DIR, then ARCHBOARD_WEB_DIR=DIR), Node.js and the npm
# folder the interop tests use (ARCHBOARD_NPM_DIR, with puppeteer-core). Everything listens
# on 127.0.0.1 and stops when the script ends.
#
#   ARCHBOARD_WEB_DIR=/tmp/web bash benches/web_vs_native.sh 10000 120
set -euo pipefail
cd "$(dirname "$0")/.."
blocks=${1:-10000}
frames=${2:-120}
web=${ARCHBOARD_WEB_DIR:?set ARCHBOARD_WEB_DIR to a folder web/build.sh wrote}
npm_dir=${ARCHBOARD_NPM_DIR:-$HOME/.cache/archboard/npm}
cargo build --release -q
target=$(cargo metadata --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin=${ARCHBOARD:-$target/release/archboard}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$bin" generate "$blocks" -o "$work/board.ron" >/dev/null
if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:$((100 + RANDOM % 400))
  Xvfb "$DISPLAY" -screen 0 1280x800x24 >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
fi
echo "== native window, $blocks blocks, $frames frames a phase"
"$bin" bench "$work/board.ron" --frames "$frames"

port=$(free_port)
"$bin" serve --port "$port" --web "$web" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
cp benches/web_bench.mjs "$npm_dir/archboard-web_bench.mjs"
echo "== Chromium, ?bench=$blocks, $frames frames a phase"
node "$npm_dir/archboard-web_bench.mjs" bench "http://127.0.0.1:$port/?bench=$blocks&frames=$frames"
echo "== Chromium, a room holding $blocks blocks"
"$bin" push "$work/board.ron" "ws://127.0.0.1:$port/bench"
node "$npm_dir/archboard-web_bench.mjs" room "http://127.0.0.1:$port/?room=bench&name=bench&timings=1"
