/* Portolan staff pages: small progressive enhancements. Everything works without it. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Selects marked data-autosubmit (language, pipeline) submit their form on change;
  // their submit button stays in the page for keyboard users without scripts.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit")) {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    }
  });

  // After a note is added, put the cursor back in the (cleared) note box.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "note-form" && event.detail.xhr.status < 300) {
      var box = document.querySelector("#note-form textarea");
      if (box) box.focus();
    }
  });
})();
