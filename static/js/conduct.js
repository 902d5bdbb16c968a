/*
 * SổTrường: the conduct grid (xếp loại rèn luyện). The level cell is a readonly input with
 * hx-trigger="save": a key sets its value and fires "save"; htmx posts it and swaps the row with the
 * server's answer (stored level, new version). The comment input saves on change.
 *
 *   T K Đ (or D) C    set Tốt / Khá / Đạt / Chưa đạt and move down
 *   Delete, Backspace clear
 *   arrow up / down, Enter / Shift+Enter   move
 */
(function () {
  'use strict';

  var table = document.getElementById('conduct-grid');
  if (!table) return;
  var KEYS = { t: 'T', k: 'K', 'đ': 'Đ', d: 'Đ', c: 'C' };

  function levelCell(el) {
    return el && el.tagName === 'INPUT' && el.name === 'level' && el.hasAttribute('data-row');
  }

  function move(input, dr) {
    var target = table.querySelector('input[name="level"][data-row="' + (Number(input.dataset.row) + dr) + '"]');
    if (target) target.focus();
  }

  function set(input, value) {
    if (input.dataset.locked || !input.hasAttribute('hx-post') || input.value === value) return;
    input.value = value;
    if (window.htmx) window.htmx.trigger(input, 'save');
  }

  table.addEventListener('keydown', function (evt) {
    var input = evt.target;
    if (!levelCell(input) || evt.ctrlKey || evt.metaKey || evt.altKey) return;
    var key = evt.key.toLowerCase();
    if (KEYS[key]) {
      evt.preventDefault();
      set(input, KEYS[key]);
      move(input, 1);
    } else if (key === 'delete' || key === 'backspace') {
      evt.preventDefault();
      set(input, '');
    } else if (key === 'arrowdown' || (key === 'enter' && !evt.shiftKey)) {
      evt.preventDefault();
      move(input, 1);
    } else if (key === 'arrowup' || (key === 'enter' && evt.shiftKey)) {
      evt.preventDefault();
      move(input, -1);
    }
  });

  // the message of a refused save (conflict, locked) under the grid
  document.body.addEventListener('htmx:afterSwap', function (evt) {
    var msg = document.getElementById('cell-msg');
    var note = evt.target && evt.target.querySelector ? evt.target.querySelector('.cell-note') : null;
    if (msg) msg.textContent = note ? note.textContent : '';
  });
})();
