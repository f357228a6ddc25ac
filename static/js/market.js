// The calculator's market (symbol) field. Choosing a symbol starts the entry price at the
// market's last mark price and sets the contract it implies, before the form's own change
// handler (htmx) sends the redraw; changing the platform refills the list with its markets.
// Without JavaScript the field still works: the server takes the symbol, and the answer offers
// a link that starts from the mark.
(function () {
  "use strict";

  var field = document.getElementById("market-field");
  var input = document.getElementById("id_symbol");
  var list = document.getElementById("symbol-options");
  if (!field || !input || !list) return;
  var form = input.form;
  var platform = document.getElementById("id_platform");
  var label = document.getElementById("market-mark");
  var restingLabel = label ? label.textContent : "";

  function optionFor(text) {
    var wanted = text.trim().toUpperCase();
    if (!wanted) return null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value.toUpperCase() === wanted) return list.options[i];
    }
    return null;
  }

  function choose() {
    var option = optionFor(input.value);
    if (!option) {
      if (label && !input.value.trim()) label.textContent = restingLabel;
      return;
    }
    input.value = option.value; // the platform's own spelling
    var mark = option.getAttribute("data-mark");
    var entry = form && form.elements.namedItem("entry_price");
    if (mark && entry) entry.value = mark;
    var contract = form && form.elements.namedItem("contract");
    if (contract && option.getAttribute("data-contract")) {
      contract.value = option.getAttribute("data-contract");
    }
    if (label) label.textContent = option.getAttribute("data-label") || "";
  }

  // "change" reaches this input before it bubbles to the form, whose htmx trigger then reads
  // the values set here; "input" as well, for a choice picked from the list while typing.
  input.addEventListener("change", choose);
  input.addEventListener("input", function () {
    if (optionFor(input.value)) choose();
  });

  if (platform) {
    // A new platform, a new market: the symbol is cleared at once, before the redraw is sent.
    platform.addEventListener("change", function () {
      input.value = "";
      if (label) label.textContent = "";
      var url = field.getAttribute("data-options-url") + "?platform=" + encodeURIComponent(platform.value);
      fetch(url, { headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          list.innerHTML = html;
          input.placeholder = list.options.length
            ? "e.g. " + list.options[0].value + ", or a coin: ETH"
            : "none in our data";
        })
        .catch(function () { /* the list stays as it was; the server checks the symbol */ });
    });
  }
})();
