/* The typed action forms (plan editor and action page): show only the fields of the chosen
 * kind of effect (each field names its kinds in data-effect-kinds) and, for an uncertain
 * parameter, only the numbers its chosen distribution takes (data-distribution-of names the
 * distribution's select, data-distributions the distributions that use the number). */
(function () {
  "use strict";

  function kindSelect(form) {
    return form.querySelector("select[name='type'], select[name$='-type']");
  }

  function sync(form) {
    var select = kindSelect(form);
    if (!select) {
      return;
    }
    form.querySelectorAll("[data-effect-kinds], [data-distribution-of]").forEach(function (input) {
      var row = input.closest(".field, p") || input;
      var hidden = false;
      if (input.dataset.effectKinds) {
        hidden = input.dataset.effectKinds.split(" ").indexOf(select.value) < 0;
      }
      if (!hidden && input.dataset.distributionOf) {
        var dist = form.querySelector("select[name='" + input.dataset.distributionOf + "']");
        hidden = !dist || input.dataset.distributions.split(" ").indexOf(dist.value) < 0;
      }
      row.hidden = hidden;
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
    if (form && event.target.tagName === "SELECT") {
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
