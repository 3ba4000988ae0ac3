#!/usr/bin/env bash
# Builds the page into web/dist/ (open web/dist/index.html, or copy the folder anywhere).
# Installs what it needs when missing: the wasm32 target (rustup) and wasm-bindgen-cli at the
# version of the wasm-bindgen crate in web/wasm/Cargo.lock (cargo install).
set -euo pipefail
web="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$web")"
target="${CARGO_TARGET_DIR:-$root/target}"
dist="${XXGK_WEB_DIST:-$web/dist}"  # another folder for comparing builds

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi
# wasm-bindgen-cli must match the crate exactly (the glue and the wasm share a schema).
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' "$web/wasm/Cargo.lock")"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
    # Not --locked: the tool's own lock file may name a release the registry mirror lacks.
    # No default features: they only add TLS (rustls, ring) for a download the page never makes.
    cargo install wasm-bindgen-cli --version "=$version" --no-default-features
fi

cargo build --locked --release --target wasm32-unknown-unknown \
    --manifest-path "$web/wasm/Cargo.toml" --target-dir "$target"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# no-modules: a page opened from file:// can load neither ES modules nor files by fetch().
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$work" \
    "$target/wasm32-unknown-unknown/release/xxgk_lint_web.wasm"

rm -rf "$dist"
mkdir -p "$dist"
cp "$web/src/index.html" "$web/src/style.css" "$web/src/app.js" "$dist/"
# engine.js: the worker's source (wasm-bindgen's glue, then worker.js) and the engine, both as
# base64, so that a classic <script> brings everything and nothing is fetched.
{
    printf '// 检查引擎（由 web/build.sh 生成，请勿编辑）：xxgk-lint %s 编译为 WebAssembly。\n' \
        "$(awk -F'"' '/^version = / { print $2; exit }' "$root/Cargo.toml")"
    printf 'var XXGK_ENGINE = {\n  worker: "'
    cat "$work/xxgk_lint_web.js" "$web/src/worker.js" | base64 -w0
    printf '",\n  wasm: "'
    base64 -w0 < "$work/xxgk_lint_web_bg.wasm"
    printf '"\n};\n'
} > "$dist/engine.js"

wasm="$work/xxgk_lint_web_bg.wasm"
printf 'web/dist/ 已生成：%s\n' "$dist/index.html"
printf 'xxgk_lint_web_bg.wasm: %s bytes, gzip -9: %s bytes; engine.js: %s bytes\n' \
    "$(wc -c < "$wasm")" "$(gzip -9 < "$wasm" | wc -c)" "$(wc -c < "$dist/engine.js")"
