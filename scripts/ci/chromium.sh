#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard browser test (test/dashboard.browser.test.ts) when it
# is missing. Idempotent; runs as root; talks only to the Debian mirrors. Its last stdout line is an
# `export` for `.ci/run` to eval (the test itself looks for /usr/bin/chromium).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "chromium.sh: $CHROMIUM already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))" >&2
else
  echo "chromium.sh: $CHROMIUM missing; installing the Debian package chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y chromium >&2
  if [[ ! -x "$CHROMIUM" ]]; then
    echo "chromium.sh: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
  fi
  echo "chromium.sh: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
fi

echo "export TRADEML_CHROMIUM=$CHROMIUM"
