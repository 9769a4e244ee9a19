// Shared page behaviour: shortcut help, "/" to search, and a CSRF-carrying fetch for page scripts.
"use strict";

window.Crosscheck = (function () {
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Scripts post form-encoded bodies with the session's CSRF token in a header.
  async function post(url, fields) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfToken(), "Accept": "application/json" },
      body: new URLSearchParams(fields),
    });
    let body = {};
    try { body = await response.json(); } catch (_error) { body = {}; }
    return { ok: response.ok, status: response.status, body: body };
  }

  // Shortcuts must not fire while someone is typing.
  function isTyping(event) {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return false;
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }

  function announce(text, kind) {
    const region = document.querySelector(".flashes");
    if (!region) return;
    const message = document.createElement("div");
    message.className = "flash " + (kind || "info");
    message.textContent = text;
    region.replaceChildren(message);
  }

  // The shortcut help is a modal dialog: focus moves into it and, when it closes, back where it was.
  let opener = null;
  function showShortcuts() {
    const dialog = document.getElementById("shortcuts");
    if (!dialog || dialog.open) return;
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const close = document.getElementById("shortcuts-close");
    if (close) close.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    const dialog = document.getElementById("shortcuts");
    const button = document.getElementById("shortcuts-open");
    if (button) button.addEventListener("click", showShortcuts);
    if (!dialog) return;
    dialog.addEventListener("close", function () {
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        const box = dialog.getBoundingClientRect();
        const inside = event.clientX >= box.left && event.clientX <= box.right &&
          event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) dialog.close();
      }
    });
  });

  const handlers = [];
  function onKey(handler) { handlers.push(handler); }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const dialog = document.getElementById("shortcuts");
    if (isTyping(event)) {
      if (event.key === "Escape" && event.target instanceof HTMLElement) event.target.blur();
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      showShortcuts();
      return;
    }
    if (dialog && dialog.open) return;
    if (event.key === "/") {
      const search = document.getElementById("board-search") || document.getElementById("global-search");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
      return;
    }
    for (const handler of handlers) {
      if (handler(event) === true) {
        event.preventDefault();
        return;
      }
    }
  });

  // A search box that lists claims matching its words or number; picking one calls `choose(item)`.
  function claimPicker(input, results, choose, exclude) {
    let timer = 0;
    async function lookUp() {
      const q = input.value.trim();
      if (!q) { results.replaceChildren(); return; }
      const response = await fetch("/claims/search?" + new URLSearchParams({ q: q, exclude: exclude || "0" }),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok || input.value.trim() !== q) return;
      const body = await response.json();
      const items = body.items.map(function (item) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "#" + item.id + " " + item.text;
        button.addEventListener("click", function () { choose(item); });
        li.appendChild(button);
        return li;
      });
      if (!items.length) {
        const li = document.createElement("li");
        li.className = "muted small";
        li.textContent = "No claim matches.";
        items.push(li);
      }
      results.replaceChildren.apply(results, items);
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 200);
    });
  }

  return { post: post, csrfToken: csrfToken, onKey: onKey, announce: announce, isTyping: isTyping,
           claimPicker: claimPicker };
})();
