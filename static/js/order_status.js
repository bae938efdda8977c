/* Order page: the shipment fields matter only when the order ships, so they are shown
   for "shipped" (or when they already hold a value or an error). Without scripts they
   are always shown. */
(function () {
  "use strict";

  function sync(form) {
    var select = form.querySelector("[data-shipment-toggle]");
    var fields = form.querySelector("[data-shipment-fields]");
    if (!select || !fields) return;
    var filled = Array.prototype.some.call(fields.querySelectorAll("input"), function (input) {
      return input.value !== "";
    });
    var invalid = fields.querySelector(".field__error") !== null;
    fields.hidden = !(select.value === "shipped" || filled || invalid);
  }

  function syncAll() {
    document.querySelectorAll("#order-transition-form").forEach(sync);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-shipment-toggle]")) {
      sync(event.target.form);
    }
  });
  // The form is swapped by htmx when it comes back with errors.
  document.addEventListener("htmx:afterSwap", syncAll);
  syncAll();
})();
