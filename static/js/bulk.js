// Multi-select for bulk actions: a count, shift-click ranges, "select all matching", and the
// list's current filters sent with the form. The boxes belong to #bulk-form via form="...".
(() => {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const count = form.querySelector("[data-bulk-count]");
  const apply = form.querySelector("[data-bulk-apply]");
  const items = () => [...document.querySelectorAll("input[data-bulk-item]")];
  const all = () => document.querySelector("input[data-bulk-all]");
  let last = null; // the box clicked last, for shift-click ranges

  function update() {
    const everything = all();
    const picked = items().filter((box) => box.checked).length;
    const matching = everything && everything.checked;
    count.textContent = matching ? everything.dataset.total : String(picked);
    apply.disabled = !matching && picked === 0;
    document.body.classList.toggle("bulk-selecting", matching || picked > 0);
  }

  document.addEventListener("click", (event) => {
    const box = event.target.closest("input[data-bulk-item]");
    if (!box) return;
    if (event.shiftKey && last && last !== box && document.contains(last)) {
      const boxes = items();
      const [from, to] = [boxes.indexOf(last), boxes.indexOf(box)].sort((a, b) => a - b);
      if (from >= 0) boxes.slice(from, to + 1).forEach((b) => { b.checked = box.checked; });
    }
    last = box;
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("input[data-bulk-item], input[data-bulk-all]")) update();
  });
  form.querySelector("[data-bulk-clear]").addEventListener("click", () => {
    items().forEach((box) => { box.checked = false; });
    if (all()) all().checked = false;
    update();
  });
  // Filters change the URL (htmx pushes it): send the ones in force now.
  form.addEventListener("submit", () => {
    form.elements.filters.value = location.search.replace(/^\?/, "");
  });
  document.addEventListener("htmx:after:swap", update);
  update();
})();
