// Newsroom: buttons marked data-opens open their <dialog> (the publish confirmation); the board's "select all".
"use strict";

(function () {
  document.addEventListener("click", function (event) {
    const opener = event.target instanceof Element ? event.target.closest("[data-opens]") : null;
    if (!opener) return;
    const dialog = document.getElementById(opener.getAttribute("data-opens"));
    if (dialog && typeof dialog.showModal === "function") dialog.showModal();
  });
  const all = document.getElementById("select-all-claims");
  if (all) {
    all.addEventListener("change", function () {
      for (const box of document.querySelectorAll("input[name=claim_id][form=assign-selection]")) box.checked = all.checked;
    });
  }
})();
