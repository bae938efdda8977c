/* Pipeline board drag and drop (native HTML5). Dropping a card posts the same form
   the card's "Move" button submits, so keyboard users and drag users share one path. */
(function () {
  "use strict";

  var dragged = null;

  function columnOf(element) {
    return element && element.closest ? element.closest("[data-stage-drop]") : null;
  }

  function clearHighlights() {
    document.querySelectorAll("[data-stage-drop].is-over").forEach(function (column) {
      column.classList.remove("is-over");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-deal-card]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.dealId);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearHighlights();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("is-over")) {
      clearHighlights();
      column.classList.add("is-over");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("is-over");
  });

  document.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    clearHighlights();
    var card = dragged;
    var stageId = column.dataset.stageId;
    if (card.dataset.stageId === stageId) return;
    var form = card.querySelector("form[data-move-form]");
    if (!form || !window.htmx) return;
    // The fresh board from the server replaces the card; on an error it stays put.
    card.classList.add("is-pending");
    window.htmx
      .ajax("POST", form.getAttribute("action"), {
        source: form,
        target: "#board",
        swap: "outerHTML",
        values: { stage: stageId },
      })
      .finally(function () {
        card.classList.remove("is-pending");
      });
  });
})();
