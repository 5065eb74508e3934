#!/usr/bin/env bash
# Renders the app icons in client/public/icons/ from the SVGs beside this script. Run it once
# after changing a drawing and commit the PNGs: the build itself never needs ImageMagick.
# Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../public/icons"
mkdir -p "$out"
for size in 192 512; do
  rsvg-convert -w "$size" -h "$size" "$here/icon.svg" -o "$out/icon-$size.png"
done
rsvg-convert -w 512 -h 512 "$here/icon-maskable.svg" -o "$out/icon-maskable-512.png"
rsvg-convert -w 180 -h 180 "$here/icon-maskable.svg" -o "$out/apple-touch-icon.png"
cp "$here/icon.svg" "$out/icon.svg"
