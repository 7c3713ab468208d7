/* Draws every chart on the page with the vendored Plotly, from the figure JSON that the
 * server renders into its data-figure attribute (the same numbers as the chart's table view and CSV).
 * Runs again for content that htmx swaps in (the plan editor's live recompute). */
(function () {
  "use strict";

  function draw(el) {
    if (el.dataset.rendered === "1" || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(el.dataset.figure);
    el.dataset.rendered = "1";
    Plotly.newPlot(el, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  }

  function drawAll(root) {
    if (root.matches && root.matches("[data-figure]")) {
      draw(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-figure]").forEach(draw);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target);
  });
})();
