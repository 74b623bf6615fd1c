#!/usr/bin/env bash
# Sizes archboard's relay beside Hocuspocus 4 and the npm y-websocket server, one after the
# other on this machine, with the same load generator (`archboard loadtest`):
#   - for each ROOMS given (default: 100 300), ROOMS rooms × 2 peers × 2 edits/s for 15 s:
#     the loadtest line (p50/p95/p99, messages/s, edits lost) and the relay's peak resident
#     memory (VmHWM) and CPU time;
#   - 1,000 idle rooms × 2 peers: the relay's CPU use over 30 s once every peer has joined.
# Needs Node.js and the npm folder the interop tests use (ARCHBOARD_NPM_DIR, as .ci/run
# prepares it). Everything listens on 127.0.0.1 and stops when the script ends.
#
#   bash benches/relay_load.sh            # or: bash benches/relay_load.sh 20 100 300
set -euo pipefail
cd "$(dirname "$0")/.."
npm_dir=${ARCHBOARD_NPM_DIR:-$HOME/.cache/archboard/npm}
seconds=${SECONDS_PER_RUN:-15}
rooms_list=("$@")
[ ${#rooms_list[@]} -gt 0 ] || rooms_list=(100 300)

cargo build --release -q
target=$(cargo metadata --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin=${ARCHBOARD:-$target/release/archboard}
cp tests/interop/hocuspocus_server.mjs "$npm_dir/archboard-bench-hocuspocus.mjs"
tick=$(getconf CLK_TCK)
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts relay $1 in the background: sets $server (its pid) and $url.
start() {
  local port
  port=$(free_port)
  case $1 in
    archboard)
      "$bin" serve --port "$port" --max-per-address 0 >"$work/server.log" 2>&1 &
      server=$!; url=ws://127.0.0.1:$port ;;
    y-websocket)
      HOST=127.0.0.1 PORT=$port node "$npm_dir/node_modules/y-websocket/bin/server.js" >"$work/server.log" 2>&1 &
      server=$!; url=ws://127.0.0.1:$port ;;
    hocuspocus)
      (cd "$npm_dir" && exec node archboard-bench-hocuspocus.mjs) >"$work/server.log" 2>&1 &
      server=$!
      for _ in $(seq 100); do grep -q 'listening on' "$work/server.log" && break; sleep 0.1; done
      port=$(sed -n 's/.*listening on \([0-9]*\).*/\1/p' "$work/server.log")
      url=hocuspocus+ws://127.0.0.1:$port ;;
  esac
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$1 did not start"; cat "$work/server.log"; exit 1
}

stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
peak_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }

for rooms in "${rooms_list[@]}"; do
  for relay in archboard hocuspocus y-websocket; do
    start $relay
    line=$("$bin" loadtest "$url" --rooms "$rooms" --peers 2 --rate 2 --seconds "$seconds" 2>/dev/null || echo "failed")
    echo "$relay: $line; peak $(peak_mb) MB resident; $(awk -v t="$(cpu_ticks)" -v k="$tick" 'BEGIN {printf "%.1f", t / k}') s CPU"
    stop
  done
done

for relay in archboard hocuspocus y-websocket; do
  start $relay
  "$bin" loadtest "$url" --rooms 1000 --peers 2 --rate 0 --seconds 45 >"$work/idle.out" 2>"$work/idle.err" &
  load=$!
  for _ in $(seq 600); do grep -q 'every peer sees' "$work/idle.err" && break; sleep 0.1; done
  sleep 5
  before=$(cpu_ticks)
  sleep 30
  after=$(cpu_ticks)
  wait $load || true
  echo "$relay: 1000 idle rooms × 2 peers: $(awk -v d=$((after - before)) -v k="$tick" 'BEGIN {printf "%.2f", 100 * d / k / 30}') % of a core over 30 s; peak $(peak_mb) MB resident; $(cat "$work/idle.out")"
  stop
done
