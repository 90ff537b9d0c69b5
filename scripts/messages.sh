#!/usr/bin/env bash
# Keep the interface texts' gettext catalogues in step with the code, with Babel:
#   extract  the message ids the code uses (say(...), N_(...)) into a template (.pot),
#   update   each language's catalogue (.po) from it: new ids arrive empty, removed ids go,
#   compile  the catalogues into the .mo files the program loads (--statistics names untranslated ones).
# Translators edit bot/locale/*/LC_MESSAGES/bot.po and knowledge/locale/*/LC_MESSAGES/knowledge.po,
# then run this script; tests/unit/test_messages.py fails while a message lacks a language.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
[ -x "$PYBABEL" ] || PYBABEL=pybabel

catalogue() {  # domain, locale folder, source folders...
  local domain="$1" locale="$2"; shift 2
  "$PYBABEL" --quiet extract -F babel.cfg -k say -k N_ --no-location --omit-header --sort-output \
    -o "$locale/$domain.pot" "$@"
  "$PYBABEL" --quiet update -i "$locale/$domain.pot" -d "$locale" -D "$domain" \
    --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100
  "$PYBABEL" compile -d "$locale" -D "$domain" --statistics
}

catalogue bot bot/locale bot intake
catalogue knowledge knowledge/locale knowledge
