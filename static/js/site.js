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

// Place fields: as one types, the communes, departments and regions that match are offered
// in the field's own list (a <datalist>). Without JavaScript the server still understands
// a name, an INSEE code or a postcode.
(function () {
  "use strict";
  document.querySelectorAll("input[data-place-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    var url = input.dataset.placeAutocomplete;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === last) {
          return;
        }
        last = text;
        fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (place) {
              var option = document.createElement("option");
              option.value = place.label;
              return option;
            }));
          })
          .catch(function () { /* the field still works as typed */ });
      }, 200);
    });
  });
})();
