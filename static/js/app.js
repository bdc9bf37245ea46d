// OmniTraffick's own behaviour on top of htmx: confirmations for destructive forms.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Copy buttons: <button data-copy="#selector"> copies that element's text.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1500);
  });
});

// Print buttons on reports.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// GET forms (filters) send only the fields that are filled in, so the URLs they push stay
// short and readable: ?status=DRAFT rather than ?q=&brand=&market=&status=DRAFT.
document.addEventListener("htmx:config:request", (event) => {
  const request = event.detail?.ctx?.request;
  if (!request || String(request.method).toUpperCase() !== "GET") return;
  if (!(request.body instanceof FormData)) return;
  for (const [name, value] of [...request.body.entries()]) {
    if (value === "") request.body.delete(name);
  }
});
