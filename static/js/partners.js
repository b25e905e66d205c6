// The partners of a proposed practice: suggestions from the directory as one types
// (a native <datalist>), the chosen entry's id kept in a hidden field, and more rows on
// demand. Without this file the form still works: names are matched on the server.
(function () {
  "use strict";
  var fieldset = document.querySelector("[data-partners]");
  if (!fieldset) {
    return;
  }
  var endpoint = fieldset.dataset.autocomplete;

  function hiddenFor(input) {
    return input.closest("[data-partner-row]").querySelector('input[type="hidden"]');
  }

  function bind(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var found = {};
    input.addEventListener("input", function () {
      var value = input.value.trim();
      var hidden = hiddenFor(input);
      hidden.value = found[value] || "";
      window.clearTimeout(timer);
      if (value.length < 2 || found[value]) {
        return;
      }
      timer = window.setTimeout(function () {
        fetch(endpoint + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (result) {
              found[result.name] = String(result.id);
              var option = document.createElement("option");
              option.value = result.name;
              option.label = result.label;
              list.appendChild(option);
            });
            hidden.value = found[input.value.trim()] || "";
          });
      }, 200);
    });
  }

  fieldset.querySelectorAll("[data-partner-name]").forEach(bind);

  var rows = fieldset.querySelector("[data-partner-rows]");
  var total = fieldset.querySelector('input[name$="-TOTAL_FORMS"]');
  var maximum = parseInt(fieldset.querySelector('input[name$="-MAX_NUM_FORMS"]').value, 10);
  var button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-outline-secondary btn-sm mt-2";
  button.textContent = fieldset.dataset.addLabel || "Ajouter un partenaire";
  button.addEventListener("click", function () {
    var count = parseInt(total.value, 10);
    if (count >= maximum) {
      return;
    }
    var template = rows.lastElementChild.cloneNode(true);
    var last = count - 1;
    template.querySelectorAll("input, select, label, datalist").forEach(function (node) {
      ["name", "id", "for", "list"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) {
          node.setAttribute(attribute, value.replace("-" + last + "-", "-" + count + "-"));
        }
      });
      if (node.tagName === "INPUT") {
        node.value = "";
        node.classList.remove("is-invalid");
      }
      if (node.tagName === "SELECT") {
        node.value = "partner";
      }
      if (node.tagName === "DATALIST") {
        node.replaceChildren();
      }
      if (node.tagName === "LABEL" && node.textContent.match(/\d+/)) {
        node.textContent = node.textContent.replace(/\d+/, String(count + 1));
      }
    });
    template.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
    rows.appendChild(template);
    total.value = String(count + 1);
    bind(template.querySelector("[data-partner-name]"));
    template.querySelector("[data-partner-name]").focus();
  });
  fieldset.appendChild(button);
})();
