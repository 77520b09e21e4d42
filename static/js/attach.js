// linqdocs: "Attach my paste", on the diagnosis page and the support form only (the other pages
// never load it). Loaded with `defer`; without it the offer stays hidden and the support link
// still carries code, status, trace id and endpoint.
(function () {
  "use strict";

  // "Attach my paste": ticked on a diagnosis, the masked paste waits in this tab's
  // sessionStorage (never in a URL, never sent anywhere) until the support form shows it in
  // its own box, where the person sees and edits exactly what is sent.
  var PASTE_KEY = "linqdocs:attached-paste";
  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-attach-paste-source]");
    var store = storage();
    if (!box || !store) return;
    var paste = pasteOf(box);
    if (box.checked && paste) store.setItem(PASTE_KEY, paste);
    else store.removeItem(PASTE_KEY);
  });
  function offerAttachedPaste() {
    var offer = document.querySelector("[data-attach-paste]");
    var store = storage();
    var envelope = document.querySelector("textarea[name=envelope]");
    var paste = store && store.getItem(PASTE_KEY);
    if (!offer || !envelope || !paste) return;
    offer.hidden = false;
    if (!envelope.value) envelope.value = paste;
    offer.querySelector("[data-attach-toggle]").addEventListener("change", function (event) {
      envelope.value = event.target.checked ? paste : "";
      if (!event.target.checked) store.removeItem(PASTE_KEY);
    });
    envelope.form.addEventListener("submit", function () { store.removeItem(PASTE_KEY); });
  }

  // A diagnosis's offer to attach the paste needs this script: without it the offer stays hidden
  // (the support link still carries code, status, trace id and endpoint). A new diagnosis starts
  // with nothing attached; the same paste diagnosed again (Back to the diagnosis, diagnose.js)
  // keeps it attached and ticked.
  function pasteOf(box) {
    var source = document.getElementById(box.getAttribute("data-attach-paste-source"));
    return source && (source.value !== undefined ? source.value : source.textContent);
  }
  function showAttachOffers() {
    var offers = document.querySelectorAll("[data-attach-paste-offer]");
    var store = storage();
    if (!offers.length || !store) return;
    var attached = store.getItem(PASTE_KEY);
    var still = false;
    offers.forEach(function (offer) {
      offer.hidden = false;
      offer.querySelectorAll("[data-attach-paste-source]").forEach(function (box) {
        box.checked = attached !== null && pasteOf(box) === attached;
        still = still || box.checked;
      });
    });
    if (!still) store.removeItem(PASTE_KEY);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.querySelector && event.target.querySelector("[data-attach-paste-offer]")) showAttachOffers();
  });

  document.addEventListener("DOMContentLoaded", function () {
    offerAttachedPaste();
    showAttachOffers();
  });
})();
