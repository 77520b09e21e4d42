// linqdocs /diagnose/: examples fill the box, Ctrl+Enter submits, the result takes focus,
// retry times count down.
// Loaded with `defer`; without it the examples are links that prefill the box on the server
// and every retry time is still written out in UTC.
(function () {
  "use strict";

  // An example link fills the box in place instead of loading the page again.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-example]");
    var box = document.querySelector("[data-diagnose-box]");
    if (!link || !box || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    box.value = link.getAttribute("data-example");
    box.focus();
    box.setSelectionRange(0, 0);
    box.scrollTop = 0;
  });

  // Ctrl+Enter (or Cmd+Enter) in the box submits the form; htmx takes the submit event.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var box = event.target.closest("[data-diagnose-box]");
    if (!box || !box.form) return;
    event.preventDefault();
    box.form.requestSubmit();
  });

  function duration(seconds) {
    if (seconds < 60) return seconds + " s";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min " + (seconds % 60) + " s";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function tick() {
    document.querySelectorAll("[data-retry-at]").forEach(function (element) {
      var at = Date.parse(element.getAttribute("data-retry-at"));
      if (isNaN(at)) return;
      var left = Math.ceil((at - Date.now()) / 1000);
      // It follows a sentence that ends with the time ("… at 14:03:07 UTC."), so it is one too.
      var text = left > 0 ? "That is in " + duration(left) + "." : "That time has come: you may retry now.";
      if (element.textContent !== text) element.textContent = text;
      element.hidden = false;
    });
  }

  // Too many diagnoses (429): the answer says when to try again; show it like any other.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After htmx puts a diagnosis in place, keyboard and screen-reader users continue from it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var result = document.getElementById("diagnosis");
    if (result && event.target === result && result.querySelector("h2")) {
      result.focus({ preventScroll: true });
    }
  });

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 1000);
})();
