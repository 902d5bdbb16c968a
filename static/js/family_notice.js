// Notices to families: the live count of the SMS a notice will be (Vietnamese without diacritics, GSM-7,
// one SMS = 160 characters; the server checks the same rule in models/rules/family_sms.py).
(function () {
  "use strict";
  var EXTENDED = "^{}\\[~]|€";
  var TYPO = { "đ": "d", "Đ": "D", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " " };

  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { out += TYPO[text[i]] !== undefined ? TYPO[text[i]] : text[i]; }
    return out.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").replace(/\s+/g, " ").trim();
  }

  function count(text) {
    var gsm = /^[\x20-\x7E\n\r£¥èéùìòÇØøÅåÄÖÑÜäöñüàÉ§¿¡€]*$/.test(text);
    if (!gsm) { return { n: text.length, limit: 70, enc: "UCS-2" }; }
    var n = 0;
    for (var i = 0; i < text.length; i++) { n += EXTENDED.indexOf(text[i]) >= 0 ? 2 : 1; }
    return { n: n, limit: 160, enc: "GSM-7" };
  }

  function label(text) {
    var c = count(fold(text));
    return { text: c.n + "/" + c.limit + " ký tự (" + c.enc + ")" + (c.n > c.limit ? " – quá một tin SMS" : ""), over: c.n > c.limit };
  }

  function show(el, result) {
    el.textContent = result.text;
    el.classList.toggle("badge", result.over);
    el.classList.toggle("danger", result.over);
  }

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (_, key) { return values[key] || ""; });
  }

  // a notice's text, or (data-sample: the placeholders' sample values) a template filled with them
  document.querySelectorAll("textarea[data-sms-count]").forEach(function (area) {
    var out = area.parentNode.querySelector(".sms-count");
    if (!out) { return; }
    var sample = area.hasAttribute("data-sample") ? JSON.parse(area.getAttribute("data-sample")) : null;
    area.addEventListener("input", function () { show(out, label(sample ? fill(area.value, sample) : area.value)); });
  });

  var form = document.getElementById("new-notice");
  if (!form) { return; }
  var kind = form.querySelector("select[name=kind]");
  var student = form.querySelector("select[name=student_id]");
  var content = form.querySelector("textarea[data-compose]");
  var out = document.getElementById("compose-count");

  function longestName() {
    var best = "";
    Array.prototype.forEach.call(student.options, function (o) {
      if (o.value !== "all") { var n = o.textContent.replace(/ \(.*\)$/, ""); if (n.length > best.length) { best = n; } }
    });
    return best;
  }

  function compose() {
    var template = kind.options[kind.selectedIndex].getAttribute("data-template") || "{noi_dung}";
    var day = form.getAttribute("data-day") || "";
    var name = student.value === "all" ? longestName() : student.options[student.selectedIndex].textContent.replace(/ \(.*\)$/, "");
    var values = { hoc_sinh: name, lop: form.getAttribute("data-class"), ngay: day, thang: day.slice(3),
                   noi_dung: content.value, truong: form.getAttribute("data-school"), gvcn: form.getAttribute("data-teacher") };
    var text = fill(template, values);
    var result = label(text);
    result.text = "Tin gửi đi (không dấu): " + result.text + (student.value === "all" ? ", với tên dài nhất lớp" : "");
    show(out, result);
  }

  [kind, student].forEach(function (el) { el.addEventListener("change", compose); });
  content.addEventListener("input", compose);
  compose();
}());
