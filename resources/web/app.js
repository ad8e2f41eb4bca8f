// redflag's analyst page: search, filters, results with score bars and the
// one-line explanation, an entity view, and the loaded list versions.
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));

async function getJSON(url) {
  const r = await fetch(url);
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

$("search").addEventListener("submit", search);
$("min_score").addEventListener("input", () => { $("min_score_out").textContent = $("min_score").value + "%"; });
document.addEventListener("click", (ev) => {
  const t = ev.target.closest("[data-entity]");
  if (t) { ev.preventDefault(); showEntity(t.dataset.entity); }
});
$("close").addEventListener("click", () => { $("entity").hidden = true; $("q").focus(); });
document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("entity").hidden) $("close").click(); });
versions();
