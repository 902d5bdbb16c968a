/*
 * SổTrường: the grade grid (sổ điểm) feels like a spreadsheet.
 *
 * Each cell is <td class="cell"><input data-row data-col hx-post hx-trigger="change">: htmx saves
 * a cell when its value changes and focus leaves it. This script only moves focus and fills
 * values; it never talks to the server itself, so every save goes through the same htmx path.
 *
 *   Enter / Shift+Enter   down / up (leaving the cell fires `change`, hence the save)
 *   Tab / Shift+Tab       right / left (native)
 *   arrow keys            Up/Down always; Left/Right at the start/end of the text
 *   Esc                   the value the cell had when it was focused
 *   typing                replaces the value (the text is selected on focus)
 *   paste of several lines (a column copied from Excel) fills down from the focused cell;
 *   tab-separated values fill to the right as well
 *   Alt+H                 the history of the focused cell (also the "Lịch sử" button)
 *   Alt+E                 on a locked cell: the correction request form (also the "Đề nghị sửa điểm" button)
 */
(function () {
  'use strict';

  var table = document.getElementById('grade-grid');
  if (!table) return;
  var historyBtn = document.getElementById('history-btn');
  var correctionBtn = document.getElementById('correction-btn');
  var lastCell = null;   // the last focused input, for the history button

  function isCell(el) {
    return el && el.tagName === 'INPUT' && el.hasAttribute('data-row') && table.contains(el);
  }

  function cellAt(row, col) {
    return table.querySelector('input[data-row="' + row + '"][data-col="' + col + '"]');
  }

  // Focus the cell at (row + dr, col + dc), if there is one.
  function move(input, dr, dc) {
    var target = cellAt(Number(input.dataset.row) + dr, Number(input.dataset.col) + dc);
    if (target) target.focus();   // the blur of `input` fires its change event (the save)
    return !!target;
  }

  // Focus: remember the value for Esc, select the text so that typing replaces it,
  // and show the cell's message (if a save was refused) under the grid.
  table.addEventListener('focusin', function (evt) {
    var input = evt.target;
    if (!isCell(input)) return;
    input._original = input.value;
    lastCell = input;
    if (historyBtn) historyBtn.disabled = false;
    if (correctionBtn) correctionBtn.disabled = !input.dataset.correction;
    input._justFocused = true;
    // only if nothing was typed meanwhile: keys can reach the input before this timer (a busy page)
    setTimeout(function () {
      if (document.activeElement === input && input.value === input._original) input.select();
    }, 0);
    var td = input.closest('td');
    // looked up each time: a save's answer replaces the message line (out of band), so a node kept
    // from page load would be a detached one and the last error would stay on screen
    var msgLine = document.getElementById('cell-msg');
    if (msgLine) {
      msgLine.textContent = td && td.title && !td.classList.contains('saved') ? td.title : '';
      msgLine.className = 'cell-msg' + (td && td.classList.contains('conflict') ? ' warning'
        : td && (td.classList.contains('error') || td.classList.contains('locked')) ? ' error' : '');
    }
  });

  // A click into a cell selects it like a keyboard arrival does: the mouseup that follows the
  // focusing click would otherwise put the caret where the pointer was (typing "9" into "8,0").
  table.addEventListener('mouseup', function (evt) {
    var input = evt.target;
    if (!isCell(input) || !input._justFocused) return;
    input._justFocused = false;
    evt.preventDefault();
    input.select();
  });

  table.addEventListener('keydown', function (evt) {
    var input = evt.target;
    if (!isCell(input) || evt.ctrlKey || evt.metaKey) return;
    input._justFocused = false;
    var len = input.value.length;
    var all = input.selectionStart === 0 && input.selectionEnd === len;   // just arrived
    var handled = false;
    if (evt.altKey) {
      if (evt.key === 'h' || evt.key === 'H') { openHistory(input); handled = true; }
      else if ((evt.key === 'e' || evt.key === 'E' || evt.code === 'KeyE') && input.dataset.correction) {
        window.location.assign(input.dataset.correction);
        handled = true;
      }
    } else if (evt.key === 'Enter') {
      move(input, evt.shiftKey ? -1 : 1, 0);
      handled = true;
    } else if (evt.key === 'ArrowDown') {
      handled = move(input, 1, 0);
    } else if (evt.key === 'ArrowUp') {
      handled = move(input, -1, 0);
    } else if (evt.key === 'ArrowLeft' && (all || input.selectionEnd === 0)) {
      handled = move(input, 0, -1);
    } else if (evt.key === 'ArrowRight' && (all || input.selectionStart === len)) {
      handled = move(input, 0, 1);
    } else if (evt.key === 'Escape') {
      if (input._original !== undefined) input.value = input._original;   // no change event: nothing saved
      input.select();
      handled = true;
    }
    if (handled) evt.preventDefault();
  });

  // A column (or block) pasted from Excel: one value per line, tab between columns.
  table.addEventListener('paste', function (evt) {
    var input = evt.target;
    if (!isCell(input) || !evt.clipboardData) return;
    var text = evt.clipboardData.getData('text/plain').replace(/\r/g, '');
    if (text.indexOf('\n') < 0 && text.indexOf('\t') < 0) return;   // one value: the normal paste
    evt.preventDefault();
    var lines = text.replace(/\n+$/, '').split('\n');
    var row = Number(input.dataset.row);
    var col = Number(input.dataset.col);
    var last = input;
    lines.forEach(function (line, i) {
      line.split('\t').forEach(function (value, j) {
        var target = cellAt(row + i, col + j);
        if (!target || target.readOnly) return;   // a locked cell or a student who left
        value = value.trim();
        if (target.value === value) return;
        target.value = value;
        target.dispatchEvent(new Event('change', { bubbles: true }));   // htmx saves it
        last = target;
      });
    });
    input._original = input.value;   // Esc after a paste keeps what was pasted
    if (last !== input) last.focus();
  });

  // Alt+H or the button: fetch the history of the cell into a dialog.
  function openHistory(input) {
    if (!input || !window.htmx) return;
    window.htmx.ajax('GET', input.dataset.history, { target: '#history-slot', swap: 'innerHTML' });
  }
  if (historyBtn) {
    historyBtn.addEventListener('click', function () { openHistory(lastCell); });
  }
  // a locked cell only: the request form for it (PTH (docs/rules.md) Điều 10)
  if (correctionBtn) {
    correctionBtn.addEventListener('click', function () {
      if (lastCell && lastCell.dataset.correction) window.location.assign(lastCell.dataset.correction);
    });
  }
  // When the history dialog closes, go back to the cell it was opened from.
  document.addEventListener('close', function (evt) {
    if (evt.target.id === 'history-dialog' && lastCell) lastCell.focus();
  }, true);

  // After a cell is swapped, focus stays where the person went: htmx only gives focus back to
  // a swapped element that had it, and by then the person has usually moved on. If they are
  // still in that cell, its new input remembers the value shown now (a conflict shows the
  // stored one) for Esc.
  document.body.addEventListener('htmx:load', function (evt) {
    var td = evt.detail.elt;
    if (!td || !td.matches || !td.matches('td.cell') || !table.contains(td)) return;
    var input = td.querySelector('input');
    if (!input) return;
    // the green "saved" flash fades (app.css animates it); then the cell looks like the others
    if (td.classList.contains('saved')) setTimeout(function () { td.classList.remove('saved'); }, 1600);
    if (document.activeElement === input) input._original = input.value;
    if (lastCell && lastCell.id === input.id) lastCell = input;
  });
})();
