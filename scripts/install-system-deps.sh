#!/usr/bin/env bash
# Installs the Debian packages the tests need when run as root and they are
# missing: LibreOffice Calc, headless (the spreadsheet cross-checks and the
# printed pages), poppler-utils (pdftotext, to read the printed pages back) and
# fonts-crosextra-carlito (Carlito, metric-compatible with Calibri, the
# workbooks' font: without it LibreOffice sets the text in a wider substitute
# and the printed pages break where Excel's do not).
# As a normal user it only says what is missing: those tests then skip outside
# CI (and fail in CI).
set -euo pipefail
missing=()
if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
  missing+=(libreoffice-calc-nogui)
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  missing+=(poppler-utils)
fi
has_carlito() {
  if command -v fc-list >/dev/null 2>&1; then
    fc-list 2>/dev/null | grep -qi carlito
  else
    find /usr/share/fonts /usr/local/share/fonts -iname 'carlito*' 2>/dev/null | grep -q .
  fi
}
if ! has_carlito; then
  missing+=(fonts-crosextra-carlito)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the spreadsheet and print cross-checks..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Note: ${missing[*]} not installed; the tests that need them will be skipped." >&2
  echo "      Install with: sudo apt-get install ${missing[*]}" >&2
fi
