#!/bin/sh
# Print one page translated by po/zh-CN.po, as Markdown with the markup
# intact (mdbook-gettext, then mdBook's markdown renderer), to check a
# translation before the Chinese book is built: sh po/preview.sh chapters/ch01-parallel-distributed.md
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
page=${1#chapters/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$root/chapters" "$tmp/chapters"
ln -s "$root/po" "$tmp/po"
cat > "$tmp/book.toml" <<TOML
[book]
title = "Distributed Computing with Rust"
language = "zh-CN"
src = "chapters"
[build]
use-default-preprocessors = false
create-missing = false
[preprocessor.gettext]
[output.markdown]
TOML
(cd "$tmp" && mdbook build -d "$tmp/out" >/dev/null 2>&1)
cat "$tmp/out/$page"
