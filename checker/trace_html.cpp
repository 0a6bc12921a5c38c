// The HTML trace viewer: one self-contained file (inline CSS and JavaScript,
// no network) with the trace embedded as JSON. The C++ side decodes every
// state (value_text), the changed variables, the messages each step sent and
// received (by diffing the network variables between consecutive states) and
// the lane (process identity) of each step; the page's script only lays the
// data out: the verdict, the steps, one lane per process identity with
// arrows from each send to its receive, the selected state with its changes
// highlighted, and a diff of any two states.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "checker/bits.hpp"
#include "checker/trace.hpp"
#include "checker/values.hpp"
#include "keel_version.hpp"

namespace keel
{

namespace
{

using nlohmann::json;

std::string location(const Model& m, Span sp)
{
  if (!m.sources || sp.file >= m.sources->size()) return "";
  const SourceFile& f = m.sources->file(sp.file);
  LineCol lc = f.line_col(sp.begin);
  return f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

std::string source_line(const Model& m, Span sp)
{
  if (!m.sources || sp.file >= m.sources->size()) return "";
  const SourceFile& f = m.sources->file(sp.file);
  std::string s(f.line_text(f.line_col(sp.begin).line));
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Element number idx of a finite type, as text (array keys, bag members).
std::string element_text(const Type* t, uint64_t idx)
{
  std::vector<uint64_t> w((t->bits + 63) / 64 + 1, 0);
  Evaluator::decode_index(t, idx, w.data(), 0);
  return value_text(t, w.data(), 0);
}

// The messages in a network variable, as a multiset of (channel, message):
// an array of channels names each by its key ("chan[2]").
using Messages = std::map<std::pair<std::string, std::string>, uint64_t>;

void collect_messages(const Type* t, const uint64_t* w, size_t pos, const std::string& where, Messages& out)
{
  switch (t->kind)
  {
    case TypeKind::Array:
      for (uint64_t k = 0; k < t->key->card; ++k)
        collect_messages(t->elem, w, pos + k * t->elem->bits, where + "[" + element_text(t->key, k) + "]", out);
      return;
    case TypeKind::Bag:
      for (uint64_t k = 0; k < t->elem->card; ++k)
        if (uint64_t c = bits::get(w, pos + k * t->aux_bits, t->aux_bits)) out[{where, element_text(t->elem, k)}] += c;
      return;
    case TypeKind::Seq:
    {
      uint64_t len = bits::get(w, pos, t->aux_bits);
      for (uint64_t k = 0; k < len; ++k) ++out[{where, value_text(t->elem, w, pos + t->aux_bits + k * t->elem->bits)}];
      return;
    }
    default:
      return;
  }
}

Messages network_messages(const Model& m, const uint64_t* s)
{
  Messages out;
  for (const Variable& v : m.vars)
    if (v.is_network) collect_messages(v.type, s, v.offset, v.name, out);
  return out;
}

// Messages in `after` but not in `before` (with their multiplicity).
json message_diff(const Messages& before, const Messages& after)
{
  json out = json::array();
  for (auto& [key, n] : after)
  {
    auto it = before.find(key);
    uint64_t was = it == before.end() ? 0 : it->second;
    for (uint64_t i = was; i < n; ++i) out.push_back(json{{"chan", key.first}, {"msg", key.second}});
  }
  return out;
}

const char* verdict_kind_name(VerdictKind k)
{
  switch (k)
  {
    case VerdictKind::Holds:
      return "holds";
    case VerdictKind::HoldsUpToBound:
      return "holds-up-to-bound";
    case VerdictKind::Violated:
      return "violated";
    case VerdictKind::NotInductive:
      return "not-inductive";
    case VerdictKind::Error:
      return "error";
  }
  return "error";
}

std::string html_escape(const std::string& s)
{
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c)
    {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

// JSON safe inside <script>: no '<', '>' or '&' (so no "</script>" or
// "<!--"), and ASCII only (so U+2028 and U+2029 are escaped too). These
// characters occur only inside JSON strings, where \uXXXX is the same text.
std::string script_json(const json& j)
{
  std::string s = j.dump(-1, ' ', true, json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  for (char c : s) switch (c)
    {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  return out;
}

// One lane per process identity, then one for steps outside any process.
struct Lanes
{
  json list = json::array();
  std::map<std::pair<std::string, std::string>, int> index;  // (process, identity text) -> lane
  int global = -1;

  int of(const Model& m, const TraceStep& st)
  {
    if (st.action < 0) return -1;
    const Action& a = m.actions[st.action];
    if (!a.process.empty() && !st.bindings.empty())
    {
      auto it = index.find({a.process, value_text(st.bindings[0].type, st.bindings[0].bits.data(), 0)});
      if (it != index.end()) return it->second;
    }
    if (global < 0)
    {
      global = static_cast<int>(list.size());
      list.push_back(json{{"title", "global"}, {"process", ""}, {"id", ""}});
    }
    return global;
  }
};

json trace_data(const Model& m, const Trace& t, const std::string& source, const Verdict& v)
{
  json d;
  d["generator"] = "keel " KEEL_VERSION_STRING;
  d["model"] = m.name;
  d["source"] = source;

  json verdict = {{"kind", verdict_kind_name(v.kind)}, {"property", v.property}, {"message", v.message}};
  verdict["violation"] = v.violation ? json(violation_name(*v.violation)) : json(nullptr);
  verdict["location"] = v.span.valid() ? location(m, v.span) : "";
  verdict["line"] = v.span.valid() ? source_line(m, v.span) : "";
  verdict["explanation"] = v.explanation;
  d["verdict"] = verdict;

  json vars = json::array();
  for (const Variable& var : m.vars)
    vars.push_back(json{{"name", var.name},
                        {"process", var.process},
                        {"network", var.is_network},
                        {"fault", var.is_fault_state},
                        {"type", var.type->name}});
  d["vars"] = vars;

  Lanes lanes;
  for (const Process& p : m.processes)
  {
    if (!p.identity || !p.identity->is_finite() || p.identity->card > 1024) continue;
    for (uint64_t k = 0; k < p.identity->card; ++k)
    {
      std::string id = element_text(p.identity, k);
      lanes.index[{p.name, id}] = static_cast<int>(lanes.list.size());
      lanes.list.push_back(json{{"title", p.name + "[" + id + "]"}, {"process", p.name}, {"id", id}, {"slot", k}});
    }
  }

  json states = json::array();
  std::vector<Messages> msgs;
  for (const auto& s : t.states)
  {
    json vals = json::array();
    for (const Variable& var : m.vars) vals.push_back(value_text(var.type, s.data(), var.offset));
    states.push_back(vals);
    msgs.push_back(network_messages(m, s.data()));
  }
  d["states"] = states;

  auto step_json = [&](const TraceStep& st)
  {
    json j;
    j["label"] = step_label(m, st);
    if (st.action >= 0)
    {
      const Action& a = m.actions[st.action];
      j["action"] = a.name;
      j["process"] = a.process;
      j["self"] = !a.process.empty() && !st.bindings.empty()
                      ? value_text(st.bindings[0].type, st.bindings[0].bits.data(), 0)
                      : "";
      j["location"] = location(m, a.span);
      j["line"] = source_line(m, a.span);
      bool fault = st.is_fault || a.is_fault;
      j["fault"] = fault;
      j["fault_kind"] =
          fault && a.fault >= 0 && a.fault < static_cast<int>(m.faults.size()) ? m.faults[a.fault].name : "";
    }
    else
    {
      j["action"] = "init";
      j["process"] = "";
      j["self"] = "";
      j["location"] = "";
      j["line"] = "";
      j["fault"] = false;
      j["fault_kind"] = "";
    }
    j["lane"] = lanes.of(m, st);
    return j;
  };

  json steps = json::array();
  for (size_t i = 0; i < t.steps.size() && i + 1 < t.states.size(); ++i)
  {
    const TraceStep& st = t.steps[i];
    const uint64_t* before = t.states[i].data();
    const uint64_t* after = t.states[i + 1].data();
    json j = step_json(st);
    j["state"] = i + 1;
    json changed = json::array();
    for (size_t k = 0; k < m.vars.size(); ++k)
    {
      const Variable& var = m.vars[k];
      if (!bits::equal(before, var.offset, after, var.offset, var.type->bits)) changed.push_back(k);
    }
    j["changed"] = changed;
    j["sent"] = message_diff(msgs[i], msgs[i + 1]);
    j["received"] = message_diff(msgs[i + 1], msgs[i]);
    // The acting process's own variables that changed in its slot.
    json local = json::array();
    if (st.action >= 0 && !m.actions[st.action].process.empty() && j["lane"].get<int>() >= 0 &&
        j["lane"].get<int>() != lanes.global)
    {
      const json& lane = lanes.list[j["lane"].get<int>()];
      uint64_t slot = lane["slot"].get<uint64_t>();
      for (const Variable& var : m.vars)
      {
        if (var.process != lane["process"].get<std::string>() || var.type->kind != TypeKind::Array) continue;
        const Type* e = var.type->elem;
        size_t pos = var.offset + slot * e->bits;
        if (!bits::equal(before, pos, after, pos, e->bits))
        {
          std::string name = var.name.substr(var.name.find('.') == std::string::npos ? 0 : var.name.find('.') + 1);
          local.push_back(
              json{{"name", name}, {"old", value_text(e, before, pos)}, {"new", value_text(e, after, pos)}});
        }
      }
    }
    j["local"] = local;
    steps.push_back(j);
  }
  d["steps"] = steps;

  if (t.failing_step)
  {
    json f = step_json(*t.failing_step);
    f["state"] = t.states.size();
    f["message"] = v.message;
    f["where"] = t.failing_step->span.valid() ? location(m, t.failing_step->span) : "";
    d["failing"] = f;
  }
  else
    d["failing"] = nullptr;
  d["loop"] = t.loop ? json(*t.loop) : json(nullptr);
  d["length"] = t.length();
  d["lanes"] = lanes.list;
  return d;
}

const char* kStyle = R"KEELCSS(
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa;
  --accent: #0969da; --cur: #ddf4ff; --chg: #fff8c5; --chg-mark: #f5d90a; --fault: #9a6700; --fault-bg: #fff1d6;
  --bad: #cf222e; --bad-bg: #ffebe9; --ok: #1a7f37; --ok-bg: #dafbe1; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
code, .mono, .value, .label, td.val, .msg { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
header#top { padding: 10px 18px; border-bottom: 1px solid var(--line); display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
header#top h1 { font-size: 18px; margin: 0; }
header#top .src { color: var(--muted); }
#verdict { margin: 10px 18px; padding: 10px 14px; border-radius: 6px; border: 1px solid var(--line); }
#verdict.violated { background: var(--bad-bg); border-color: #ffcecb; }
#verdict.holds, #verdict.holds-up-to-bound { background: var(--ok-bg); border-color: #aceebb; }
#verdict h2 { margin: 0 0 4px; font-size: 16px; }
#verdict.violated h2 { color: var(--bad); }
#verdict .where { color: var(--muted); }
#verdict pre { margin: 4px 0; padding: 4px 8px; background: rgba(255,255,255,.6); border-radius: 4px; white-space: pre-wrap; }
#verdict ul { margin: 4px 0; }
#verdict .summary { margin-top: 4px; }
#toolbar { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 10px; padding: 6px 18px; background: var(--panel); border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
#toolbar button { font: inherit; padding: 3px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
#toolbar button:disabled { opacity: .45; cursor: default; }
#toolbar .hint { color: var(--muted); margin-left: auto; font-size: 12px; }
#position { font-weight: 600; }
#layout { display: grid; grid-template-columns: minmax(260px, 360px) 1fr; gap: 0; align-items: start; }
#steps-panel { position: sticky; top: 40px; max-height: calc(100vh - 40px); overflow-y: auto; border-right: 1px solid var(--line); padding: 8px 0; }
#steps-panel h2, #content h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 6px 14px; }
#steps { list-style: none; margin: 0; padding: 0; }
#steps li { padding: 5px 14px; border-left: 3px solid transparent; cursor: pointer; }
#steps li:hover { background: var(--panel); }
#steps li.current { background: var(--cur); border-left-color: var(--accent); }
#steps li .idx { display: inline-block; min-width: 2.2em; color: var(--muted); font-variant-numeric: tabular-nums; }
#steps li .label { font-weight: 600; word-break: break-word; }
#steps li .loc { display: block; color: var(--muted); font-size: 12px; margin-left: 2.2em; }
#steps li .changes { display: block; font-size: 12px; margin-left: 2.2em; color: #6e5400; word-break: break-word; }
#steps li.fault { border-left-color: var(--fault); }
#steps li.fault.current { border-left-color: var(--fault); }
#steps li.failing, #steps li.bad { background: var(--bad-bg); border-left-color: var(--bad); }
#steps li.failing .label, #steps li.bad .why { color: var(--bad); }
#steps li .why { display: block; margin-left: 2.2em; font-size: 12px; font-weight: 600; }
#steps li.loop { color: var(--accent); font-weight: 600; }
.badge { display: inline-block; font-size: 11px; font-weight: 700; padding: 0 6px; border-radius: 10px; margin-left: 6px; vertical-align: 1px; }
.fault-badge { color: var(--fault); background: var(--fault-bg); border: 1px solid #f0c36d; }
.fail-badge { color: #fff; background: var(--bad); }
.loop-badge { color: #fff; background: var(--accent); }
#content { padding: 8px 18px 40px; min-width: 0; }
#content section { margin-bottom: 22px; }
#lanes-wrap { position: relative; overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
#lanes { border-collapse: collapse; min-width: 100%; }
#lanes th, #lanes td { border-bottom: 1px solid #eaeef2; padding: 4px 8px; vertical-align: top; text-align: left; }
#lanes th { background: var(--panel); position: sticky; top: 0; font-size: 13px; white-space: nowrap; }
#lanes th .proc { font-weight: 400; color: var(--muted); }
#lanes td.lane { border-left: 1px dashed var(--line); min-width: 150px; }
#lanes td.idx { color: var(--muted); width: 2.5em; cursor: pointer; font-variant-numeric: tabular-nums; }
#lanes tr.current td { background: var(--cur); }
#lanes tr.row { cursor: pointer; }
#lanes .act { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
#lanes .act.fault { color: var(--fault); }
#lanes .act.failing { color: var(--bad); }
#lanes .msg { display: block; font-size: 12px; padding: 1px 5px; margin: 2px 0; border-radius: 4px; width: fit-content; }
#lanes .msg.sent { background: #cde6ff; color: #0550ae; }
#lanes .msg.received { background: #dafbe1; color: #116329; }
#lanes .msg.inflight { outline: 1px dashed #0550ae; }
#lanes .local { display: block; font-size: 12px; color: #6e5400; }
#lanes tr.loop td { color: var(--accent); font-weight: 600; }
#lanes tr.failing td { background: var(--bad-bg); }
#lanes-panel .legend { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin-top: 6px; font-size: 12px; color: var(--muted); }
#lanes-panel .legend .msg { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 1px 5px; border-radius: 4px; }
#lanes-panel .legend .msg.sent { background: #cde6ff; color: #0550ae; }
#lanes-panel .legend .msg.received { background: #dafbe1; color: #116329; }
#lanes-panel .legend .msg.inflight { outline: 1px dashed #0550ae; }
#arrows { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; }
#arrows path { fill: none; stroke: #0969da; stroke-width: 1.5; opacity: .7; }
#arrows path.fault { stroke: var(--fault); stroke-dasharray: 4 3; }
table.vars { border-collapse: collapse; width: 100%; }
table.vars th, table.vars td { border-bottom: 1px solid #eaeef2; padding: 4px 8px; text-align: left; vertical-align: top; }
table.vars th { background: var(--panel); font-size: 12px; color: var(--muted); }
table.vars td.name { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; width: 1%; }
table.vars td.val { word-break: break-word; }
table.vars tr.changed td { background: var(--chg); }
table.vars tr.changed td.name::before { content: "* "; color: var(--fault); font-weight: 700; }
table.vars .old { color: var(--muted); text-decoration: line-through; display: block; }
mark { background: var(--chg-mark); color: inherit; border-radius: 2px; padding: 0 1px; }
.tag { font-size: 10px; font-weight: 700; color: var(--muted); border: 1px solid var(--line); border-radius: 8px; padding: 0 5px; margin-left: 6px; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
#state-head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
#state-head .loc { color: var(--muted); }
#diff-controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 4px 0 8px; }
#diff-controls select, #diff-controls button { font: inherit; padding: 2px 6px; max-width: 420px; }
.empty { color: var(--muted); font-style: italic; padding: 6px 0; }
)KEELCSS";

const char* kBody = R"KEELHTML(
<section id="verdict"></section>
<nav id="toolbar">
  <button id="prev" title="Previous state (left arrow or k)">&#9664; Prev</button>
  <span id="position"></span>
  <button id="next" title="Next state (right arrow or j)">Next &#9654;</button>
  <span class="hint">&larr; &rarr; or j / k: step &middot; Home / End: first / last state &middot; click a step to select it</span>
</nav>
<div id="layout">
  <aside id="steps-panel"><h2>Steps</h2><ol id="steps"></ol></aside>
  <div id="content">
    <section id="lanes-panel"><h2>Processes</h2><div id="lanes-wrap"><table id="lanes"></table><svg id="arrows" width="0" height="0"></svg></div></section>
    <section id="state-panel"><div id="state-head"><h2 id="state-title"></h2><span id="state-step" class="mono"></span><span id="state-loc" class="loc mono"></span></div><table id="state" class="vars"></table></section>
    <section id="diff-panel"><h2>Compare two states</h2>
      <div id="diff-controls"><label>A <select id="diff-a"></select></label><label>B <select id="diff-b"></select></label>
        <button id="diff-prev" title="Compare the selected state with the one before it">selected vs. previous</button></div>
      <table id="diff" class="vars"></table></section>
  </div>
</div>
<noscript><p>This trace viewer needs JavaScript; the trace is also available as ITF JSON (keel check --trace-out FILE.itf.json).</p></noscript>
)KEELHTML";

const char* kScript = R"KEELJS(
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('keel-trace-data').textContent);
  var N = D.states.length;
  var cur = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  // The step that leads to state i (i >= 1).
  function stepOf(i) { return D.steps[i - 1]; }
  function shortLabel(s) {
    var p = s.process ? s.process + '[' + s.self + '].' : '';
    return p && s.label.indexOf(p) === 0 ? s.label.slice(p.length) : s.label;
  }
  function stateName(i) { return 'State ' + i + ': ' + (i === 0 ? 'initial state' : stepOf(i).label); }
  // The new text with the tokens not in the old one marked (a longest common
  // subsequence of tokens; common prefix and suffix only for huge values).
  function tokens(s) { return s.match(/[A-Za-z0-9_]+|\s+|[^A-Za-z0-9_\s]/g) || []; }
  function markDiff(a, b, into) {
    var A = tokens(a), B = tokens(b), n = A.length, m = B.length, keep = [], i, j;
    for (j = 0; j < m; j++) keep.push(false);
    if (n * m <= 250000) {
      var L = [];
      for (i = 0; i <= n; i++) L.push(new Int32Array(m + 1));
      for (i = n - 1; i >= 0; i--)
        for (j = m - 1; j >= 0; j--)
          L[i][j] = A[i] === B[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
      for (i = 0, j = 0; i < n && j < m;) {
        if (A[i] === B[j]) { keep[j] = true; i++; j++; }
        else if (L[i + 1][j] >= L[i][j + 1]) i++;
        else j++;
      }
    } else {
      for (j = 0; j < Math.min(n, m) && A[j] === B[j]; j++) keep[j] = true;
      for (i = 1; i <= Math.min(n, m) && !keep[m - i] && A[n - i] === B[m - i]; i++) keep[m - i] = true;
    }
    for (j = 0; j < m;) {
      var k = j, text = '';
      while (k < m && keep[k] === keep[j]) text += B[k++];
      into.appendChild(keep[j] ? document.createTextNode(text) : el('mark', '', text));
      j = k;
    }
    if (!m) into.appendChild(document.createTextNode(''));
  }
  function varTags(v, td) {
    if (v.network) td.appendChild(el('span', 'tag', 'network'));
    if (v.fault) td.appendChild(el('span', 'tag', 'fault'));
  }

  // --- verdict -----------------------------------------------------------
  (function renderVerdict() {
    var V = D.verdict, box = $('verdict');
    box.className = V.kind;
    var title;
    if (V.kind === 'violated') {
      title = 'Violated: ' + (V.violation === 'invariant' ? 'invariant ' + V.property : (V.violation || V.property));
    } else if (V.kind === 'holds') title = 'Holds';
    else if (V.kind === 'holds-up-to-bound') title = 'Holds up to the bound';
    else title = 'Error';
    box.appendChild(el('h2', '', title)).id = 'verdict-title';
    if (V.message) box.appendChild(el('div', 'message', V.message)).id = 'verdict-message';
    if (V.location) {
      var w = el('div', 'where mono', V.location);
      box.appendChild(w);
      if (V.line) box.appendChild(el('pre', '', V.line));
    }
    if (V.explanation && V.explanation.length) {
      var ul = el('ul', 'explanation');
      V.explanation.forEach(function (line) { ul.appendChild(el('li', 'mono', line)); });
      box.appendChild(ul);
    }
    var faults = D.steps.filter(function (s) { return s.fault; }).length;
    var sum = 'Trace: ' + D.length + ' step' + (D.length === 1 ? '' : 's');
    if (faults) sum += ', ' + faults + ' injected fault' + (faults === 1 ? '' : 's');
    if (D.loop !== null) sum += ', a lasso: the last state loops back to state ' + D.loop;
    if (D.failing) sum += D.failing.action === 'init' ? ', computing the initial states fails' : ', the last step fails while running';
    box.appendChild(el('div', 'summary', sum));
  })();

  // --- steps list ----------------------------------------------------------
  var stepItems = [];
  (function renderSteps() {
    var ol = $('steps');
    for (var i = 0; i < N; i++) {
      var li = el('li', 'step');
      li.id = 'step-' + i;
      li.dataset.state = i;
      li.appendChild(el('span', 'idx', i));
      if (i === 0) {
        li.appendChild(el('span', 'label', 'initial state'));
      } else {
        var s = stepOf(i);
        li.appendChild(el('span', 'label', s.label));
        if (s.fault) {
          li.classList.add('fault');
          li.appendChild(el('span', 'badge fault-badge', 'FAULT' + (s.fault_kind ? ' ' + s.fault_kind : '')));
        }
        if (s.location) li.appendChild(el('span', 'loc', s.location));
        if (s.changed.length)
          li.appendChild(el('span', 'changes', 'changed: ' + s.changed.map(function (k) { return D.vars[k].name; }).join(', ')));
      }
      if (i === N - 1 && D.verdict.kind === 'violated' && !D.failing && D.loop === null) {
        li.classList.add('bad');
        li.appendChild(el('span', 'why', '\u2716 ' + (D.verdict.violation === 'invariant' ? 'violates ' + D.verdict.property
                                                    : D.verdict.violation === 'deadlock' ? 'deadlock: no action is enabled'
                                                    : D.verdict.message)));
      }
      (function (k) { li.addEventListener('click', function () { select(k); }); })(i);
      ol.appendChild(li);
      stepItems.push(li);
    }
    if (D.loop !== null) {
      var lp = el('li', 'loop');
      lp.id = 'loop-marker';
      lp.appendChild(el('span', 'idx', '\u21a9'));
      lp.appendChild(el('span', 'label', 'back to state ' + D.loop));
      lp.appendChild(el('span', 'badge loop-badge', 'LOOP'));
      lp.addEventListener('click', function () { select(D.loop); });
      ol.appendChild(lp);
    }
    if (D.failing) {
      var f = D.failing, fl = el('li', 'failing');
      fl.id = 'step-failing';
      fl.appendChild(el('span', 'idx', N));
      fl.appendChild(el('span', 'label', f.action === 'init' ? 'initialization' : f.label));
      fl.appendChild(el('span', 'badge fail-badge', 'FAILS'));
      if (f.fault) fl.appendChild(el('span', 'badge fault-badge', 'FAULT' + (f.fault_kind ? ' ' + f.fault_kind : '')));
      if (f.location) fl.appendChild(el('span', 'loc', f.location));
      fl.appendChild(el('span', 'why', 'fails while running' + (f.message ? ': ' + f.message : '')));
      if (f.where && f.where !== f.location) fl.appendChild(el('span', 'loc', 'at ' + f.where));
      fl.addEventListener('click', function () { select(N - 1); });
      ol.appendChild(fl);
    }
  })();

  // --- lanes ---------------------------------------------------------------
  var laneRows = [];
  var arrows = [];  // [sendElement, receiveElement, fault]
  (function renderLanes() {
    var table = $('lanes');
    var L = D.lanes;
    if (!L.length) { $('lanes-panel').style.display = 'none'; return; }
    var thead = el('thead'), hr = el('tr');
    hr.appendChild(el('th', 'idx', '#'));
    L.forEach(function (lane, k) {
      var th = el('th', 'lane');
      th.id = 'lane-' + k;
      th.appendChild(document.createTextNode(lane.title));
      if (!lane.process) th.appendChild(el('span', 'proc', ' (no process)'));
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el('tbody');
    var pending = {};  // "chan\u0000msg" -> [send elements], oldest first
    function row(cls, idx) {
      var tr = el('tr', cls);
      tr.appendChild(el('td', 'idx', idx));
      var cells = L.map(function () { var td = el('td', 'lane'); tr.appendChild(td); return td; });
      tbody.appendChild(tr);
      return { tr: tr, cells: cells };
    }
    function fill(td, s, failing) {
      var act = el('div', 'act' + (s.fault ? ' fault' : '') + (failing ? ' failing' : ''), shortLabel(s));
      if (s.fault) act.appendChild(el('span', 'badge fault-badge', 'FAULT' + (s.fault_kind ? ' ' + s.fault_kind : '')));
      if (failing) act.appendChild(el('span', 'badge fail-badge', 'FAILS'));
      td.appendChild(act);
    }
    laneRows.push(null);  // state 0 has no step
    for (var i = 1; i < N; i++) {
      var s = stepOf(i), r = row('row' + (s.fault ? ' fault' : ''), i);
      r.tr.id = 'lane-row-' + i;
      (function (k) { r.tr.addEventListener('click', function () { select(k); }); })(i);
      var td = r.cells[s.lane];
      fill(td, s, false);
      s.received.forEach(function (m) {
        var e = el('span', 'msg received', '\u2190 ' + m.chan + ': ' + m.msg);
        e.title = 'received from ' + m.chan;
        td.appendChild(e);
        var q = pending[m.chan + '\u0000' + m.msg];
        if (q && q.length) { var from = q.shift(); arrows.push([from.e, e, from.fault]); }
      });
      s.sent.forEach(function (m) {
        var e = el('span', 'msg sent', '\u2192 ' + m.chan + ': ' + m.msg);
        e.title = 'sent to ' + m.chan;
        td.appendChild(e);
        var key = m.chan + '\u0000' + m.msg;
        (pending[key] = pending[key] || []).push({ e: e, fault: s.fault });
      });
      s.local.forEach(function (c) { td.appendChild(el('span', 'local', c.name + ' := ' + c.new)); });
      laneRows.push(r.tr);
    }
    Object.keys(pending).forEach(function (k) {
      pending[k].forEach(function (p) { p.e.classList.add('inflight'); p.e.title += ' (still in flight at the end)'; });
    });
    if (D.loop !== null) {
      var lr = el('tr', 'loop');
      lr.id = 'lane-loop';
      var c = el('td', '', '\u21a9 back to state ' + D.loop);
      c.colSpan = L.length + 1;
      lr.appendChild(c);
      lr.addEventListener('click', function () { select(D.loop); });
      tbody.appendChild(lr);
    }
    if (D.failing) {
      var f = D.failing, fr = row('failing', N);
      fr.tr.id = 'lane-failing';
      if (f.lane >= 0) fill(fr.cells[f.lane], f, true);
      else fr.cells.forEach(function (c, k) { if (k === 0) fill(c, f, true); });
    }
    table.appendChild(tbody);
    var legend = el('div', 'legend');
    legend.id = 'lanes-legend';
    [['msg sent', '\u2192 sent'], ['msg received', '\u2190 received'], ['msg sent inflight', 'still in flight at the end']]
      .forEach(function (x) { legend.appendChild(el('span', x[0], x[1])); });
    legend.appendChild(el('span', 'arrow-key', 'arrows: from each send to its receive (dashed orange: sent by a fault)'));
    $('lanes-panel').appendChild(legend);
  })();

  function drawArrows() {
    var svg = $('arrows'), wrap = $('lanes-wrap');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute('width', 0);
    svg.setAttribute('height', 0);
    if (!arrows.length) return;
    var NS = 'http://www.w3.org/2000/svg';
    var W = wrap.scrollWidth, H = wrap.scrollHeight;
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    var defs = document.createElementNS(NS, 'defs');
    [['arrowhead', '#0969da'], ['arrowhead-fault', '#b45309']].forEach(function (m) {
      var mk = document.createElementNS(NS, 'marker');
      mk.setAttribute('id', m[0]);
      mk.setAttribute('viewBox', '0 0 10 10');
      mk.setAttribute('refX', '9'); mk.setAttribute('refY', '5');
      mk.setAttribute('markerWidth', '7'); mk.setAttribute('markerHeight', '7');
      mk.setAttribute('orient', 'auto-start-reverse');
      var tip = document.createElementNS(NS, 'path');
      tip.setAttribute('d', 'M0,0 L10,5 L0,10 z');
      tip.setAttribute('style', 'fill:' + m[1] + ';stroke:none');
      mk.appendChild(tip);
      defs.appendChild(mk);
    });
    svg.appendChild(defs);
    var base = wrap.getBoundingClientRect();
    arrows.forEach(function (a) {
      var r1 = a[0].getBoundingClientRect(), r2 = a[1].getBoundingClientRect();
      var ox = wrap.scrollLeft - base.left, oy = wrap.scrollTop - base.top;
      var right = r2.left > r1.right;
      var left = r2.right < r1.left;
      var x1 = (right ? r1.right : left ? r1.left : r1.right) + ox, y1 = r1.top + r1.height / 2 + oy;
      var x2 = (right ? r2.left : left ? r2.right : r2.right) + ox, y2 = r2.top + r2.height / 2 + oy;
      var d;
      if (!right && !left) {  // same lane: bow out to the right
        var bx = Math.max(x1, x2) + 30;
        d = 'M' + x1 + ',' + y1 + ' C' + bx + ',' + y1 + ' ' + bx + ',' + y2 + ' ' + x2 + ',' + y2;
      } else {
        var mx = (x1 + x2) / 2;
        d = 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2;
      }
      var p = document.createElementNS(NS, 'path');
      p.setAttribute('d', d);
      p.setAttribute('marker-end', a[2] ? 'url(#arrowhead-fault)' : 'url(#arrowhead)');
      if (a[2]) p.setAttribute('class', 'fault');
      svg.appendChild(p);
    });
  }

  // --- the selected state ----------------------------------------------------
  function renderState(i) {
    $('state-title').textContent = 'State ' + i + ' of ' + (N - 1);
    var s = i > 0 ? stepOf(i) : null;
    $('state-step').textContent = i === 0 ? 'initial state' : 'after ' + s.label;
    $('state-loc').textContent = s && s.location ? '(' + s.location + ')' : '';
    if (D.loop === i) $('state-loc').textContent += (s ? '  ' : '') + '\u21a9 the lasso loops back to this state';
    var table = $('state');
    table.textContent = '';
    var hr = el('tr');
    ['variable', 'value'].forEach(function (h) { hr.appendChild(el('th', '', h)); });
    table.appendChild(hr);
    var changed = {};
    if (s) s.changed.forEach(function (k) { changed[k] = true; });
    D.vars.forEach(function (v, k) {
      var tr = el('tr', changed[k] ? 'changed' : '');
      tr.id = 'var-' + k;
      var name = el('td', 'name', v.name);
      varTags(v, name);
      tr.appendChild(name);
      var val = el('td', 'val');
      if (changed[k]) {
        markDiff(D.states[i - 1][k], D.states[i][k], val);
        val.appendChild(el('span', 'old', D.states[i - 1][k]));
      } else val.textContent = D.states[i][k];
      tr.appendChild(val);
      table.appendChild(tr);
    });
  }

  // --- diff of two states ------------------------------------------------------
  function renderDiff() {
    var a = +$('diff-a').value, b = +$('diff-b').value;
    var table = $('diff');
    table.textContent = '';
    var hr = el('tr');
    ['variable', 'state ' + a, 'state ' + b].forEach(function (h) { hr.appendChild(el('th', '', h)); });
    table.appendChild(hr);
    var n = 0;
    D.vars.forEach(function (v, k) {
      if (D.states[a][k] === D.states[b][k]) return;
      n++;
      var tr = el('tr', 'changed');
      var name = el('td', 'name', v.name);
      varTags(v, name);
      tr.appendChild(name);
      tr.appendChild(el('td', 'val old-value', D.states[a][k]));
      var nv = el('td', 'val new-value');
      markDiff(D.states[a][k], D.states[b][k], nv);
      tr.appendChild(nv);
      table.appendChild(tr);
    });
    if (!n) {
      var tr = el('tr'), td = el('td', 'empty', 'The two states are equal.');
      td.colSpan = 3;
      tr.appendChild(td);
      table.appendChild(tr);
    }
  }
  (function setupDiff() {
    if (!N) return;
    ['diff-a', 'diff-b'].forEach(function (id) {
      var sel = $(id);
      for (var i = 0; i < N; i++) sel.appendChild(el('option', '', stateName(i))).value = i;
      sel.addEventListener('change', renderDiff);
    });
    $('diff-a').value = 0;
    $('diff-b').value = N - 1;
    $('diff-prev').addEventListener('click', function () {
      $('diff-a').value = Math.max(0, cur - 1);
      $('diff-b').value = cur;
      renderDiff();
    });
    renderDiff();
  })();

  // --- navigation --------------------------------------------------------------
  // Keeps the selected step visible in the steps panel without scrolling the page.
  function reveal(li) {
    var panel = $('steps-panel'), pr = panel.getBoundingClientRect(), lr = li.getBoundingClientRect();
    if (lr.top < pr.top) panel.scrollTop -= pr.top - lr.top;
    else if (lr.bottom > pr.bottom) panel.scrollTop += lr.bottom - pr.bottom;
  }
  function select(i, fromKey) {
    if (i < 0 || i >= N) return;
    cur = i;
    stepItems.forEach(function (li, k) { li.classList.toggle('current', k === i); });
    laneRows.forEach(function (tr, k) { if (tr) tr.classList.toggle('current', k === i); });
    $('position').textContent = 'State ' + i + ' / ' + (N - 1);
    $('prev').disabled = i === 0;
    $('next').disabled = i === N - 1;
    renderState(i);
    reveal(stepItems[i]);
    if (fromKey && laneRows[i]) laneRows[i].scrollIntoView({ block: 'nearest' });
    if (history.replaceState) history.replaceState(null, '', '#state-' + i);
  }
  $('prev').addEventListener('click', function () { select(cur - 1); });
  $('next').addEventListener('click', function () { select(cur + 1); });
  document.addEventListener('keydown', function (e) {
    var t = e.target && e.target.tagName;
    if (t === 'SELECT' || t === 'INPUT' || t === 'TEXTAREA' || e.altKey || e.ctrlKey || e.metaKey) return;
    var k = e.key;
    if (k === 'ArrowLeft' || k === 'ArrowUp' || k === 'k' || k === 'p') select(cur - 1, true);
    else if (k === 'ArrowRight' || k === 'ArrowDown' || k === 'j' || k === 'n') select(cur + 1, true);
    else if (k === 'Home') select(0, true);
    else if (k === 'End') select(N - 1, true);
    else return;
    e.preventDefault();
  });
  window.addEventListener('resize', drawArrows);
  var m = /^#state-(\d+)$/.exec(location.hash);
  if (N) select(m ? Math.min(+m[1], N - 1) : N - 1);
  else {  // computing the initial states failed: no state to show
    $('position').textContent = 'no states';
    $('prev').disabled = $('next').disabled = true;
    $('state-panel').style.display = $('diff-panel').style.display = 'none';
  }
  drawArrows();
  document.body.dataset.rendered = 'true';
})();
)KEELJS";

}  // namespace

std::string trace_html(const Model& m, const Trace& t, const std::string& source, const Verdict& v)
{
  std::string title = "Keel trace: " + (m.name.empty() ? source : m.name);
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"keel " KEEL_VERSION_STRING "\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<header id=\"top\"><h1>Keel trace: <span id=\"model-name\">" + html_escape(m.name) +
         "</span></h1><span class=\"src mono\">" + html_escape(source) + "</span></header>\n";
  out += kBody;
  out += "<script type=\"application/json\" id=\"keel-trace-data\">" + script_json(trace_data(m, t, source, v)) +
         "</script>\n";
  out += "<script>";
  out += kScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace keel
