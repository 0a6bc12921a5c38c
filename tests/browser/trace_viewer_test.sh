#!/usr/bin/env bash
# The HTML trace viewer in a real browser: writes counterexamples with
# `keel check --trace-out FILE.html`, renders them in headless Chromium
# (a screenshot, and the DOM after the page's script ran) and checks that
# the script drew the verdict, the steps, one lane per process identity with
# the messages sent and received, the fault mark, the failing step, that
# markup in a message stays text, and that keyboard navigation moves the
# selection.
#
# Usage: trace_viewer_test.sh KEEL_BINARY
# Skips (exit 0, "SKIP: ...") when Chromium is not installed. Set
# KEEL_BROWSER_OUT=DIR to keep the pages, screenshots and DOM dumps.
set -u
keel="$1"
here=$(cd "$(dirname "$0")" && pwd)

browser=""
for b in chromium chromium-browser google-chrome-stable google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
  echo "SKIP: chromium not installed"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="${KEEL_BROWSER_OUT:-$work}"
mkdir -p "$out"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Headless Chromium with nothing that reaches the network or needs a desktop.
run_browser() {  # PROFILE_NAME ARGS...
  local profile="$work/profile-$1"
  shift
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --run-all-compositor-stages-before-draw --virtual-time-budget=2000 \
    --user-data-dir="$profile" "$@" 2>>"$work/browser.log"
}

# expect NAME FILE PATTERN [COUNT]: FILE contains PATTERN (fixed string), or
# exactly COUNT times.
expect() {
  local name="$1" file="$2" pattern="$3" want="${4:-}"
  local n
  n=$(grep -oF -- "$pattern" "$file" | wc -l)
  if [ -z "$want" ]; then
    [ "$n" -ge 1 ] || fail "$name: '$pattern' not found in $(basename "$file")"
  else
    [ "$n" -eq "$want" ] || fail "$name: '$pattern' found $n times in $(basename "$file"), expected $want"
  fi
}

# --- 1. Processes, messages, a fault and a violated invariant -----------------
"$keel" check "$here/vote_duplicate.keel" --no-deadlock --color never --progress 0 \
  --trace-out "$out/vote.html" >"$work/vote.out" 2>&1
code=$?
[ "$code" = 12 ] || { cat "$work/vote.out"; fail "keel check vote_duplicate.keel exited $code, expected 12"; }
[ -s "$out/vote.html" ] || { echo "FAIL: no HTML trace written"; exit 1; }
grep -qE '(src|href)=["'"'"']?(https?:)?//' "$out/vote.html" && fail "the page loads something from the network"

run_browser shot --window-size=1400,900 --screenshot="$out/vote.png" "file://$out/vote.html" >/dev/null
[ -s "$out/vote.png" ] || fail "no screenshot written"
run_browser dom --dump-dom "file://$out/vote.html" >"$out/vote.dom.html"
dom="$out/vote.dom.html"
[ -s "$dom" ] || { cat "$work/browser.log"; echo "FAIL: no DOM dumped"; exit 1; }

expect "script ran" "$dom" 'data-rendered="true"'
expect verdict "$dom" 'id="verdict-title">Violated: invariant DecidedVoted<'
expect "steps list" "$dom" '<li class="step' 7
for i in 0 1 2 3 4 5 6; do expect "step $i" "$dom" "id=\"step-$i\""; done
expect "step label" "$dom" '>Node[1].Cast<'
expect "step label" "$dom" '>Node[2].Learn(m = Decide)<'
expect "source location" "$dom" 'vote_duplicate.keel:21:3'
expect "fault step" "$dom" '<li class="step fault' 1
expect "fault mark" "$dom" '>FAULT duplicate(inbox)<' 2   # in the steps list and in its lane
expect "violation mark" "$dom" 'violates DecidedVoted'
expect "last state selected" "$dom" 'class="step bad current"'
expect "lanes" "$dom" '<th class="lane" id="lane-' 4
expect "lane Node[0]" "$dom" 'id="lane-0">Node[0]<'
expect "lane Node[1]" "$dom" 'id="lane-1">Node[1]<'
expect "lane Node[2]" "$dom" 'id="lane-2">Node[2]<'
expect "lane global" "$dom" 'id="lane-3">global<'
expect "lane rows" "$dom" 'id="lane-row-' 6
expect "sent" "$dom" '>→ inbox[0]: Vote(1)<' 2             # by Node[1].Cast and by the fault
expect "received" "$dom" '>← inbox[0]: Vote(1)<' 2
expect "received" "$dom" '>← inbox[2]: Decide<' 1
expect "in flight" "$dom" 'class="msg sent inflight" title="sent to inbox[1] (still in flight at the end)">→ inbox[1]: Decide<' 1
expect "send-receive arrows" "$dom" 'marker-end="url(#arrowhead' 3
expect "fault arrow" "$dom" 'marker-end="url(#arrowhead-fault)" class="fault"' 1
expect "changed variables" "$dom" '<tr class="changed" id="var-' 2
expect "state title" "$dom" 'id="state-title">State 6 of 6<'
expect "diff rows" "$dom" '<td class="val old-value">' 5

# Navigation: keys and buttons, driven by a script appended to a copy.
sed 's|</body>|<script>\
(function () {\
  function key(k) { document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })); }\
  function cur() { return document.querySelector("#steps li.current").id; }\
  key("ArrowLeft"); key("ArrowLeft"); document.body.dataset.navA = cur();\
  key("Home"); key("j"); document.body.dataset.navB = cur();\
  document.getElementById("next").click(); document.body.dataset.navC = cur();\
  key("End"); document.body.dataset.navD = cur() + "," + document.getElementById("next").disabled;\
})();\
</script></body>|' "$out/vote.html" >"$out/vote-nav.html"
run_browser nav --dump-dom "file://$out/vote-nav.html" >"$out/vote-nav.dom.html"
nav="$out/vote-nav.dom.html"
expect "arrow keys" "$nav" 'data-nav-a="step-4"'
expect "Home, j" "$nav" 'data-nav-b="step-1"'
expect "Next button" "$nav" 'data-nav-c="step-2"'
expect "End" "$nav" 'data-nav-d="step-6,true"'

# A link to a state selects it.
run_browser hash --dump-dom "file://$out/vote.html#state-2" >"$out/vote-hash.dom.html"
expect "#state-2" "$out/vote-hash.dom.html" 'id="state-title">State 2 of 6<'
expect "#state-2" "$out/vote-hash.dom.html" 'class="step fault current"'

# --- 2. A failing step with markup in its message -------------------------------
"$keel" check "$here/escape.keel" --no-deadlock --color never --progress 0 \
  --trace-out "$out/escape.html" >"$work/escape.out" 2>&1
code=$?
[ "$code" = 12 ] || { cat "$work/escape.out"; fail "keel check escape.keel exited $code, expected 12"; }
run_browser escape-shot --window-size=1400,900 --screenshot="$out/escape.png" "file://$out/escape.html" >/dev/null
run_browser escape --dump-dom "file://$out/escape.html" >"$out/escape.dom.html"
esc="$out/escape.dom.html"
expect "script ran" "$esc" 'data-rendered="true"'
expect "no injected element" "$esc" 'id="injected"' 0
expect "no injected element" "$esc" '<b id=' 0
expect "message as text" "$esc" '&lt;/script&gt;&lt;b id=injected&gt;x &lt; y &amp; '"'"'z'"'"'&lt;/b&gt;'
expect "failing step" "$esc" 'id="step-failing"'
expect "failing label" "$esc" '>Node[1].Recv(m = Ping(0))<' 1
expect "failing in its lane" "$esc" '<td class="lane"><div class="act failing">Recv(m = Ping(0))<' 1
expect "failing mark" "$esc" '>FAILS<' 2
expect "failing lane row" "$esc" 'id="lane-failing"'
expect "verdict" "$esc" 'id="verdict-title">Violated: assert<'

if [ "$failures" -gt 0 ]; then
  echo "FAIL: $failures check(s) failed (pages and DOM dumps: set KEEL_BROWSER_OUT=DIR to keep them)"
  exit 1
fi
echo "PASS: trace viewer rendered in $("$browser" --version 2>/dev/null | head -n 1)"
