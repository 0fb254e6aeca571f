// accord: draw every <div data-figure="{figure, config}"> with plotly (loaded before this script).
// The figure travels as JSON in an escaped attribute, so no data is ever written into a script.
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("div.plotly-figure[data-figure]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) return;
      var spec = JSON.parse(el.getAttribute("data-figure"));
      el.setAttribute("data-drawn", "1");
      Plotly.newPlot(el, spec.figure.data, spec.figure.layout, spec.config);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
