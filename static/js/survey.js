// Survey pages: a question that depends on an earlier answer of the same page shows only
// when that answer is given. Without this file every question shows, with a note saying
// when to answer it, and the server ignores answers to questions that do not apply.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) {
    return;
  }
  var dependents = Array.prototype.slice.call(form.querySelectorAll("[data-condition-field]"));

  function picked(name, value) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    if (!inputs.length) {
      return null; // the condition is on another page: the server decided
    }
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.tagName === "SELECT" ? input.value === value : input.checked && input.value === value) {
        return true;
      }
    }
    return false;
  }

  function refresh() {
    dependents.forEach(function (block) {
      var shown = picked(block.dataset.conditionField, block.dataset.conditionValue);
      if (shown === null) {
        return;
      }
      block.hidden = !shown;
      var note = block.querySelector(".condition-note");
      if (note) {
        note.hidden = true;
      }
    });
  }

  // "Précisez « Autre »" shows once "Autre" is picked.
  var others = Array.prototype.slice.call(form.querySelectorAll("[data-other-for]"));

  function refreshOthers() {
    others.forEach(function (block) {
      var input = block.querySelector("input");
      var shown = picked(block.dataset.otherFor, "other") || (input && input.value !== "");
      block.hidden = !shown;
    });
  }

  form.addEventListener("change", function () {
    refresh();
    refreshOthers();
  });
  refresh();
  refreshOthers();
})();
