// Survey designer: when a question's type is chosen, open the settings that type uses
// (choices, grid rows, scale, number). Works after htmx swaps (delegated listener).
document.addEventListener("change", (event) => {
  const kind = event.target;
  if (!kind.matches || !kind.matches("select[name$='-kind']")) return;
  const form = kind.closest("form");
  if (!form) return;
  form.querySelectorAll("details[data-kinds]").forEach((details) => {
    if (details.dataset.kinds.split(" ").includes(kind.value)) details.open = true;
  });
});
