// The board: drag and drop through the cards' own "Move to…" forms, and a gentle refresh.
(() => {
  const board = document.getElementById("board");
  if (!board) return;
  const POLL_HEADER = "X-Board-Refresh";
  const WATCH_HEADER = "X-Card-Watch"; // a card polling while its send is in progress
  let pending = 0; // moves and other requests in flight (not refreshes)
  let epoch = 0; // bumped by anything the user does on the board

  const isRefresh = (ctx) => Boolean(ctx?.request?.headers?.[POLL_HEADER]);
  // Refreshes and card watches run by themselves: they are not the user doing something.
  const isBackground = (ctx) => isRefresh(ctx) || Boolean(ctx?.request?.headers?.[WATCH_HEADER]);

  function busy() {
    const active = document.activeElement;
    return (
      document.hidden ||
      pending > 0 ||
      board.dataset.dragging === "1" ||
      board.querySelector(".card-ask, .card-error") !== null ||
      // A selection for a bulk action would be lost by a refresh.
      board.querySelector("input[data-bulk-item]:checked, input[data-bulk-all]:checked") !== null ||
      (board.contains(active) && active.matches("select, input, textarea, button"))
    );
  }

  // While a card is dragged the board asks, at once and then every second, whether someone
  // else changed it meanwhile (a 204 says no). If so the drag ends there and then, and the
  // card goes where it is now, saying who moved it, instead of failing on the drop.
  const WATCH_EVERY = 1000;
  let held = null; // the drag being watched: { card, timer, stale }

  function staleCheckUrl(card) {
    // A card's page is /tickets/<id> (its title links there); its board card is .../card.
    const base = card.querySelector("a.card-title").getAttribute("href") + "/card";
    const query = card.querySelector("input[name=board]")?.value ?? location.search.slice(1);
    const params = new URLSearchParams({
      board: query,
      version: card.dataset.version,
      status: card.dataset.status,
    });
    return `${base}?${params}`;
  }

  function endDrag() {
    const active = window.Sortable?.active;
    if (!active) return;
    const type = active.options.supportPointer ? "pointerup" : "mouseup";
    const Kind = type === "pointerup" && window.PointerEvent ? PointerEvent : MouseEvent;
    document.dispatchEvent(new Kind(type, { bubbles: true, cancelable: true }));
  }

  function watchDrag(card) {
    const watch = { card, stale: false, timer: null };
    held = watch;
    const check = async () => {
      if (held !== watch) return;
      let response;
      try {
        response = await fetch(staleCheckUrl(card), {
          headers: { [WATCH_HEADER]: "1" },
          cache: "no-store",
          credentials: "same-origin",
        });
      } catch {
        return; // offline for a moment: the drop will still be checked by the server
      }
      if (held !== watch || response.status !== 200) return;
      watch.stale = true;
      endDrag(); // onEnd puts the card back and shows why
    };
    check();
    watch.timer = setInterval(check, WATCH_EVERY);
  }

  function unwatchDrag() {
    const watch = held;
    held = null;
    if (watch) clearInterval(watch.timer);
    return watch;
  }

  // Dropping a card asks the server; the card goes back until the server has decided.
  function enableDragging() {
    if (!window.Sortable) return;
    board.querySelectorAll(".cards").forEach((list) => {
      list.dataset.sortable = "1"; // a refresh may drop the mark; the instance stays
      if (Sortable.get(list)) return;
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
        onStart: (event) => {
          board.dataset.dragging = "1";
          epoch += 1;
          watchDrag(event.item);
        },
        onEnd: (event) => {
          delete board.dataset.dragging;
          const watch = unwatchDrag();
          const card = event.item;
          const target = event.to.closest(".column").dataset.status;
          event.from.insertBefore(card, event.from.children[event.oldIndex] || null);
          if (watch?.stale) {
            // Changed by someone else while held: show it as it is now, where it is now.
            htmx.ajax("GET", staleCheckUrl(card), { target: `#${card.id}`, swap: "outerHTML" });
            return;
          }
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

  document.addEventListener("htmx:before:request", (event) => {
    if (isBackground(event.detail?.ctx)) return;
    pending += 1;
    epoch += 1;
  });
  document.addEventListener("htmx:finally:request", (event) => {
    if (!isBackground(event.detail?.ctx)) pending = Math.max(0, pending - 1);
  });
  board.addEventListener("focusin", () => { epoch += 1; });
  // A refresh that was already on its way when the user started something is dropped.
  document.addEventListener("htmx:before:swap", (event) => {
    const ctx = event.detail?.ctx;
    if (isRefresh(ctx) && (busy() || String(epoch) !== ctx.request.headers[POLL_HEADER])) {
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:after:swap", enableDragging);
  enableDragging();

  // Refusal messages fade after a while so the refresh can carry on.
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
      headers: { [POLL_HEADER]: String(epoch) },
    });
  }, 4000);
})();

// Keyboard: the board is one Tab stop per card (a roving tabindex): Tab reaches the current
// card, Tab again goes through that card's own controls (select, title, send, move), and on
// out of the board. j/k go from card to card down the whole board; the arrow keys go up and
// down a column and left and right between columns (Home/End: first and last card of the
// column); m opens the card's "Move to…", Enter on a card opens it, ? shows the keys.
// A saved view keeps the filters the board shows now.
(() => {
  const board = document.getElementById("board");
  if (!board) return;
  const help = document.getElementById("board-keys");
  const typing = (el) => el && el.matches("input, textarea, select, [contenteditable]");
  const CONTROLS = "a[href], button, input, select, textarea, summary";
  let current = null; // the id of the card that holds the board's one Tab stop

  const allCards = () => [...board.querySelectorAll(".card")];
  const columns = () =>
    [...board.querySelectorAll(".cards")].filter((list) => list.querySelector(".card"));

  // Only the current card, and the controls inside it, are in the Tab order.
  function rove(active) {
    const cards = allCards();
    if (!cards.length) return;
    const keep = active || (current && document.getElementById(current)) || cards[0];
    current = keep.id;
    for (const card of cards) {
      const on = card === keep;
      card.tabIndex = on ? 0 : -1;
      card.querySelectorAll(CONTROLS).forEach((control) => {
        if (on) {
          if (control.dataset.roving) {
            control.removeAttribute("tabindex");
            delete control.dataset.roving;
          }
        } else if (!control.hasAttribute("tabindex")) {
          control.tabIndex = -1;
          control.dataset.roving = "1";
        }
      });
    }
  }

  function go(card) {
    if (!card) return;
    rove(card);
    card.focus();
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function step(direction) {
    const cards = allCards();
    if (!cards.length) return;
    const here = document.activeElement?.closest?.(".card");
    const at = cards.indexOf(here);
    go(cards[at === -1 ? 0 : Math.min(cards.length - 1, Math.max(0, at + direction))]);
  }

  function within(move) {
    const here = document.activeElement?.closest?.(".card");
    if (!here) return step(0);
    const list = [...here.closest(".cards").querySelectorAll(".card")];
    const at = list.indexOf(here);
    const to = { up: at - 1, down: at + 1, home: 0, end: list.length - 1 }[move];
    go(list[Math.max(0, Math.min(list.length - 1, to))]);
  }

  function across(direction) {
    const here = document.activeElement?.closest?.(".card");
    if (!here) return step(0);
    const lists = columns();
    const from = lists.indexOf(here.closest(".cards"));
    const list = lists[from + direction];
    if (!list) return;
    const at = [...here.closest(".cards").querySelectorAll(".card")].indexOf(here);
    const cards = list.querySelectorAll(".card");
    go(cards[Math.min(at, cards.length - 1)]);
  }

  board.addEventListener("focusin", (event) => {
    const card = event.target.closest(".card");
    if (card && card.id !== current) rove(card);
  });
  document.addEventListener("htmx:after:swap", () => rove(null));
  rove(null);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const onCard = event.target.matches?.(".card");
    const keys = {
      j: () => step(1),
      k: () => step(-1),
      ArrowDown: () => (onCard ? within("down") : step(1)),
      ArrowUp: () => (onCard ? within("up") : step(-1)),
    };
    if (onCard) {
      keys.ArrowLeft = () => across(-1);
      keys.ArrowRight = () => across(1);
      keys.Home = () => within("home");
      keys.End = () => within("end");
      keys.Enter = () => event.target.querySelector("a.card-title")?.click();
    }
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    } else if (event.key === "m") {
      const select = document.activeElement?.closest?.(".card")?.querySelector("select[name=to_status]");
      if (select) {
        event.preventDefault();
        select.focus();
      }
    } else if (event.key === "?" && help) {
      event.preventDefault();
      help.open ? help.close() : help.showModal();
    }
  });

  document.addEventListener("submit", (event) => {
    const field = event.target.querySelector?.("#save-view-board");
    if (field) field.value = location.search.replace(/^\?/, "");
  });
})();

// A card moved with the keyboard keeps the focus: its new copy takes it after the swap, or
// the field the new copy asks for (a QA-failed move asks why).
(() => {
  const board = document.getElementById("board");
  if (!board) return;
  let moving = null;
  board.addEventListener("submit", (event) => {
    const card = event.target.closest(".card");
    if (card && event.target.matches("form.move-form, form.card-ask")) moving = card.id;
  });
  document.addEventListener("htmx:after:swap", () => {
    if (!moving) return;
    const card = document.getElementById(moving);
    if (card) {
      moving = null;
      (card.querySelector("form.card-ask [autofocus]") || card).focus();
    }
  });
})();
