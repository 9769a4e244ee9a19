// Claim page: j/k to neighbouring claims, 1-4 on the focused source, e for evidence, a/r on the first
// suggested match, the merge picker.
"use strict";

(function () {
  const head = document.getElementById("claim");
  if (!head) return;
  const claimId = head.dataset.claim;
  let lastCard = null;

  document.addEventListener("focusin", function (event) {
    const card = event.target instanceof Element ? event.target.closest(".source-card") : null;
    if (card) lastCard = card;
  });

  function openEvidence() {
    const details = document.getElementById("add-evidence");
    if (!details) return false;
    details.open = true;
    const source = document.getElementById("evidence-source");
    if (source && lastCard) source.value = lastCard.dataset.source;
    document.getElementById("evidence-quote").focus();
    return true;
  }
  if (window.location.hash === "#add-evidence") openEvidence();

  window.Crosscheck.onKey(function (event) {
    if (event.key === "j" && head.dataset.next) { window.location.href = "/claims/" + head.dataset.next; return true; }
    if (event.key === "k" && head.dataset.prev) { window.location.href = "/claims/" + head.dataset.prev; return true; }
    if (event.key === "e") return openEvidence();
    if (event.key === "a" || event.key === "r") {
      const button = document.querySelector('#matches button[data-match-key="' + event.key + '"]');
      if (!button) return false;
      button.click();
      return true;
    }
    if (["1", "2", "3", "4"].includes(event.key)) {
      const active = document.activeElement;
      const card = active instanceof Element ? active.closest(".source-card") : null;
      const button = card && card.querySelector('.stance-form button[data-key="' + event.key + '"]');
      if (!button) return false;
      button.click();
      return true;
    }
    return false;
  });

  // Merge picker: search claims by text, pick one, then submit.
  const search = document.getElementById("merge-search");
  if (!search) return;
  const results = document.getElementById("merge-results");
  const other = document.getElementById("merge-other");
  const choice = document.getElementById("merge-choice");
  const submit = document.getElementById("merge-submit");
  let timer = 0;

  function choose(item) {
    other.value = String(item.id);
    choice.textContent = "Chosen: #" + item.id + " " + item.text;
    submit.disabled = false;
    submit.textContent = "Merge #" + item.id + " into #" + claimId;
  }

  async function lookUp() {
    const q = search.value.trim();
    if (!q) { results.replaceChildren(); return; }
    const response = await fetch("/claims/search?" + new URLSearchParams({ q: q, exclude: claimId }),
      { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return;
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
      li.textContent = "No other claim matches.";
      items.push(li);
    }
    results.replaceChildren.apply(results, items);
  }
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 200);
  });
})();
