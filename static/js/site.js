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
})();
