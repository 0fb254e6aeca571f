// accord dashboard: the review queue. Accept or dismiss a proposal with an editor token (kept in this tab).
(function () {
  "use strict";
  var KEY = "accord-editor-token";

  function status(text) {
    var el = document.getElementById("review-status");
    if (el) el.textContent = text;
  }

  function send(form, action, body) {
    var token = (document.getElementById("review-token") || {}).value || "";
    if (!token) { status("enter an editor token first"); return; }
    sessionStorage.setItem(KEY, token);
    var url = "/api/v1/cases/" + encodeURIComponent(form.getAttribute("data-case")) + "/review/" +
      encodeURIComponent(form.getAttribute("data-proposal")) + "/" + action;
    status(action === "accept" ? "accepting…" : "dismissing…");
    fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return {ok: r.ok, body: j}; });
    }).then(function (res) {
      if (!res.ok) { status((res.body.error && res.body.error.message) || "failed"); return; }
      status(action === "accept" ? "accepted" : "dismissed");
      window.location.reload();
    }, function () { status("the request failed"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("review-token");
    if (input && sessionStorage.getItem(KEY)) input.value = sessionStorage.getItem(KEY);
    document.querySelectorAll("form.review-accept").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var body = {note: form.note ? form.note.value : ""};
        if (form.reliability) body.reliability = form.reliability.value;
        send(form, "accept", body);
      });
    });
    document.querySelectorAll("form.review-dismiss").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        send(form, "dismiss", {reason: form.reason.value});
      });
    });
  });
})();
