// Progressive enhancements shared by every page. Each page works without this file.
(function () {
  "use strict";

  // A second click on a submit button while the form is already on its way is ignored,
  // so that a double click never sends the same form twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-allow-resubmit")) {
      return;
    }
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    form.setAttribute("aria-busy", "true");
    // Forms that stay on the page (downloads) become usable again.
    window.setTimeout(function () {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
    }, 4000);
  });

  // On a phone the filters of a list start folded, so that the results come first. They
  // are open in the markup: without JavaScript they stay usable.
  if (window.matchMedia("(max-width: 991.98px)").matches) {
    document.querySelectorAll("[data-collapse-on-small]").forEach(function (element) {
      element.classList.remove("show");
      var toggle = document.querySelector('[data-bs-target="#' + element.id + '"]');
      if (toggle) {
        toggle.setAttribute("aria-expanded", "false");
      }
    });
  }

  // "Imprimer" buttons (surveys' summaries, mementos): the print layout does the rest.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-print]");
    if (trigger) {
      event.preventDefault();
      window.print();
    }
  });
})();
