#!/usr/bin/env bash
# The message catalogs (see CONTRIBUTING.md, "Messages in Chinese"):
#   bash scripts/messages.sh           extract every _()/ngettext()/N_() message from the code
#                                      into locale/bulletin_press.pot and merge it into each .po;
#                                      then translate the new (empty) and fuzzy entries
#   bash scripts/messages.sh compile   compile each .po into the .mo the program reads
#                                      (setup.sh does this; the program also does it when the
#                                      .po is newer than the .mo)
set -euo pipefail
cd "$(dirname "$0")/.."
LOCALE=src/bulletin_press/locale
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
case "${1:-update}" in
  update)
    # No source locations and no line wrapping: the files stay stable while the code
    # moves, and parallel branches merge without conflicts in unrelated entries.
    "$PYBABEL" -q extract --no-location --no-wrap --sort-output \
      --project bulletin_press --copyright-holder "bulletin_press contributors" \
      -o "$LOCALE/bulletin_press.pot" src/bulletin_press
    "$PYBABEL" -q update --ignore-pot-creation-date --no-wrap --ignore-obsolete -D bulletin_press \
      -i "$LOCALE/bulletin_press.pot" -d "$LOCALE"
    .venv/bin/python -m bulletin_press.i18n --untranslated
    ;;
  compile)
    .venv/bin/python -m bulletin_press.i18n --compile
    ;;
  *)
    echo "usage: bash scripts/messages.sh [update|compile]" >&2
    exit 2
    ;;
esac
