// redflag's analyst page: search, filters, results with score bars and the
// one-line explanation, an entity view, the loaded list versions; and, when
// the server keeps a record (--store), the alert queue and a decision form.
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));

async function getJSON(url, init) {
  const r = await fetch(url, init);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

// "kim=kim jong=jong(romanization 0.93)" as the command line prints it
function explain(m) {
  const e = m.explanation || {};
  if (e.basis && e.basis !== "name") return "matched on " + e.basis;
  const toks = (e.tokens || []).map((t) =>
    (t.query || "-") + "=" + (t.list || "-") + (t.how && t.how !== "exact" && t.how !== "unmatched" ? "(" + t.how + " " + Number(t.similarity).toFixed(2) + ")" : ""));
  const attrs = (e.attributes || []).map((a) => a.detail).filter(Boolean);
  return [toks.join(" "), attrs.join("; ")].filter(Boolean).join(" | ");
}

async function search(ev) {
  if (ev) ev.preventDefault();
  const q = $("q").value.trim();
  if (!q) return;
  const p = new URLSearchParams({q, min_score: ($("min_score").value / 100).toFixed(2), limit: "25"});
  for (const f of ["type", "list", "program", "country"]) if ($(f).value.trim()) p.set(f, $(f).value.trim());
  $("status").textContent = "Searching...";
  $("entity").hidden = true;
  try {
    const t0 = performance.now();
    const r = await getJSON("/v1/search?" + p);
    const ms = (performance.now() - t0).toFixed(0);
    const list = $("results");
    list.innerHTML = "";
    r.matches.forEach((m) => {
      const li = document.createElement("li");
      const pct = Math.round(m.score * 100);
      li.innerHTML = `<button type="button" data-entity="${esc(m.entity)}">
        <div class="row"><span class="name">${esc(m.name)}</span>
        <span class="meta">${esc(m.schema)} · ${esc(m.list)} · ${esc((m.programs || []).join(", "))}</span>
        <span class="score">${pct}%</span></div>
        <div class="bar" aria-hidden="true"><span style="width:${pct}%"></span></div>
        <div class="why">${esc(m.matched_name !== m.name ? "as \"" + m.matched_name + "\": " : "")}${esc(explain(m))}</div></button>`;
      list.appendChild(li);
    });
    $("status").textContent = r.matches.length ? `${r.matches.length} match${r.matches.length > 1 ? "es" : ""} (${ms} ms)` : `No match at ${$("min_score").value}% or above (${ms} ms)`;
  } catch (e) {
    $("status").textContent = "Error: " + e.message;
  }
}

function section(title, items) {
  if (!items.length) return "";
  return `<h3>${esc(title)}</h3><ul>${items.map((i) => "<li>" + i + "</li>").join("")}</ul>`;
}

async function showEntity(id) {
  try {
    const e = await getJSON("/v1/entities/" + encodeURIComponent(id));
    $("entity-name").textContent = e.name;
    const tags = [e.schema, e.list, ...(e.programs || [])].map((t) => `<span class="tag">${esc(t)}</span>`).join("");
    const listing = e.listing && e.listing !== "listed" ? `<p><strong>${e.listing === "blocked_50" ? "Blocked by the 50 percent rule (owned 50% or more by blocked parties)" : "Not listed: related to listed parties"}</strong></p>` : "";
    $("entity-body").innerHTML = `<p>${tags}</p>${listing}` +
      section("Names", e.names.map((n) => `${esc(n.name)} <span class="meta">${esc(n.kind)}${n.strength === "weak" ? ", weak" : ""}</span>`)) +
      section("Birth dates", (e.birth_dates || []).map((d) => esc(d.date || d.from + " to " + d.to))) +
      section("Nationalities", (e.nationalities || []).map(esc)) +
      section("Identifiers", (e.identifiers || []).map((i) => `${esc(i.type)} <strong>${esc(i.number)}</strong> ${esc(i.country || "")}`)) +
      section("Wallets", (e.wallets || []).map((w) => `${esc(w.currency)} <code>${esc(w.address)}</code>`)) +
      section("Addresses", (e.addresses || []).map((a) => esc([a.street, a.city, a.country_name || a.country].filter(Boolean).join(", ")))) +
      section("Links", (e.links || []).map((l) => esc(l.relation) + ": " + (l.entity ? `<a href="#" data-entity="${esc(l.entity)}">${esc(l.name)}</a>` : esc(l.name)) + (l.share >= 0 ? ` (${l.share}%)` : "")));
    $("entity").hidden = false;
    $("close").focus();
  } catch (err) {
    $("status").textContent = "Error: " + err.message;
  }
}

async function versions() {
  try {
    const r = await getJSON("/v1/lists");
    const sel = $("list");
    for (const l of r.lists) {
      const o = document.createElement("option");
      o.value = l.list;
      o.textContent = l.list;
      sel.appendChild(o);
    }
    $("versions").textContent = "Lists: " + r.lists.map((l) => `${l.list} (${l.published || "date unknown"}, ${l.entities} entities, sha256 ${(l.files[0] || {}).sha256?.slice(0, 12)})`).join(" · ");
  } catch (e) {
    $("versions").textContent = "Cannot read the list versions: " + e.message;
  }
}

// ---- tabs ----
function showTab(name) {
  for (const t of ["search", "alerts"]) {
    const on = t === name;
    $("tab-" + t).setAttribute("aria-selected", on);
    $("tab-" + t).tabIndex = on ? 0 : -1;
    $("view-" + t).hidden = !on;
  }
  if (name === "alerts") loadQueue();
}

// ---- the alert queue and the decision form ----
const STATUS = {open: "open", pending_approval: "waiting for approval", true_match: "true match",
                false_positive: "false positive", closed: "closed"};
let current = null; // the alert shown

async function loadQueue() {
  const status = $("alert-status").value;
  $("queue-status").textContent = "Loading...";
  try {
    const rows = await getJSON("/v1/alerts" + (status ? "?status=" + status : ""));
    const body = $("queue").tBodies[0];
    body.innerHTML = "";
    for (const a of rows) {
      const tr = document.createElement("tr");
      tr.tabIndex = 0;
      tr.dataset.alert = a.alert_id;
      tr.innerHTML = `<td>${a.alert_id}</td><td>${esc(a.subject_id)}</td>
        <td>${esc(a.entity_name || a.entity)} <span class="meta">${esc(a.list)}</span></td>
        <td>${Math.round(a.score * 100)}%</td><td class="status-${esc(a.status)}">${esc(STATUS[a.status] || a.status)}</td>
        <td class="meta">${esc((a.opened || "").replace("T", " ").slice(0, 19))}</td>`;
      body.appendChild(tr);
    }
    $("queue-status").textContent = rows.length ? `${rows.length} alert${rows.length > 1 ? "s" : ""}` : "No alert here.";
    if (status === "open") $("alert-count").textContent = rows.length || "";
  } catch (e) {
    $("queue-status").textContent = e.message;
  }
}

async function showAlert(id) {
  try {
    const a = await getJSON("/v1/alerts/" + id);
    current = a;
    $("alert-title").textContent = `Alert ${a.alert_id}: ${a.subject_id} / ${(a.match && a.match.name) || a.entity}`;
    const subj = Object.entries(a.subject || {}).map(([k, v]) => `${esc(k)}: <strong>${esc(typeof v === "object" ? JSON.stringify(v) : v)}</strong>`);
    const m = a.match;
    const why = m ? [`score <strong>${Math.round(m.score * 100)}%</strong> on ${esc(m.list)} (${esc((m.programs || []).join(", "))})`,
                     `matched name: ${esc(m.matched_name)}`, `<span class="why">${esc(explain(m))}</span>`] : [];
    $("alert-body").innerHTML =
      `<p>Status: <strong class="status-${esc(a.status)}">${esc(STATUS[a.status] || a.status)}</strong> · ${esc(a.reason)}` +
      (a.proposed_by ? ` · proposed by ${esc(a.proposed_by)}` : "") + "</p>" +
      section("Subject (as screened)", subj) + section("Why it matched", why) +
      `<p><a href="#" data-entity="${esc(a.entity)}">Open the listed entity's record</a></p>` +
      section("Decisions", a.decisions.map((d) => `${esc(d.at.replace("T", " ").slice(0, 19))} <strong>${esc(d.decision.replace("_", " "))}</strong> by ${esc(d.by)}: ${esc(d.reason)}`));
    const pending = a.status === "pending_approval";
    $("decision").classList.toggle("pending", pending);
    $("decision").hidden = a.status === "closed";
    $("decision").reset();
    $("by").value = localStorage.getItem("redflag.by") || "";
    $("decision-status").textContent = "";
    $("alert").hidden = false;
    $("alert-close").focus();
  } catch (e) {
    $("queue-status").textContent = e.message;
  }
}

async function decide(ev) {
  ev.preventDefault();
  const choice = new FormData($("decision")).get("decision");
  const by = $("by").value.trim(), reason = $("reason").value.trim();
  if (!choice || !by || !reason) return;
  localStorage.setItem("redflag.by", by);
  try {
    const a = await getJSON(`/v1/alerts/${current.alert_id}/decision`, {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({decision: choice, reason, by})});
    await showAlert(a.alert_id);
    $("decision-status").textContent = `Recorded: ${STATUS[a.status] || a.status}.`;
    loadQueue();
  } catch (e) {
    $("decision-status").textContent = "Not recorded: " + e.message;
  }
}

$("tab-search").addEventListener("click", () => showTab("search"));
$("tab-alerts").addEventListener("click", () => showTab("alerts"));
$("alert-status").addEventListener("change", () => { $("alert").hidden = true; loadQueue(); });
$("queue").addEventListener("click", (ev) => { const tr = ev.target.closest("tr[data-alert]"); if (tr) showAlert(tr.dataset.alert); });
$("queue").addEventListener("keydown", (ev) => { const tr = ev.target.closest("tr[data-alert]"); if (tr && ev.key === "Enter") showAlert(tr.dataset.alert); });
$("alert-close").addEventListener("click", () => { $("alert").hidden = true; });
$("decision").addEventListener("submit", decide);

$("search").addEventListener("submit", search);
$("min_score").addEventListener("input", () => { $("min_score_out").textContent = $("min_score").value + "%"; });
document.addEventListener("click", (ev) => {
  const t = ev.target.closest("[data-entity]");
  if (t) { ev.preventDefault(); showTab("search"); showEntity(t.dataset.entity); }
});
$("close").addEventListener("click", () => { $("entity").hidden = true; $("q").focus(); });
document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("entity").hidden) $("close").click(); });
versions();
// the queue's count, when the server keeps a record
getJSON("/v1/alerts?status=open").then((r) => { $("alert-count").textContent = r.length || ""; })
  .catch(() => { $("tab-alerts").title = "This server keeps no record (start it with --store)"; });
