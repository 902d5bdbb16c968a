/*
 * SổTrường: the whole of our own client-side script.
 *
 * Loaded with `defer` right after vendor/htmx-2.0.11.min.js. Plain ES2017,
 * no dependencies. The CSP forbids inline scripts, so pages never carry JS:
 * they opt into behaviour with these attributes and classes:
 *
 *   <form data-confirm="Xoá học sinh này?">     confirm() before submitting
 *   <button data-confirm="…">                    same, for one submit button
 *   <select data-autosubmit>                     submit its form on change
 *   <div class="flash success">                  fades out after 6 s
 *   <div id="toasts">                            toast container (made if missing)
 *   <dialog class="modal" data-autoopen>         showModal() once it is in the page
 *   <button data-open-dialog="#id">              showModal() on that dialog
 *
 * Server-side messages: send the header
 *   HX-Trigger: {"showMessage": {"level": "success", "text": "Đã lưu."}}
 * (level: success | info | warning | error). Encode it with
 * json.dumps(..., ensure_ascii=True): HTTP headers are not UTF-8, the \u escapes are.
 */
(function () {
  'use strict';

  var TOAST_MS = 5000;        // success / info / warning toasts
  var TOAST_ERROR_MS = 10000; // error toasts stay longer
  var FLASH_SUCCESS_MS = 6000;
  var LEVELS = ['success', 'info', 'warning', 'error'];

  // htmx: our CSP (style-src 'self') blocks the <style> htmx would inject for
  // .htmx-indicator (app.css has those rules), and (script-src without
  // 'unsafe-eval') blocks hx-on / eval'd trigger filters anyway. This runs
  // before htmx reads its config on DOMContentLoaded.
  if (window.htmx && window.htmx.config) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
  }

  /* ---------------------------------------------------------------- toasts */

  // The container: fixed bottom-right (app.css), a polite live region.
  function toastContainer() {
    var box = document.getElementById('toasts');
    if (!box) {
      box = document.createElement('div');
      box.id = 'toasts';
      document.body.appendChild(box);
    }
    if (!box.hasAttribute('aria-live')) {
      box.setAttribute('aria-live', 'polite');
      box.setAttribute('aria-relevant', 'additions');
    }
    return box;
  }

  function removeToast(toast) {
    clearTimeout(toast._timer);
    toast.classList.add('hiding');
    setTimeout(function () { toast.remove(); }, 300);
  }

  // (Re)start the auto-hide timer of a toast.
  function armToast(toast) {
    clearTimeout(toast._timer);
    var ms = toast.classList.contains('error') ? TOAST_ERROR_MS : TOAST_MS;
    toast._timer = setTimeout(function () { removeToast(toast); }, ms);
  }

  /**
   * Show a toast. level: success | info | warning | error.
   * An identical toast already on screen is not repeated, only kept longer
   * (e.g. twenty grade cells failing at once while the network is down).
   */
  function showToast(text, level) {
    text = String(text || '').trim();
    if (!text) return null;
    if (LEVELS.indexOf(level) < 0) level = 'info';
    var box = toastContainer();

    var existing = Array.prototype.find.call(box.children, function (t) {
      return t._text === text && !t.classList.contains('hiding');
    });
    if (existing) {
      if (level === 'error' && !existing.classList.contains('error')) {
        existing.className = 'toast error';     // an error wins over an info of the same text
        existing.setAttribute('role', 'alert');
      }
      armToast(existing);
      return existing;
    }

    var toast = document.createElement('div');
    toast.className = 'toast ' + level;
    toast.setAttribute('role', level === 'error' ? 'alert' : 'status');
    toast._text = text;

    var span = document.createElement('span');
    span.className = 'toast-text';
    span.textContent = text;           // never innerHTML: the text comes from the server

    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast-close';
    close.setAttribute('aria-label', 'Đóng');
    close.textContent = '×';
    close.addEventListener('click', function () { removeToast(toast); });

    toast.appendChild(span);
    toast.appendChild(close);
    // Pause while the pointer or keyboard focus is on it, so it can be read.
    toast.addEventListener('mouseenter', function () { clearTimeout(toast._timer); });
    toast.addEventListener('mouseleave', function () { armToast(toast); });
    toast.addEventListener('focusin', function () { clearTimeout(toast._timer); });
    toast.addEventListener('focusout', function () { armToast(toast); });

    box.appendChild(toast);
    armToast(toast);
    return toast;
  }

  // Read {"showMessage": {...}} (or {"showMessage": "text"}) from an HX-Trigger header.
  function messageFromTrigger(xhr) {
    var raw = xhr && xhr.getResponseHeader && xhr.getResponseHeader('HX-Trigger');
    if (!raw || raw.charAt(0) !== '{') return null;
    try {
      var msg = JSON.parse(raw).showMessage;
      if (typeof msg === 'string') return { text: msg };
      if (msg && msg.text) return msg;
    } catch (e) { /* not JSON: ignore */ }
    return null;
  }

  // A short text/plain error body (e.g. abort(409, "…")) is worth showing as is.
  function messageFromBody(xhr) {
    var type = xhr.getResponseHeader('Content-Type') || '';
    var body = (xhr.responseText || '').trim();
    if (type.indexOf('text/plain') === 0 && body && body.length <= 300) return body;
    return null;
  }

  // htmx got a 4xx/5xx: nothing was swapped, say so.
  document.addEventListener('htmx:responseError', function (evt) {
    var xhr = evt.detail.xhr;
    var msg = messageFromTrigger(xhr);
    if (msg) {
      // htmx has already fired `showMessage` for this header; showToast()
      // drops the duplicate if that toast is on screen.
      showToast(msg.text, msg.level || 'error');
      return;
    }
    showToast(messageFromBody(xhr) ||
      'Không lưu được: máy chủ báo lỗi (mã ' + xhr.status + ').', 'error');
  });

  // No answer at all: LAN cable, Wi-Fi, server down.
  document.addEventListener('htmx:sendError', function () {
    showToast('Mất kết nối tới máy chủ. Dữ liệu chưa được lưu.', 'error');
  });

  // htmx.config.timeout (or hx-request timeout) ran out.
  document.addEventListener('htmx:timeout', function () {
    showToast('Máy chủ không trả lời kịp. Dữ liệu chưa được lưu.', 'error');
  });

  // HX-Trigger: {"showMessage": {...}}; htmx dispatches it on the requesting element.
  document.addEventListener('showMessage', function (evt) {
    var d = evt.detail || {};
    var text = d.text || d.value;      // htmx wraps a plain string as {value: "…"}
    showToast(text, d.level || 'info');
  });

  /* --------------------------------------------------------------- confirm */

  // Capture phase: runs before htmx's own submit listener on the form, so a
  // "Huỷ" stops both a normal submit and an hx-post.
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    var btn = evt.submitter;
    var question = (btn && btn.dataset && btn.dataset.confirm) ||
      (form.matches && form.matches('form[data-confirm]') && form.dataset.confirm);
    if (question && !window.confirm(question)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  /* ------------------------------------------------------------ autosubmit */

  // Submit a form the way a click would: submit events fire (confirm, htmx).
  function submitForm(form) {
    if (typeof form.requestSubmit === 'function') {
      form.requestSubmit();
    } else {
      var ev = new Event('submit', { bubbles: true, cancelable: true });
      if (form.dispatchEvent(ev)) form.submit();
    }
  }

  // <select data-autosubmit> (or a whole <form data-autosubmit>) in filter toolbars.
  document.addEventListener('change', function (evt) {
    var el = evt.target.closest && evt.target.closest('[data-autosubmit]');
    if (!el) return;
    var form = el.form || el.closest('form');
    if (form) submitForm(form);
  });

  /* ------------------------------------------------ flashes and dialogs */

  // Fade out .flash.success after a while; errors and warnings stay.
  function scheduleFlashes(root) {
    var flashes = [];
    if (root.matches && root.matches('.flash.success')) flashes.push(root);
    if (root.querySelectorAll) {
      flashes = flashes.concat(Array.prototype.slice.call(root.querySelectorAll('.flash.success')));
    }
    flashes.forEach(function (flash) {
      if (flash._scheduled) return;
      flash._scheduled = true;
      setTimeout(function () {
        flash.classList.add('hiding');
        setTimeout(function () { flash.remove(); }, 450);
      }, FLASH_SUCCESS_MS);
    });
  }

  // <dialog class="modal" data-autoopen>: open it once it is in the page
  // (e.g. swapped in by htmx). Close it with <form method="dialog">.
  function openDialogs(root) {
    var dialogs = [];
    if (root.matches && root.matches('dialog[data-autoopen]')) dialogs.push(root);
    if (root.querySelectorAll) {
      dialogs = dialogs.concat(Array.prototype.slice.call(root.querySelectorAll('dialog[data-autoopen]')));
    }
    dialogs.forEach(function (d) {
      if (!d.open && typeof d.showModal === 'function') d.showModal();
    });
  }

  // <button data-open-dialog="#id">
  document.addEventListener('click', function (evt) {
    var btn = evt.target.closest && evt.target.closest('[data-open-dialog]');
    if (!btn) return;
    var d = document.querySelector(btn.getAttribute('data-open-dialog'));
    if (d && typeof d.showModal === 'function') {
      evt.preventDefault();
      d.showModal();
    }
  });

  function init(root) {
    scheduleFlashes(root);
    openDialogs(root);
  }

  // The page itself (deferred scripts run once the document is parsed) …
  init(document);
  // … and everything htmx swaps in later.
  document.addEventListener('htmx:load', function (evt) {
    if (evt.detail && evt.detail.elt) init(evt.detail.elt);
  });

  // For other scripts of ours: SoTruong.toast('Đã lưu.', 'success').
  window.SoTruong = { toast: showToast };
})();
