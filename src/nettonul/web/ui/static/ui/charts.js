/* Draws every chart on the page with the vendored Plotly, from the figure JSON that the
 * server renders next to it (the same numbers as the chart's table view and CSV).
 * Runs again for content that htmx swaps in (the plan editor's live recompute). */
(function () {
  "use strict";

  function draw(el) {
    if (el.dataset.rendered === "1" || typeof Plotly === "undefined") {
      return;
    }
    var source = document.getElementById(el.dataset.chartFigure);
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    el.dataset.rendered = "1";
    Plotly.newPlot(el, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  }

  function drawAll(root) {
    if (root.matches && root.matches("[data-chart-figure]")) {
      draw(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-chart-figure]").forEach(draw);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target);
  });
})();
