// linqdocs: the few behaviours htmx does not cover. Loaded with `defer`; the pages work without it.
(function () {
  "use strict";

  // "/" focuses the search box, as on most documentation sites (not while typing elsewhere).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    var box = document.querySelector("[data-search-box]");
    if (!box) {
      // Pages without a search box send "/" to the catalogue's, which focuses on arrival.
      window.location.href = "/errors/#search-q";
      return;
    }
    box.focus();
    box.select();
  });
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-search-box]");
    if (box && window.location.hash === "#" + box.id) box.focus();
  });

  // Re-submitting the search already in the address bar (typing put it there) is not a new step:
  // it replaces the entry instead of pushing a duplicate that Back would have to pass.
  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    var update = event.detail.history;
    if (!update || update.type !== "push") return;
    var target = new URL(update.path, window.location.href);
    if (target.pathname + target.search === window.location.pathname + window.location.search) {
      update.type = "replace";
    }
  });

  // Copy buttons: <button data-copy="text"> or data-copy-target="#id". Hidden until the script
  // runs. Every code block of the content gets one; the example envelope has its own already.
  var copied = 0;
  function addCodeCopyButtons(root) {
    root.querySelectorAll(".prose pre").forEach(function (pre) {
      if (pre.closest("[data-copy-scope]") || pre.closest(".copy-target")) return;
      var block = pre.closest(".highlight") || pre;
      if (!block.id) block.id = "code-block-" + (++copied);
      var wrapper = document.createElement("div");
      wrapper.className = "code-block";
      wrapper.setAttribute("data-copy-scope", "");
      block.parentNode.insertBefore(wrapper, block);
      wrapper.appendChild(block);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small code-block__copy";
      button.setAttribute("data-copy-target", "#" + block.id);
      button.textContent = "Copy code";
      wrapper.appendChild(button);
    });
  }
  function initCopyButtons(root) {
    addCodeCopyButtons(root);
    root.querySelectorAll("[data-copy], [data-copy-target]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy], [data-copy-target]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    if (text === null) {
      var source = document.querySelector(button.getAttribute("data-copy-target"));
      text = source ? source.textContent : "";
    }
    var label = button.textContent;
    navigator.clipboard.writeText(text).then(
      function () { button.textContent = "Copied"; },
      function () { button.textContent = "Copy failed"; }
    ).finally(function () {
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
  // A "Was this helpful?" answer that could not be saved (503) comes back as the form with the
  // comment kept and what to do instead: shown in place like any other answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr && event.detail.xhr.status === 503 && target && target.id === "feedback") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // "Was this helpful?" answered in place: the button pressed is gone, so focus goes to what
  // replaced it (the error message, or the thanks) instead of falling back to the page's top.
  document.addEventListener("htmx:afterSettle", function (event) {
    var section = document.getElementById("feedback");
    if (!section || event.target !== section) return;
    var errors = document.getElementById("feedback-errors");
    (errors || section).focus({ preventScroll: true });
  });

  document.addEventListener("DOMContentLoaded", function () { initCopyButtons(document); });

  // Snippet tabs work as plain radio buttons; the script only remembers the language chosen.
  var LANGUAGE_KEY = "linqdocs.snippet-language";
  function rememberedLanguage() {
    try { return window.localStorage.getItem(LANGUAGE_KEY); } catch (error) { return null; }
  }
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-snippet-language]")) return;
    try { window.localStorage.setItem(LANGUAGE_KEY, event.target.value); } catch (error) { /* private mode */ }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var language = rememberedLanguage();
    if (!language) return;
    document.querySelectorAll("[data-snippet-language]").forEach(function (radio) {
      if (radio.value === language) radio.checked = true;
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) { initCopyButtons(event.target); });
})();
