/* Progressive enhancement: leave empty filter fields out of GET forms marked data-clean-query,
 * so shared links read /beslut/?q=tillnyktring&natverk=chefsnatverket instead of a row of
 * empty parameters. Without JavaScript the form works the same, with longer links. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-clean-query")) {
      return;
    }
    var emptied = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value === "" && field.type !== "submit") {
        field.disabled = true; // disabled fields are not submitted
        emptied.push(field);
      }
    });
    // Give the fields back once the request has been built (and if the page comes back from
    // the back/forward cache).
    window.setTimeout(function () {
      emptied.forEach(function (field) { field.disabled = false; });
    }, 0);
  });
})();
