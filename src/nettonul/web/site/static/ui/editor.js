/* The plan editor's typed effect forms: show only the fields of the chosen kind of effect
 * (each field names its kinds in data-effect-kinds). */
(function () {
  "use strict";

  function sync(form) {
    var select = form.querySelector("select[name$='-type']");
    if (!select) {
      return;
    }
    form.querySelectorAll("[data-effect-kinds]").forEach(function (input) {
      var row = input.closest("p") || input;
      row.hidden = input.dataset.effectKinds.split(" ").indexOf(select.value) < 0;
    });
  }

  function syncAll(root) {
    if (root.matches && root.matches("form.effect-form")) {
      sync(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("form.effect-form").forEach(sync);
    }
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.effect-form");
    if (form && event.target.name && /-type$/.test(event.target.name)) {
      sync(form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    syncAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    syncAll(event.target);
  });
})();
