#!/usr/bin/env bash
# Builds archboard for the browser into DIR: index.html, archboard.js and archboard_bg.wasm,
# each also precompressed (.gz) for servers that send those as they are.
#
#   bash web/build.sh DIR
#
# Needs Debian's Rust for WebAssembly, which carries the wasm32 standard library's source:
#   apt-get install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
# The rest it fetches on first use into ~/.cache/archboard (or ARCHBOARD_TOOLS_DIR and
# ARCHBOARD_NPM_DIR): wasm-bindgen-cli at the version in Cargo.lock, wasm-opt from npm's binaryen.
set -euo pipefail
out=${1:?usage: bash web/build.sh DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/archboard
tools=${ARCHBOARD_TOOLS_DIR:-$cache/tools}
npm_dir=${ARCHBOARD_NPM_DIR:-$cache/npm}
target=${ARCHBOARD_WEB_TARGET_DIR:-$cache/target-web}

# Debian's rustc-web is the one toolchain here with a wasm32 standard library; keep rustup's
# proxies out of the way so cargo does not switch back to them.
web_rustc=${ARCHBOARD_WEB_RUSTC:-/usr/bin/rustc}
web_cargo=${ARCHBOARD_WEB_CARGO:-/usr/bin/cargo}
if [ ! -x "$web_rustc" ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
  echo "web/build.sh: needs Debian's rustc-web (apt-get install rustc-web cargo-web rust-web-src rust-web-llvm lld-22)" >&2
  exit 2
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
bindgen=$tools/bin/wasm-bindgen
if [ ! -x "$bindgen" ] || [ "$("$bindgen" --version | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "== installing wasm-bindgen-cli $bindgen_version"
  cargo install --quiet --root "$tools" wasm-bindgen-cli --version "=$bindgen_version"
fi
wasm_opt=$npm_dir/node_modules/.bin/wasm-opt
if [ ! -x "$wasm_opt" ]; then
  echo "== installing binaryen (wasm-opt) from npm"
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm install --no-audit --no-fund --silent binaryen@132 >/dev/null)
fi

echo "== cargo build --target wasm32-unknown-unknown"
PATH=/usr/bin:$PATH RUSTC=$web_rustc RUSTDOC=${web_rustc%rustc}rustdoc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_DIR=$target "$web_cargo" build --quiet --profile web --bin archboard \
  --target wasm32-unknown-unknown -Z build-std=std,panic_abort

mkdir -p "$out"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
"$bindgen" --target web --no-typescript --out-dir "$staging" --out-name archboard \
  "$target/wasm32-unknown-unknown/web/archboard.wasm"
echo "== wasm-opt"
"$wasm_opt" -O2 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$staging/archboard_bg.wasm" -o "$staging/archboard_bg.opt.wasm"
mv "$staging/archboard_bg.opt.wasm" "$staging/archboard_bg.wasm"
cp web/index.html "$staging/"
for f in index.html archboard.js archboard_bg.wasm; do
  gzip -9 -c "$staging/$f" > "$staging/$f.gz"
done
# Replace what DIR held only once everything is built, so a failed build leaves it as it was.
for f in index.html archboard.js archboard_bg.wasm; do
  mv "$staging/$f" "$out/$f"
  mv "$staging/$f.gz" "$out/$f.gz"
done
wasm_bytes=$(stat -c %s "$out/archboard_bg.wasm")
gz_bytes=$(stat -c %s "$out/archboard_bg.wasm.gz")
echo "== built into $out: archboard_bg.wasm $((wasm_bytes / 1024)) KiB, $((gz_bytes / 1024)) KiB gzipped"
