// Source reader: exact character offsets for selections, the #char=START,END passage, mention tooltips.
"use strict";

(function () {
  const article = document.getElementById("source-text");
  if (!article) return;
  const claimTexts = JSON.parse(document.getElementById("claim-texts").textContent || "{}");
  const tooltip = document.getElementById("mention-tooltip");
  const panel = document.getElementById("selection-panel");

  // Offsets count Unicode code points, as Python's str does; the DOM counts UTF-16 units.
  function codePoints(text) { return Array.from(text).length; }
  function utf16Index(text, points) {
    let units = 0;
    let seen = 0;
    for (const char of text) {
      if (seen === points) break;
      units += char.length;
      seen += 1;
    }
    return units;
  }

  // Every run of the text carries its start offset (data-s), so a DOM position maps back exactly.
  function offsetOf(node, offset) {
    let element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const run = element && element.closest("[data-s]");
    const range = document.createRange();
    if (run && article.contains(run)) {
      range.setStart(run, 0);
      range.setEnd(node, offset);
      return Number(run.dataset.s) + codePoints(range.toString());
    }
    range.setStart(article, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function currentSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) return null;
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    let quote = range.toString();
    // Leading and trailing white space is never part of a passage.
    const leading = quote.length - quote.trimStart().length;
    const trailing = quote.length - quote.trimEnd().length;
    start += codePoints(quote.slice(0, leading));
    end -= codePoints(quote.slice(quote.length - trailing));
    quote = quote.trim();
    if (!quote || end <= start) return null;
    return { start: start, end: end, quote: quote };
  }

  function showSelection() {
    if (!panel) return;
    const chosen = currentSelection();
    if (!chosen) return;
    panel.hidden = false;
    document.getElementById("selection-range").textContent = chosen.start + "–" + chosen.end;
    document.getElementById("selection-quote").textContent = chosen.quote;
    for (const prefix of ["evidence", "claim"]) {
      const start = document.getElementById(prefix + "-start");
      if (!start) continue;
      start.value = String(chosen.start);
      document.getElementById(prefix + "-end").value = String(chosen.end);
      document.getElementById(prefix + "-quote").value = chosen.quote;
    }
    panel.dataset.start = String(chosen.start);
    panel.dataset.end = String(chosen.end);
  }

  article.addEventListener("mouseup", function () { window.setTimeout(showSelection, 0); });
  article.addEventListener("keyup", function (event) { if (event.shiftKey) showSelection(); });

  // #char=START,END (RFC 5147): wrap that stretch of the text and bring it into view.
  function clearTarget() {
    for (const target of article.querySelectorAll(".target")) {
      const parent = target.parentNode;
      parent.replaceChild(document.createTextNode(target.textContent), target);
      parent.normalize();
    }
  }

  function highlightFragment() {
    clearTarget();
    const match = /^#char=(\d+),(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const from = Number(match[1]);
    const to = Number(match[2]);
    if (!(to > from)) return;
    const marked = [];
    for (const run of article.querySelectorAll("[data-s]")) {
      const node = run.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const runStart = Number(run.dataset.s);
      const runEnd = runStart + codePoints(node.data);
      if (runEnd <= from || runStart >= to) continue;
      const a = utf16Index(node.data, Math.max(from, runStart) - runStart);
      const b = utf16Index(node.data, Math.min(to, runEnd) - runStart);
      const middle = node.splitText(a);
      middle.splitText(b - a);
      const wrapper = document.createElement("span");
      wrapper.className = "target";
      run.replaceChild(wrapper, middle);
      wrapper.appendChild(middle);
      marked.push(wrapper);
    }
    if (marked.length) {
      marked[0].id = "passage";
      marked[0].tabIndex = -1;
      marked[0].scrollIntoView({ block: "center" });
      marked[0].focus({ preventScroll: true });
    }
  }
  window.addEventListener("hashchange", highlightFragment);
  highlightFragment();

  // Mentions: hover or focus shows the claim(s); click or Enter opens the first.
  function claimIds(mark) { return (mark.dataset.claims || "").split(" ").filter(Boolean); }

  function showTooltip(mark) {
    const lines = claimIds(mark).map(function (id) { return "#" + id + " " + (claimTexts[id] || ""); });
    tooltip.textContent = lines.join("\n") + "\n(Enter or click to open)";
    tooltip.hidden = false;
    const box = mark.getBoundingClientRect();
    tooltip.style.left = Math.max(8, box.left + window.scrollX) + "px";
    tooltip.style.top = (box.bottom + window.scrollY + 6) + "px";
    mark.setAttribute("aria-describedby", "mention-tooltip");
  }
  function hideTooltip() { tooltip.hidden = true; }

  for (const mark of article.querySelectorAll("mark.mention")) {
    mark.addEventListener("mouseenter", function () { showTooltip(mark); });
    mark.addEventListener("focus", function () { showTooltip(mark); });
    mark.addEventListener("mouseleave", hideTooltip);
    mark.addEventListener("blur", hideTooltip);
    // A press that moves before it is released is a drag that selects text, not a click on the mention;
    // a still click opens the claim even while an earlier selection is on the page.
    let pressedAt = null;
    mark.addEventListener("mousedown", function (event) { pressedAt = { x: event.clientX, y: event.clientY }; });
    mark.addEventListener("click", function (event) {
      const moved = pressedAt !== null &&
        Math.abs(event.clientX - pressedAt.x) + Math.abs(event.clientY - pressedAt.y) > 4;
      pressedAt = null;
      if (moved) return; // selecting text, not opening the claim
      window.location.href = "/claims/" + claimIds(mark)[0];
    });
    mark.addEventListener("keydown", function (event) {
      if (event.key === "Enter") window.location.href = "/claims/" + claimIds(mark)[0];
    });
  }

  // Any claim, found by words or number, can receive the passage: picking one selects it in the list.
  const claimSelect = document.getElementById("evidence-claim");
  const claimSearch = document.getElementById("evidence-claim-search");
  if (claimSelect && claimSearch) {
    const found = document.getElementById("evidence-claim-results");
    window.Crosscheck.claimPicker(claimSearch, found, function (item) {
      let option = claimSelect.querySelector('option[value="' + item.id + '"]');
      if (!option) {
        option = document.createElement("option");
        option.value = String(item.id);
        option.textContent = "#" + item.id + " " + item.text.slice(0, 90);
        claimSelect.appendChild(option);
      }
      claimSelect.value = String(item.id);
      claimSearch.value = "";
      found.replaceChildren();
      claimSelect.focus();
    });
  }

  window.Crosscheck.onKey(function (event) {
    if (event.key === "e" && panel && !panel.hidden) {
      const picker = document.getElementById("evidence-claim");
      if (picker) picker.focus();
      return true;
    }
    return false;
  });
})();
