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

  // Merge picker: search claims by text or number, pick one, then review the merge before it happens.
  const search = document.getElementById("merge-search");
  if (!search) return;
  const other = document.getElementById("merge-other");
  const choice = document.getElementById("merge-choice");
  const submit = document.getElementById("merge-submit");
  window.Crosscheck.claimPicker(search, document.getElementById("merge-results"), function (item) {
    other.value = String(item.id);
    choice.textContent = "Chosen: #" + item.id + " " + item.text;
    submit.disabled = false;
    submit.textContent = "Merge #" + item.id + " into #" + claimId + "…";
  }, claimId);
})();
