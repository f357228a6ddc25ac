#!/usr/bin/env bash
# Browser tests drive Debian's Chromium at /usr/bin/chromium (Playwright cannot download its own
# browser here), with a CJK font so that Chinese and Korean pages render as a visitor sees them
# (without one they draw as empty boxes of other widths, and the screenshots say nothing).
# Install what is missing when we are allowed to; otherwise say so and carry on: the browser
# tests then skip with that reason, and every other test still runs.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/fonts/truetype/wqy ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
fi
echo "Note: ${missing[*]} missing and cannot be installed here; without chromium the browser tests are skipped." >&2
exit 0
