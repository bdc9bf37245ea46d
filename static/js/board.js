// The board: drag and drop through the cards' own "Move to…" forms, and a gentle refresh.
(() => {
  const board = document.getElementById("board");
  if (!board) return;
  let pending = 0;

  function busy() {
    const active = document.activeElement;
    return (
      document.hidden ||
      pending > 0 ||
      board.dataset.dragging === "1" ||
      board.querySelector(".card-ask, .card-error") !== null ||
      (board.contains(active) && active.matches("select, input, textarea, button"))
    );
  }

  // Dropping a card asks the server; the card goes back until the server has decided.
  function enableDragging() {
    if (!window.Sortable) return;
    board.querySelectorAll(".cards:not([data-sortable])").forEach((list) => {
      list.dataset.sortable = "1";
      Sortable.create(list, {
        group: "board",
        sort: false,
        animation: 120,
        draggable: ".card[data-movable]",
        filter: "select, button, input, textarea, a",
        preventOnFilter: false,
        ghostClass: "card-ghost",
        // Pointer events rather than native drag and drop: works the same in every browser.
        forceFallback: true,
        fallbackOnBody: true,
        onStart: () => { board.dataset.dragging = "1"; },
        onEnd: (event) => {
          delete board.dataset.dragging;
          const card = event.item;
          const target = event.to.closest(".column").dataset.status;
          event.from.insertBefore(card, event.from.children[event.oldIndex] || null);
          if (target === card.dataset.status) return;
          const form = card.querySelector("form.move-form");
          const select = form && form.querySelector("select[name=to_status]");
          if (!select) return;
          if (![...select.options].some((o) => o.value === target)) {
            // Not an allowed move: send it anyway so the server can say why.
            select.add(new Option(target, target));
          }
          select.value = target;
          form.requestSubmit();
        },
      });
    });
  }

  document.addEventListener("htmx:before:request", () => { pending += 1; });
  document.addEventListener("htmx:finally:request", () => { pending = Math.max(0, pending - 1); });
  document.addEventListener("htmx:after:swap", enableDragging);
  document.addEventListener("DOMContentLoaded", enableDragging);
  enableDragging();

  // Refuse-messages fade after a while so the refresh can carry on.
  document.addEventListener("htmx:after:swap", () => {
    board.querySelectorAll(".card-error:not([data-timer])").forEach((el) => {
      el.dataset.timer = "1";
      setTimeout(() => el.remove(), 8000);
    });
  });

  setInterval(() => {
    if (busy() || !window.htmx) return;
    htmx.ajax("GET", location.pathname + location.search, {
      target: "#board-columns",
      swap: "innerMorph",
    });
  }, 4000);
})();
