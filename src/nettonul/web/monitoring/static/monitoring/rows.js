// A list section's "Add a row" button: a copy of the formset's empty row, numbered next.
// Without scripts the page still works: each save offers new empty rows.
(function () {
  "use strict";
  document.querySelectorAll("button.add-row[data-formset]").forEach(function (button) {
    var name = button.getAttribute("data-formset");
    var template = document.getElementById("empty-" + name);
    var total = document.getElementById("id_" + name + "-TOTAL_FORMS");
    if (!template || !total) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      row.id = name + "-row-" + index;
      button.closest("p").before(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });
})();
