#!/usr/bin/env bash
# Builds the package: the crate for wasm32-unknown-unknown, then wasm-bindgen (--target web) into
# pkg/. Installs wasm-bindgen-cli at the crate's wasm-bindgen version when it is missing or of
# another version. wasm-opt runs when it is installed; the build does not need it.
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
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals pkg/stagegate_wasm_bg.wasm -o pkg/stagegate_wasm_bg.wasm
fi
rm -f pkg/.gitignore pkg/package.json
