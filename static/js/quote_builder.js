/* Quote builder: add and remove item lines in the page. Without scripts the same
   buttons submit the form and the server adds or removes the line, so both paths
   share one markup. After a change the form asks htmx for a fresh price preview. */
(function () {
  "use strict";

  var form = document.querySelector("[data-quote-builder]");
  if (!form) return;
  var list = form.querySelector("#item-rows");
  var template = document.getElementById("item-row-template");
  var addButton = form.querySelector("[data-add-line]");
  var maxLines = parseInt(list.dataset.maxLines, 10) || 20;
  var counter = list.querySelectorAll("[data-item-row]").length;

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-item-row]"));
  }

  function refreshPreview() {
    if (window.htmx) window.htmx.trigger(form, "quote-changed");
  }

  // Line numbers and the remove buttons' names follow the order on the page.
  function renumber() {
    var all = rows();
    all.forEach(function (row, index) {
      var number = String(index + 1);
      var visible = row.querySelector("[data-row-number]");
      if (visible) visible.textContent = number;
      var label = row.querySelector("[data-row-label]");
      if (label) label.textContent = list.dataset.lineLabelFormat.replace("{n}", number);
      var remove = row.querySelector("[data-remove-label]");
      if (remove) remove.textContent = list.dataset.removeLabelFormat.replace("{n}", number);
    });
    if (addButton) addButton.disabled = all.length >= maxLines;
  }

  function newKey() {
    var key;
    do {
      key = "n" + counter++;
    } while (document.getElementById("item-" + key + "-product"));
    return key;
  }

  function addRow() {
    if (rows().length >= maxLines) return;
    var html = template.innerHTML.split("__key__").join(newKey());
    list.insertAdjacentHTML("beforeend", html);
    var added = rows()[rows().length - 1];
    if (window.htmx) window.htmx.process(added);
    renumber();
    added.querySelector("select").focus();
  }

  function removeRow(row) {
    var all = rows();
    var index = all.indexOf(row);
    if (all.length === 1) {
      // The last line is emptied rather than removed: a quote has at least one.
      row.querySelector("select").value = "";
      row.querySelector("input[name=item_quantity]").value = "";
      row.querySelector("select").focus();
    } else {
      row.remove();
      var rest = rows();
      var next = rest[Math.min(index, rest.length - 1)];
      // Focus stays nearby: the line that moved into its place, else the last one.
      next.querySelector("select").focus();
    }
    renumber();
    refreshPreview();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    if (button.hasAttribute("data-add-line")) {
      event.preventDefault();
      addRow();
    } else if (button.hasAttribute("data-remove-line")) {
      event.preventDefault();
      removeRow(button.closest("[data-item-row]"));
    }
  });

  renumber();
})();
