#!/usr/bin/env bash
# One set-up command for a fresh clone: Debian packages the desk and its tests need, npm packages,
# and — where it can be downloaded — Electron's binary. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the browser host's window where Electron is missing, and the end-to-end tests' browser.
# fonts-noto-cjk: Chinese glyphs for the UI and for screenshots.
# ffmpeg: ffprobe and ffmpeg judge the recordings in the tests (the app never runs them).
# kamailio, kamailio-websocket-modules: the SIP server of the phone tests (e2e/peers) and the demo line.
# espeak-ng, sox: the test calls' known sentences (WAV for Chromium's fake microphone) and the fixture.
# rtpengine-daemon, sip-tester (sipp): the interop test with an ordinary plain-RTP phone.
# postgresql: the hub's tests also run on a real PostgreSQL server (started in a temporary directory;
#   the Debian service itself is not needed). openssl: a throwaway certificate for the hub's TLS test.
# poppler-utils: pdftotext, pdffonts, pdfinfo and pdftoppm judge the proof-of-service PDFs in the
#   receipts tests (the app never runs them; its font ships in assets/fonts/).
APT_PACKAGES=(chromium fonts-noto-cjk kamailio kamailio-websocket-modules espeak-ng sox ffmpeg rtpengine-daemon sip-tester postgresql openssl poppler-utils)
# libnss3-tools: certutil, the NSS trust store in which pdfsig trusts the demo seal root (seal tests).
APT_PACKAGES+=(libnss3-tools)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: please install ${missing[*]} (a Chromium browser) with your system's package manager" >&2
  fi
fi

# Electron's binary is fetched separately so that a machine without access to it still installs
# everything else; npm start then falls back to the browser host.
echo "setup: installing npm packages"
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund

if [ -z "${CI:-}" ]; then
  if timeout 300 node node_modules/electron/install.js >/dev/null 2>&1; then
    echo "setup: Electron is installed: npm start opens the desktop app"
  else
    echo "setup: Electron's binary could not be downloaded: npm start opens the desk in Chromium instead"
  fi
fi
echo "setup: done. Next: npm start"
