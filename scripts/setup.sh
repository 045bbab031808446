#!/usr/bin/env bash
# Set up a machine for bulletin_press: Debian packages (when run as root) and
# the Python environment in .venv. Safe to run again; it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Rendering needs Pango (WeasyPrint), HarfBuzz's subsetter (fast CJK font
# subsetting) and the Noto CJK fonts; poppler draws the pages as pictures for
# reports; libgs-common has the CMYK ICC profile that --pdf-x embeds.
APT_PACKAGES=(
  python3 python3-venv python3-pip
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
  fonts-noto-cjk
  poppler-utils qpdf
  libgs-common
)

# Browser tests (the preview) need Debian's Chromium: `setup.sh --test`.
if [ "${1:-}" = "--test" ]; then
  APT_PACKAGES+=(chromium)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The messages in Chinese: the .mo the program reads, compiled from the .po in git.
bash scripts/messages.sh compile
# The package's bytecode, ahead: where PYTHONDONTWRITEBYTECODE is set (containers
# often set it) every command compiled ~50 modules from source (~0.3 s of CPU in
# the build's main process and again in its worker server). A module edited
# later is compiled from its source until setup runs again, as Python does.
.venv/bin/python -m compileall -q src/bulletin_press >/dev/null
echo "setup: ready (.venv/bin/bulletin-press)" >&2
