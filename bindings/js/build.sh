#!/usr/bin/env bash
# Builds the package: the crate for wasm32-unknown-unknown, then wasm-bindgen (--target web) into
# pkg/. Installs wasm-bindgen-cli at the crate's wasm-bindgen version when it is missing or of
# another version, then shrinks the .wasm with wasm-opt -Oz (binaryen's, or the npm package's).
set -euo pipefail
cd "$(dirname "$0")"
version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$version" ]; then
  cargo install --locked wasm-bindgen-cli --version "$version" ||
    cargo install wasm-bindgen-cli --version "$version"
fi
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name stagegate_wasm \
  "$target_dir/wasm32-unknown-unknown/release/stagegate_js.wasm"
# wasm-opt: binaryen's own when installed, else the npm package's (a devDependency; slower, the
# same result).
wasm_opt=$(command -v wasm-opt || true)
if [ -z "$wasm_opt" ] && [ -x node_modules/.bin/wasm-opt ]; then
  wasm_opt=node_modules/.bin/wasm-opt
fi
if [ -n "$wasm_opt" ]; then
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals pkg/stagegate_wasm_bg.wasm -o pkg/stagegate_wasm_bg.wasm
else
  echo "build.sh: wasm-opt not found (npm install brings binaryen's): pkg/stagegate_wasm_bg.wasm is not size-optimized" >&2
fi
rm -f pkg/.gitignore pkg/package.json
