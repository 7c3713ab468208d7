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
    if (el.clientWidth < 500) {
      narrow(figure);
    }
    Plotly.newPlot(el, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  }

  /* On a phone the plot keeps the width: slim margins, no y-axis title (the unit is in the
   * chart's caption) and the gap brackets without their text (the gaps are listed below). */
  function narrow(figure) {
    var layout = figure.layout;
    layout.margin = {l: 62, r: 12, t: 10, b: 40};
    if (layout.yaxis) {
      layout.yaxis.title = {text: ""};
    }
    figure.data.forEach(function (trace) {
      if (typeof trace.meta === "string" && trace.meta.indexOf("gap:") === 0) {
        trace.mode = "lines+markers";
        delete trace.text;
      }
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
