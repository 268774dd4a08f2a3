#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry.
# Usage: scripts/vendor-frontend.sh [GOVUK_FRONTEND_VERSION] [HTMX_VERSION] [ACCESSIBLE_AUTOCOMPLETE_VERSION]
# The versions in use are recorded in static/vendor/VERSIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
GF=${1:-5.14.0}
HTMX=${2:-2.0.4}
AA=${3:-3.0.1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "govuk-frontend@$GF" "htmx.org@$HTMX" "accessible-autocomplete@$AA" >/dev/null )
mkdir -p "$tmp/gf" "$tmp/htmx" "$tmp/aa"
tar xzf "$tmp/govuk-frontend-$GF.tgz" -C "$tmp/gf"
tar xzf "$tmp/htmx.org-$HTMX.tgz" -C "$tmp/htmx"
tar xzf "$tmp/accessible-autocomplete-$AA.tgz" -C "$tmp/aa"
dest=static/vendor
rm -rf "$dest/govuk-frontend" "$dest/htmx" "$dest/accessible-autocomplete"
mkdir -p "$dest/govuk-frontend" "$dest/htmx" "$dest/accessible-autocomplete"
src="$tmp/gf/package/dist/govuk"
cp "$src/govuk-frontend.min.css" "$src/govuk-frontend.min.js" "$dest/govuk-frontend/"
cp -r "$src/assets" "$dest/govuk-frontend/assets"
# The precompiled CSS points at /assets/; serve them from under STATIC_URL instead.
sed -i 's#url(/assets/#url(/static/vendor/govuk-frontend/assets/#g' "$dest/govuk-frontend/govuk-frontend.min.css"
cp "$tmp/htmx/package/dist/htmx.min.js" "$dest/htmx/"
# The National Indicator picker (static/js/ni-picker.mjs) loads these only on pages that have one.
# The UMD build defines self.accessibleAutocomplete; the source maps are left out.
cp "$tmp/aa/package/dist/accessible-autocomplete.min.js" "$tmp/aa/package/dist/accessible-autocomplete.min.css" \
  "$tmp/aa/package/LICENSE.txt" "$dest/accessible-autocomplete/"
sed -i '/sourceMappingURL=/d' "$dest/accessible-autocomplete/accessible-autocomplete.min.js" \
  "$dest/accessible-autocomplete/accessible-autocomplete.min.css"
printf 'govuk-frontend %s\nhtmx.org %s\naccessible-autocomplete %s\n' "$GF" "$HTMX" "$AA" > "$dest/VERSIONS"
echo "Vendored govuk-frontend $GF, htmx.org $HTMX and accessible-autocomplete $AA into $dest"
