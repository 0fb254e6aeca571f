// accord dashboard: the evidence panel of the plan matrix, matrix filters, forecast jobs.
// Everything shown comes from server-rendered (escaped) HTML; this script only moves it around.
// The dashboard's CSP forbids inline script and inline event handlers: behaviour lives here (and in plots.js).
(function () {
  "use strict";

  function showEvidence(anchor, cell) {
    var panel = document.getElementById("evidence");
    var block = document.getElementById(anchor);
    if (!panel || !block) return false;
    var copy = block.cloneNode(true);
    copy.removeAttribute("id");
    copy.classList.add("selected");
    copy.setAttribute("data-evidence-of", anchor);
    panel.replaceChildren(copy);
    document.querySelectorAll("td.cell.selected").forEach(function (c) { c.classList.remove("selected"); });
    if (cell) {
      cell.classList.add("selected");
      var row = cell.parentElement;
      var head = document.createElement("p");
      head.className = "muted";
      head.textContent = "Point " + row.getAttribute("data-provision") + " · " +
        cell.getAttribute("title");
      panel.prepend(head);
    }
    return true;
  }

  function applyFilters() {
    var verdict = (document.getElementById("f-verdict") || {}).value || "";
    var actor = (document.getElementById("f-actor") || {}).value || "";
    var basket = (document.getElementById("f-basket") || {}).value || "";
    var text = ((document.getElementById("f-text") || {}).value || "").toLowerCase();
    var shown = 0, total = 0;
    document.querySelectorAll("table.matrix tbody tr").forEach(function (row) {
      total += 1;
      var ok = true;
      if (verdict) {
        var sel = actor ? 'td.cell[data-actor="' + CSS.escape(actor) + '"]' : "td.cell";
        ok = Array.prototype.some.call(row.querySelectorAll(sel), function (c) {
          return c.getAttribute("data-verdict") === verdict;
        });
      }
      if (ok && basket) ok = row.getAttribute("data-basket") === basket;
      if (ok && text) ok = row.textContent.toLowerCase().indexOf(text) >= 0 ||
        (row.querySelector("td.title") || {title: ""}).title.toLowerCase().indexOf(text) >= 0;
      row.classList.toggle("hidden-row", !ok);
      if (ok) shown += 1;
    });
    document.querySelectorAll("table.matrix td.cell").forEach(function (c) {
      c.classList.toggle("dim", !!actor && c.getAttribute("data-actor") !== actor);
    });
    var count = document.getElementById("f-count");
    if (count) count.textContent = shown + " of " + total + " provisions";
  }

  function runForecast(form) {
    var status = document.getElementById("forecast-status");
    var bar = document.getElementById("forecast-progress");
    var body = {model: form.model.value, runs: Number(form.runs.value), seed: Number(form.seed.value)};
    bar.hidden = false;
    status.textContent = "starting…";
    var asOf = form.getAttribute("data-as-of");
    var csrf = document.querySelector('meta[name="accord-csrf"]');
    fetch("/api/v1/cases/" + encodeURIComponent(form.getAttribute("data-case")) + "/forecast" +
          (asOf ? "?as_of=" + encodeURIComponent(asOf) : ""), {
      method: "POST", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.content : ""}
    }).then(function (r) { return r.json(); }).then(function poll(job) {
      if (job.error && !job.id) { status.textContent = job.error.message; return; }
      bar.value = job.progress || 0;
      status.textContent = job.status + (job.message ? ": " + job.message : "");
      if (job.status === "done") { window.location.reload(); return; }
      if (job.status === "failed") { status.textContent = "failed: " + job.error; return; }
      setTimeout(function () {
        fetch("/api/v1/jobs/" + job.id).then(function (r) { return r.json(); }).then(poll);
      }, 400);
    });
  }

  document.addEventListener("click", function (ev) {
    var cell = ev.target.closest && ev.target.closest("table.matrix td.cell");
    var link = cell && cell.querySelector("a[data-evidence]");
    if (link && showEvidence(link.getAttribute("data-evidence"), cell)) ev.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", function () {
    ["f-verdict", "f-actor", "f-basket", "f-text"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.addEventListener("input", applyFilters);
    });
    if (document.querySelector("table.matrix")) applyFilters();
    var filters = document.getElementById("matrix-filters");
    if (filters) filters.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var form = document.getElementById("forecast-run");
    if (form) form.addEventListener("submit", function (ev) { ev.preventDefault(); runForecast(form); });
  });
})();
