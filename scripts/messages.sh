#!/usr/bin/env bash
# Keep the interface texts' gettext catalogues in step with the code, with Babel:
#   extract  the message ids the code uses (say(...), N_(...)) into a template (.pot),
#   update   each language's catalogue (.po) from it: new ids arrive empty, removed ids go,
#   compile  the catalogues into the .mo files the program loads (--statistics names untranslated ones).
# Translators edit bot/locale/*/LC_MESSAGES/bot.po, knowledge/locale/*/LC_MESSAGES/knowledge.po and
# bot/dashboard/locale/*/LC_MESSAGES/dashboard.po (the staff workspace: its message ids are the French
# texts, so fr needs no entry), then run this script; tests/unit/test_messages.py fails while a message
# lacks a language. `bash scripts/messages.sh dashboard` runs one domain only.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
[ -x "$PYBABEL" ] || PYBABEL=pybabel

catalogue() {  # domain, locale folder, keywords, source folders...
  local domain="$1" locale="$2" keywords="$3" keyword language; shift 3
  if [ -n "$ONLY" ] && [ "$ONLY" != "$domain" ]; then return; fi
  local options=()
  mkdir -p "$locale"
  for keyword in $keywords; do options+=(-k "$keyword"); done
  "$PYBABEL" --quiet extract -F babel.cfg --no-default-keywords "${options[@]}" --no-location --omit-header \
    --sort-output -o "$locale/$domain.pot" "$@"
  for language in fr ar en; do  # a new domain's catalogues start empty
    [ -f "$locale/$language/LC_MESSAGES/$domain.po" ] || \
      "$PYBABEL" --quiet init -i "$locale/$domain.pot" -d "$locale" -D "$domain" -l "$language" --width 100
  done
  "$PYBABEL" --quiet update -i "$locale/$domain.pot" -d "$locale" -D "$domain" \
    --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100
  "$PYBABEL" compile -d "$locale" -D "$domain" --statistics
}

ONLY="${1:-}"
catalogue bot bot/locale "say N_" bot intake
catalogue knowledge knowledge/locale "say N_" knowledge
catalogue dashboard bot/dashboard/locale "N_ _ gettext" bot/dashboard
