#!/usr/bin/env bash
# Makes sure a Chrome or Chromium is on this machine for the browser tests and `npm run bench:web`
# (npm test runs this first; nothing is downloaded at install time). Uses CHROME_PATH when set, else
# the first browser found on PATH; on Debian, as root, installs the `chromium` package when none is
# found; otherwise fails saying how to install one. The tests look in the same places
# (test/support/browser.ts).
set -euo pipefail

candidates=(chromium chromium-browser google-chrome-stable google-chrome chrome)

if [[ -n "${CHROME_PATH:-}" ]]; then
  if [[ -x "$CHROME_PATH" ]]; then
    echo "browser tests: using $CHROME_PATH (CHROME_PATH)"
    exit 0
  fi
  echo "CHROME_PATH is set to '$CHROME_PATH', which is not an executable file: fix it or unset it." >&2
  exit 1
fi

find_browser() {
  for name in "${candidates[@]}"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if browser=$(find_browser); then
  echo "browser tests: using $browser"
  exit 0
fi

if [[ -f /etc/debian_version && "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  # fonts-wqy-zenhei: without a Chinese font the pages' screenshots show boxes instead of characters.
  echo "browser tests: no Chrome or Chromium found; installing Debian's chromium package (about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
  browser=$(find_browser)
  echo "browser tests: using $browser"
  exit 0
fi

cat >&2 <<'MESSAGE'
The browser tests need Chrome or Chromium, and none was found.
Install one, then run npm test again:
  Debian/Ubuntu: sudo apt-get install chromium   (or run npm test as root: this script installs it)
  macOS:         brew install --cask chromium     (or install Google Chrome)
  elsewhere:     install Chrome or Chromium and set CHROME_PATH=/path/to/the/browser
MESSAGE
exit 1
