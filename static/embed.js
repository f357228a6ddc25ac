/*! Underwater embed loader. Paste where the widget should appear:
 *  <script async src="https://HOST/static/embed.js" data-platform="bybit" data-theme="dark"></script>
 * Options (all optional): data-platform, data-scope, data-contract, data-side, data-leverage,
 * data-entry-price, data-margin, data-gap, data-symbol (a market: ETHUSDT), data-theme (light|dark),
 * data-chart (equity|crash|coverage), data-lang (en, zh-hans, ru, ko, tr, vi, es, pt-br, uk).
 *
 * It puts one iframe where this script stands and sizes it to the widget's content. It defines no
 * globals and touches nothing else on the page; several snippets on one page each get their own
 * widget. The app's address comes from this script's own src.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || !script.parentNode) return;

  var origin;
  try {
    origin = new URL(script.src, document.baseURI).origin;
  } catch (err) {
    return;
  }
  if (!/^https?:\/\//.test(origin)) return;

  var OPTIONS = {
    platform: "platform",
    scope: "scope",
    contract: "contract",
    side: "side",
    leverage: "leverage",
    entryPrice: "entry_price",
    margin: "margin",
    gap: "gap",
    symbol: "symbol",
    theme: "theme",
    chart: "chart",
    lang: "lang"
  };
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 4000;

  // Unique per iframe, so resize messages from sibling widgets are told apart.
  var id = "uw-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  var params = new URLSearchParams();
  Object.keys(OPTIONS).forEach(function (key) {
    var value = script.dataset[key];
    if (value) params.set(OPTIONS[key], value);
  });
  params.set("id", id);

  var iframe = document.createElement("iframe");
  iframe.src = origin + "/embed/?" + params.toString();
  iframe.title = "Underwater: can you lose more than you deposit?";
  iframe.loading = "lazy";
  iframe.setAttribute("loading", "lazy");
  // Scripts and its own requests only: no top-level navigation, no access to this page.
  iframe.setAttribute(
    "sandbox",
    "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox"
  );
  iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  iframe.setAttribute("data-underwater-widget", id);
  iframe.style.cssText =
    "display:block;width:100%;max-width:720px;height:560px;border:0;margin:0;overflow:hidden;" +
    "color-scheme:normal;background:transparent";
  script.parentNode.insertBefore(iframe, script);

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== iframe.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "underwater:resize") return;
    if (data.id !== id) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height)) return;
    if (height < MIN_HEIGHT || height > MAX_HEIGHT) return;
    iframe.style.height = Math.ceil(height) + "px";
  });
})();
