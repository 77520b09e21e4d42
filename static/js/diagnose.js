// linqdocs /diagnose/: examples fill the box, Ctrl+Enter submits, the result takes focus,
// retry times count down, Back brings the diagnosis back, Clear forgets it.
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

  // Back to this page brings the diagnosis back. The page is never cached (a POST answer on it
  // holds a paste), so the browser loads it again, empty, on Back or Forward. After each answer
  // the box shows the paste as the server read it, secrets masked (data-paste on the result, as
  // without JavaScript), and this tab's own history entry keeps that masked copy: never the text
  // as typed, never sent anywhere but to this form again. Arriving by Back or Forward with it,
  // the page puts it in the box and diagnoses it again (a current answer, rate-limited like any).
  // A new diagnosis replaces it; Clear, an emptied box or a reload drop it.
  var KEPT = "linqdocsPaste";
  var ATTACHED = "linqdocs:attached-paste"; // site.js: the paste attached to a support request
  var submitted = null;

  function box() {
    return document.querySelector("[data-diagnose-box]");
  }

  function keptPaste() {
    var state = window.history.state;
    var paste = state && typeof state === "object" ? state[KEPT] : null;
    return typeof paste === "string" ? paste : "";
  }

  function keepPaste(paste) {
    var current = window.history.state;
    var state = Object.assign({}, current && typeof current === "object" ? current : {});
    if (paste) state[KEPT] = paste;
    else if (!(KEPT in state)) return;
    else delete state[KEPT];
    try {
      window.history.replaceState(state, "");
    } catch (error) {
      // Too large for this browser's history: Back shows the empty form, as it used to.
    }
  }

  function arrivedByBackOrForward(event) {
    if (event.persisted) return true;
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var input = box();
    if (input && event.detail.elt === input.form) submitted = input.value;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var result = document.getElementById("diagnosis");
    if (!result || event.target !== result) return;
    var paste = result.getAttribute("data-paste") || "";
    var input = box();
    // The box shows what was read, masked, unless the person has typed on meanwhile.
    if (paste && input && input.value === submitted && input.value !== paste) input.value = paste;
    submitted = null;
    keepPaste(paste);
  });

  window.addEventListener("pageshow", function (event) {
    var input = box();
    var paste = keptPaste();
    if (!input || !input.form || !paste) return;
    if (!arrivedByBackOrForward(event)) {
      keepPaste(""); // a reload starts afresh
      return;
    }
    // Kept by the browser (its back/forward cache), or the box already holds something: as is.
    if (input.value || !window.htmx) return;
    input.value = paste;
    input.form.requestSubmit();
  });

  // Emptying the box by hand forgets the kept paste too; Clear also takes the diagnosis away.
  document.addEventListener("input", function (event) {
    if (event.target === box() && !event.target.value) keepPaste("");
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-diagnose-clear]")) return;
    var input = box();
    var result = document.getElementById("diagnosis");
    // A diagnosis still on its way would put back what was just cleared.
    if (input && input.form && window.htmx) window.htmx.trigger(input.form, "htmx:abort");
    submitted = null;
    if (input) input.value = "";
    if (result) {
      result.replaceChildren();
      result.removeAttribute("data-paste");
      result.removeAttribute("aria-labelledby");
    }
    keepPaste("");
    try {
      window.sessionStorage.removeItem(ATTACHED);
    } catch (error) {
      // No sessionStorage: nothing was attached.
    }
    if (input) input.focus();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-diagnose-clear], [data-kept-in-tab]").forEach(function (element) {
      element.hidden = false;
    });
  });

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 1000);
})();
