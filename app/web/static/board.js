// Claims board: j/k rows, arrows between source cells, 1-4 record the focused cell's stance in place,
// a/r accept or reject the focused row's suggested match.
"use strict";

(function () {
  const table = document.getElementById("board");
  if (!table) return;
  const canReview = table.dataset.canReview === "true";
  const STANCES = { "1": "corroborates", "2": "contradicts", "3": "not_addressed", "4": "unclear" };
  let rowIndex = -1;
  let cellIndex = 0;

  function rows() { return Array.from(table.tBodies[0].querySelectorAll("tr[data-claim]")); }
  function cells(row) { return Array.from(row.querySelectorAll("td.cell")); }

  // One tab stop for the whole grid (roving tabindex), on the current cell.
  function focusCell(newRow, newCell) {
    const all = rows();
    if (!all.length) return;
    rowIndex = Math.max(0, Math.min(all.length - 1, newRow));
    const row = all[rowIndex];
    const rowCells = cells(row);
    cellIndex = Math.max(0, Math.min(rowCells.length - 1, newCell));
    for (const r of all) r.classList.toggle("current", r === row);
    for (const cell of table.querySelectorAll("td.cell")) cell.tabIndex = -1;
    const cell = rowCells[cellIndex];
    if (cell) {
      cell.tabIndex = 0;
      cell.focus();
    }
  }

  function positionOf(cell) {
    const row = cell.closest("tr");
    return [rows().indexOf(row), cells(row).indexOf(cell)];
  }

  table.addEventListener("click", function (event) {
    const cell = event.target instanceof Element ? event.target.closest("td.cell") : null;
    if (!cell) return;
    const [r, c] = positionOf(cell);
    focusCell(r, c);
  });
  table.addEventListener("focusin", function (event) {
    const cell = event.target instanceof Element ? event.target.closest("td.cell") : null;
    if (!cell) return;
    const [r, c] = positionOf(cell);
    rowIndex = r;
    cellIndex = c;
    for (const row of rows()) row.classList.toggle("current", row === cell.closest("tr"));
  });

  async function setStance(cell, stance) {
    const row = cell.closest("tr");
    const claimId = row.dataset.claim;
    const sourceId = cell.dataset.source;
    cell.setAttribute("aria-busy", "true");
    const result = await window.Crosscheck.post(
      "/claims/" + claimId + "/sources/" + sourceId + "/assessment", { stance: stance });
    cell.removeAttribute("aria-busy");
    if (!result.ok) {
      window.Crosscheck.announce("Not saved: " + (result.body.detail || "error " + result.status), "error");
      return;
    }
    const [r, c] = positionOf(cell);
    const holder = document.createElement("tbody");
    holder.innerHTML = result.body.row_html; // rendered and escaped by the server's templates
    row.replaceWith(holder.firstElementChild);
    const summary = document.getElementById("board-summary");
    if (summary && result.body.summary_html) summary.innerHTML = result.body.summary_html;
    focusCell(r, c);
    window.Crosscheck.announce(result.body.message + " Verdict: " + result.body.verdict + ".", "success");
  }

  // j past the last row opens the next page at its first row; k before the first, the previous page at its last.
  function turnPage(url, row) {
    window.location.href = url + "#row=" + row + "&cell=" + Math.max(cellIndex, 0);
    return true;
  }
  const arrival = /^#row=(first|last)&cell=(\d+)$/.exec(window.location.hash);
  if (arrival) {
    focusCell(arrival[1] === "first" ? 0 : rows().length - 1, Number(arrival[2]));
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  window.Crosscheck.onKey(function (event) {
    const all = rows();
    if (!all.length) return false;
    const active = document.activeElement;
    const inGrid = active instanceof Element && active.closest("td.cell") && table.contains(active);
    switch (event.key) {
      case "j":
        if (rowIndex >= all.length - 1 && table.dataset.nextPage) return turnPage(table.dataset.nextPage, "first");
        focusCell(rowIndex + 1, cellIndex); return true;
      case "k":
        if (rowIndex === 0 && table.dataset.previousPage) return turnPage(table.dataset.previousPage, "last");
        focusCell(rowIndex - 1, cellIndex); return true;
      case "ArrowRight": case "l": if (!inGrid) return false; focusCell(rowIndex, cellIndex + 1); return true;
      case "ArrowLeft": case "h": if (!inGrid) return false; focusCell(rowIndex, cellIndex - 1); return true;
      case "ArrowDown": if (!inGrid) return false; focusCell(rowIndex + 1, cellIndex); return true;
      case "ArrowUp": if (!inGrid) return false; focusCell(rowIndex - 1, cellIndex); return true;
      case "Enter": case "o":
        if (rowIndex < 0) return false;
        window.location.href = "/claims/" + all[rowIndex].dataset.claim;
        return true;
      case "a": case "r": {
        // the focused row's suggested match: a accepts (merge), r rejects (never suggested again)
        if (rowIndex < 0) return false;
        const button = all[rowIndex].querySelector('button[data-match-key="' + event.key + '"]');
        if (!button || !button.form) return false;
        button.form.requestSubmit(button);
        return true;
      }
      case "e":
        if (rowIndex < 0) return false;
        window.location.href = "/claims/" + all[rowIndex].dataset.claim + "#add-evidence";
        return true;
      default:
        if (STANCES[event.key] && inGrid && canReview) {
          setStance(active.closest("td.cell"), STANCES[event.key]);
          return true;
        }
        return false;
    }
  });
})();
