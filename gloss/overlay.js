// Injected by `build.py serve` only: shows the last build error over the page until it is fixed.
(function () {
  "use strict";
  var box = null;
  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.id = "gloss-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-top:4px solid #ff5c5c;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "Build failed; showing the last good version of this page.\n\n" +
      errors.map(function (e) { return e.text; }).join("\n\n");
  }
  function hide() { if (box) { box.remove(); box = null; } }
  function poll() {
    fetch("/__gloss/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.errors.length) { show(s.errors); } else { hide(); }
    }).catch(function () {});
  }
  poll();
  setInterval(poll, 1000);
})();
