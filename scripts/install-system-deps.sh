#!/usr/bin/env bash
# Installs the Debian packages the tests need (LibreOffice Calc, headless) when
# run as root and they are missing.  As a normal user it only says what is
# missing: tests that need LibreOffice then skip outside CI (and fail in CI).
set -euo pipefail
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing LibreOffice Calc (headless) for the spreadsheet cross-checks..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
else
  echo "Note: LibreOffice is not installed; the LibreOffice cross-check tests will be skipped." >&2
  echo "      Install it with: sudo apt-get install libreoffice-calc-nogui" >&2
fi
