#!/bin/sh
# Extract the English text of chapters/ into po/messages.pot (the gettext
# template the translations are made from), with mdbook-xgettext from
# mdbook-i18n-helpers 0.4.0. The pages are read as written — before
# {{#include}} and before the {{rec}}/{{claim}} markup is resolved — so the
# catalog holds the markup, never a measured number or an included listing.
# Until `cargo xtask i18n` exists, this is the extraction.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$root/chapters" "$tmp/chapters"
cat > "$tmp/book.toml" <<TOML
[book]
title = "Distributed Computing with Rust"
language = "en"
src = "chapters"
[build]
use-default-preprocessors = false
create-missing = false
[output.xgettext]
pot-file = "messages.pot"
granularity = 0
TOML
(cd "$tmp" && mdbook build -d "$tmp/out" >/dev/null 2>&1)
# A fixed creation date: the template changes only when the English does.
sed 's/^"POT-Creation-Date: .*"$/"POT-Creation-Date: 2026-11-29 00:00+0000\\n"/' \
    "$tmp/out/messages.pot" > "$root/po/messages.pot"
