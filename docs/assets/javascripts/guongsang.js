/* Gương Sáng: small enhancements; every page works without them. */
(function () {
  "use strict";
  function ready(fn) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(fn);
    } else if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  // A story printed from its page is one A4 page (print.css), cut at whole lines. The build
  // sizes the type so that the text fits (guongsang.pagefit) and marks a story it knows is cut
  // (data-gs-cut); should the text still overflow the page (more on the page than the build
  // counted), the note saying where the whole story is goes on paper too. Measured in the print
  // layout: matchMedia("print") reports it as the page is laid out for printing.
  var PRINT = window.matchMedia ? window.matchMedia("print") : null;

  function markCutPages() {
    if (!PRINT || !PRINT.matches) return;
    document.querySelectorAll(".gs-print-more").forEach(function (note) {
      var box = note.closest(".md-typeset");
      if (!box) return;
      note.removeAttribute("data-gs-overflow");
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
        note.setAttribute("data-gs-overflow", "");
      }
    });
  }

  if (PRINT) {
    if (typeof PRINT.addEventListener === "function") PRINT.addEventListener("change", markCutPages);
    else if (typeof PRINT.addListener === "function") PRINT.addListener(markCutPages);
  }
  window.addEventListener("beforeprint", markCutPages);

  ready(function () {
    document.querySelectorAll("[data-gs-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
