// The embed page's builder: the chosen options become the snippet and the live preview, and a
// button copies the snippet. The preview sizes itself through the widget's resize messages,
// checked the way the loader checks them (origin, source, shape, range).
(function () {
  "use strict";

  var form = document.getElementById("embed-builder");
  var snippet = document.getElementById("embed-snippet");
  var preview = document.getElementById("embed-preview");
  var copyButton = document.getElementById("embed-copy");
  var copyStatus = document.getElementById("embed-copy-status");
  if (!form || !snippet || !preview) return;

  var loader = form.getAttribute("data-loader");
  var embedUrl = preview.getAttribute("src").split("?")[0];
  var PREVIEW_ID = "preview";
  var timer = null;

  function escapeAttribute(value) {
    return String(value)
      .replace(/&/g, "&amp;")
      .replace(/"/g, "&quot;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");
  }

  function chosen() {
    var options = [];
    form.querySelectorAll("[data-option]").forEach(function (input) {
      var value = input.value.trim();
      if (value) {
        options.push({ attribute: input.getAttribute("data-option"), param: input.name, value: value });
      }
    });
    return options;
  }

  function update() {
    var options = chosen();
    var attributes = options.map(function (o) {
      return " data-" + o.attribute + '="' + escapeAttribute(o.value) + '"';
    });
    snippet.value = '<script async src="' + loader + '"' + attributes.join("") + "></script>";
    var params = new URLSearchParams();
    options.forEach(function (o) { params.set(o.param, o.value); });
    params.set("id", PREVIEW_ID);
    var src = embedUrl + "?" + params.toString();
    if (preview.getAttribute("src") !== src) preview.setAttribute("src", src);
    if (copyStatus) copyStatus.textContent = "";
  }

  function scheduleUpdate() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 250);
  }

  function copy() {
    function done(message) { if (copyStatus) copyStatus.textContent = message; }
    // the page's language: the template puts both messages on the status element
    var copiedText = (copyStatus && copyStatus.dataset.copied) || "Copied.";
    var pressText = (copyStatus && copyStatus.dataset.press) || "Press Ctrl+C (⌘C) to copy.";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(snippet.value).then(
        function () { done(copiedText); },
        function () { snippet.select(); done(pressText); }
      );
    } else {
      snippet.focus();
      snippet.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
      done(copied ? copiedText : pressText);
    }
  }

  form.addEventListener("input", scheduleUpdate);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  if (copyButton) copyButton.addEventListener("click", copy);

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || event.source !== preview.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "underwater:resize") return;
    if (data.id !== PREVIEW_ID || typeof data.height !== "number" || !isFinite(data.height)) return;
    if (data.height < 120 || data.height > 4000) return;
    preview.style.height = Math.ceil(data.height) + "px";
  });

  update();
})();
