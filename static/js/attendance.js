/*
 * SổTrường: the attendance grid (điểm danh) works like a small spreadsheet.
 *
 * Each markable session is <td class="cell"><input readonly data-row data-col hx-post hx-trigger="save">.
 * This script changes the input's value and fires "save"; htmx posts it and swaps the cell with the
 * server's answer (the stored value and its new version). Locked cells have no hx-post.
 *
 *   click, Space      blank → P → K → blank
 *   P, K              set P or K
 *   Delete, Backspace clear
 *   arrow keys        move (greyed days are skipped); Enter / Shift+Enter down / up
 */
(function () {
  'use strict';

  var table = document.getElementById('attendance-grid');
  if (!table) return;
  var CYCLE = { '': 'P', P: 'K', K: '' };
  var focusedId = null;
  var pending = {};   // a key pressed while the cell's previous save was on its way: applied after the swap

  function isCell(el) {
    return el && el.tagName === 'INPUT' && el.hasAttribute('data-row') && table.contains(el);
  }

  function cellAt(row, col) {
    return table.querySelector('input[data-row="' + row + '"][data-col="' + col + '"]');
  }

  // The next markable cell in the direction (dr, dc); greyed cells have no input and are skipped.
  function move(input, dr, dc) {
    var row = Number(input.dataset.row);
    var col = Number(input.dataset.col);
    for (var step = 0; step < 80; step++) {
      row += dr;
      col += dc;
      if (row < 0 || col < 0) return false;
      var target = cellAt(row, col);
      if (target) { target.focus(); return true; }
    }
    return false;
  }

  function set(input, value) {
    if (input.dataset.locked || !input.hasAttribute('hx-post')) return;
    if (input.classList.contains('htmx-request')) {   // the previous save of this cell is on its way
      pending[input.id] = value;
      return;
    }
    if (input.value === value) return;
    input.value = value;
    if (window.htmx) window.htmx.trigger(input, 'save');
  }

  table.addEventListener('click', function (evt) {
    var input = evt.target;
    if (!isCell(input)) return;
    set(input, CYCLE[input.value] !== undefined ? CYCLE[input.value] : '');
  });

  table.addEventListener('focusin', function (evt) {
    var input = evt.target;
    if (!isCell(input)) return;
    focusedId = input.id;
    var td = input.closest('td');
    var msg = document.getElementById('cell-msg');
    if (msg) {
      msg.textContent = td && td.title && !td.classList.contains('saved') ? td.title : '';
      msg.className = 'cell-msg' + (td && td.classList.contains('conflict') ? ' warning'
        : td && (td.classList.contains('error') || td.classList.contains('locked')) ? ' error' : '');
    }
  });

  // a locked session: Alt+E or a double click opens the correction request for it
  function requestCorrection(input) {
    if (input && input.dataset && input.dataset.correction) window.location.href = input.dataset.correction;
  }
  table.addEventListener('dblclick', function (evt) { requestCorrection(evt.target); });

  table.addEventListener('keydown', function (evt) {
    var input = evt.target;
    if (isCell(input) && evt.altKey && (evt.key === 'e' || evt.key === 'E')) {
      evt.preventDefault();
      requestCorrection(input);
      return;
    }
    if (!isCell(input) || evt.ctrlKey || evt.metaKey || evt.altKey) return;
    var key = evt.key;
    var handled = true;
    if (key === 'p' || key === 'P') set(input, 'P');
    else if (key === 'k' || key === 'K') set(input, 'K');
    else if (key === ' ' || key === 'Spacebar') set(input, CYCLE[input.value] || '');
    else if (key === 'Delete' || key === 'Backspace') set(input, '');
    else if (key === 'ArrowRight') move(input, 0, 1);
    else if (key === 'ArrowLeft') move(input, 0, -1);
    else if (key === 'ArrowDown' || (key === 'Enter' && !evt.shiftKey)) move(input, 1, 0);
    else if (key === 'ArrowUp' || (key === 'Enter' && evt.shiftKey)) move(input, -1, 0);
    else handled = false;
    if (handled) evt.preventDefault();
  });

  // A swapped cell gets focus back only if the person is still on it (focus fell to <body>).
  document.body.addEventListener('htmx:load', function (evt) {
    var td = evt.detail.elt;
    if (!td || !td.matches || !td.matches('td.cell') || !table.contains(td)) return;
    var input = td.querySelector('input');
    if (!input) return;
    if (input.id === focusedId && (document.activeElement === document.body || !document.activeElement)) {
      input.focus();
    }
    if (Object.prototype.hasOwnProperty.call(pending, input.id)) {
      var value = pending[input.id];
      delete pending[input.id];
      set(input, value);   // saved with the version the server just returned
    }
  });
})();
