// @mention autocomplete in comment boxes: type "@" and a few letters, pick a teammate.
(() => {
  const HANDLE = /(^|[^\w@])@([\w.%+-]*)$/;

  function wordBeforeCaret(box) {
    const match = HANDLE.exec(box.value.slice(0, box.selectionStart));
    return match ? { query: match[2], start: box.selectionStart - match[2].length - 1 } : null;
  }

  function close(list) {
    list.hidden = true;
    list.innerHTML = "";
  }

  function pick(box, list, handle) {
    const found = wordBeforeCaret(box);
    if (!found) return;
    const before = box.value.slice(0, found.start);
    const after = box.value.slice(box.selectionStart);
    const inserted = `@${handle} `;
    box.value = before + inserted + after;
    const caret = before.length + inserted.length;
    box.setSelectionRange(caret, caret);
    close(list);
    box.focus();
  }

  let timer = null;
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!box.matches("textarea[data-mentions]")) return;
    const list = box.closest("form").querySelector(".mention-options");
    const found = wordBeforeCaret(box);
    clearTimeout(timer);
    if (!found) return close(list);
    timer = setTimeout(async () => {
      const url = `${list.dataset.url}?q=${encodeURIComponent(found.query)}`;
      const response = await fetch(url, { headers: { "HX-Request": "true" } });
      if (!response.ok) return close(list);
      list.innerHTML = await response.text();
      list.hidden = !list.querySelector(".mention-option");
    }, 150);
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest(".mention-option");
    if (!option) return;
    const list = option.closest(".mention-options");
    pick(list.closest("form").querySelector("textarea[data-mentions]"), list, option.dataset.handle);
  });

  document.addEventListener("keydown", (event) => {
    const box = event.target;
    if (!box.matches?.("textarea[data-mentions]")) return;
    const list = box.closest("form").querySelector(".mention-options");
    if (list.hidden) return;
    const first = list.querySelector(".mention-option");
    if ((event.key === "Enter" || event.key === "Tab") && first) {
      event.preventDefault();
      pick(box, list, first.dataset.handle);
    } else if (event.key === "Escape") {
      close(list);
    }
  });
})();
