#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry.
# Usage: scripts/vendor-frontend.sh [GOVUK_FRONTEND_VERSION] [HTMX_VERSION]
# The versions in use are recorded in static/vendor/VERSIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
GF=${1:-5.14.0}
HTMX=${2:-2.0.4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "govuk-frontend@$GF" "htmx.org@$HTMX" >/dev/null )
mkdir -p "$tmp/gf" "$tmp/htmx"
tar xzf "$tmp/govuk-frontend-$GF.tgz" -C "$tmp/gf"
tar xzf "$tmp/htmx.org-$HTMX.tgz" -C "$tmp/htmx"
dest=static/vendor
rm -rf "$dest/govuk-frontend" "$dest/htmx"
mkdir -p "$dest/govuk-frontend" "$dest/htmx"
src="$tmp/gf/package/dist/govuk"
cp "$src/govuk-frontend.min.css" "$src/govuk-frontend.min.js" "$dest/govuk-frontend/"
cp -r "$src/assets" "$dest/govuk-frontend/assets"
# The precompiled CSS points at /assets/; serve them from under STATIC_URL instead.
sed -i 's#url(/assets/#url(/static/vendor/govuk-frontend/assets/#g' "$dest/govuk-frontend/govuk-frontend.min.css"
cp "$tmp/htmx/package/dist/htmx.min.js" "$dest/htmx/"
printf 'govuk-frontend %s\nhtmx.org %s\n' "$GF" "$HTMX" > "$dest/VERSIONS"
echo "Vendored govuk-frontend $GF and htmx.org $HTMX into $dest"
