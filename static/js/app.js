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

// Focus after swaps. When an htmx answer replaces the element that had the focus, the focus
// would drop to <body> and a keyboard or screen-reader user would lose their place. After
// every swap that dropped it, focus goes to where the user's attention now is, the first of:
//   1. what the element that made the request names in data-focus-after (a CSS selector:
//      sort and page links name their table's first row);
//   2. the first error in the answer (a form's error summary, else its first invalid field);
//   3. the new copy of the element that had the focus (same id: a card, a button);
//   4. the first [data-focus] in the swapped region (a panel's heading);
//   5. the swapped region itself.
// Background requests (polls) that did not replace the focused element change nothing.
(() => {
  const focusable = (el) => {
    if (!el) return null;
    if (el.tabIndex < 0 && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    return el;
  };
  const firstError = (root) =>
    root?.querySelector?.(".error-summary") || root?.querySelector?.('[aria-invalid="true"]');

  document.addEventListener("htmx:before:request", (event) => {
    const ctx = event.detail?.ctx;
    if (!ctx) return;
    const focused = document.activeElement;
    ctx.focusBefore = {
      focused,
      focusedId: focused && focused !== document.body ? focused.id : "",
      targetId: ctx.target?.id || "",
      after: ctx.sourceElement?.closest?.("[data-focus-after]")?.dataset.focusAfter || "",
    };
  });

  function restore(was) {
    if (!was) return;
    const now = document.activeElement;
    if (now && now !== document.body && now.isConnected) return; // nothing was lost
    // Focus that was nowhere (a lazy load, a poll on an idle page) is left where it was.
    if (!was.focused || was.focused === document.body || was.focused.isConnected) return;
    const region = was.targetId ? document.getElementById(was.targetId) : null;
    const next =
      (was.after && document.querySelector(was.after)) ||
      firstError(region) ||
      (was.focusedId && document.getElementById(was.focusedId)) ||
      region?.querySelector("[data-focus]") ||
      region;
    focusable(next)?.focus();
  }
  // After the other handlers (board.js puts a moved card's focus itself): only a focus that
  // is still lost is placed here.
  document.addEventListener("htmx:after:swap", (event) => {
    const was = event.detail?.ctx?.focusBefore;
    setTimeout(() => restore(was), 0);
  });
})();

// One polite live region (#announcer in base.html) says what an answer marks with
// data-announce: a status change, a send's result. A poll that brings the same words again
// says nothing new.
(() => {
  let last = "";
  const seen = new WeakSet();
  const mark = () => document.querySelectorAll("[data-announce]").forEach((el) => seen.add(el));
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:after:swap", () => {
    const announcer = document.getElementById("announcer");
    if (!announcer) return;
    const fresh = [...document.querySelectorAll("[data-announce]")].filter((el) => !seen.has(el));
    fresh.forEach((el) => seen.add(el));
    const words = fresh
      .map((el) => el.dataset.announce || el.textContent.replace(/\s+/g, " ").trim())
      .filter(Boolean)
      .join(" ");
    if (!words || words === last) return;
    last = words;
    announcer.textContent = "";
    // A fresh text node, a moment later, is announced even by readers that skip quick edits.
    setTimeout(() => { announcer.textContent = words; }, 50);
  });
})();

// Skip links and the error summary's links to fields move the focus, not only the scroll
// position; a field is shown with its label. (Other in-page links keep the browser's way.)
document.addEventListener("click", (event) => {
  const link = event.target.closest('a.skip-link[href^="#"], .error-summary a[href^="#"]');
  if (!link || link.getAttribute("href").length < 2) return;
  const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target) return;
  event.preventDefault();
  // The board takes the focus on its current card (its one Tab stop).
  const into = target.matches("#board")
    ? target.querySelector('.card[tabindex="0"]') || target.querySelector(".card")
    : target;
  if (into.tabIndex < 0 && !into.hasAttribute("tabindex")) into.setAttribute("tabindex", "-1");
  into.focus({ preventScroll: true });
  const label = into.id && document.querySelector(`label[for="${CSS.escape(into.id)}"]`);
  (label || into).scrollIntoView({ block: "center" });
});

// A form that came back with errors: the focus starts on its error summary.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});

// Escape closes an open menu (<details class="dropdown">) and gives the focus back to it.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = event.target.closest?.("details.dropdown[open]") ||
    document.querySelector("details.dropdown[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
document.addEventListener("click", (event) => {
  // A click outside an open menu closes it, as on any menu bar.
  document.querySelectorAll("details.dropdown[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});

// Wide tables scroll inside their own region, which the keyboard can reach (Tab, then the
// arrow keys) and which says what it holds; only a region that does scroll is a Tab stop.
(() => {
  const name = (table) =>
    table.getAttribute("aria-label") ||
    table.querySelector("caption")?.textContent.trim() ||
    table.closest("section, article, details, main")?.querySelector("h1, h2, h3, summary")
      ?.textContent.replace(/\s+/g, " ").trim() ||
    "Table";
  function wrap(root) {
    root.querySelectorAll("table").forEach((table) => {
      if (table.closest(".no-scroll-region")) return;
      let box = table.parentElement;
      if (!box.matches(".table-wrap, .table-scroll")) {
        box = document.createElement("div");
        box.className = "table-scroll";
        table.before(box);
        box.append(table);
      }
      if (!box.hasAttribute("role")) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name(table));
      }
    });
    fit(root);
  }
  function fit(root) {
    root.querySelectorAll(".table-wrap[role=region], .table-scroll").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  }
  document.addEventListener("DOMContentLoaded", () => wrap(document));
  document.addEventListener("htmx:after:swap", () => wrap(document));
  window.addEventListener("resize", () => fit(document));
})();
