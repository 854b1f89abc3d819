// Injected by `build.py serve` only, never written to the built site: the review desk in the page.
// A fix button (on the review page, or in a mention's card) posts one of the queue's own commands
// with this run's token; the server applies it, rebuilds, and livereload reloads the page.
// On other pages, mentions of entities in the review queue are marked, and their card
// (theme/static/gloss.js) gets the items' reasons, fixes and edit links.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="gloss-review-token"]');
  if (!meta) return;
  var token = meta.getAttribute("content");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------ fix buttons, wherever they are
  function apply(button) {
    var box = button.closest(".review-item, .review-card");
    var result = box && box.querySelector(".review-result");
    var buttons = box ? box.querySelectorAll("button.review-fix") : [button];
    if (button.getAttribute("aria-disabled") === "true") return;
    // aria-disabled, not disabled: a disabled button loses focus, and the card closes on focus loss
    buttons.forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    var fix = button.getAttribute("data-fix");
    if (result) result.textContent = "Applying: " + fix.replace(/^build\.py /, "") + "…";
    fetch("/__gloss/fix", {
      method: "POST", cache: "no-store",
      headers: {"Content-Type": "application/json", "X-Gloss-Token": token},
      body: JSON.stringify({fix: fix})
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, message: body.message}; });
    }).catch(function () {
      return {ok: false, message: "The preview server did not answer."};
    }).then(function (answer) {
      if (result) result.textContent = answer.ok ? answer.message + ". Rebuilding…" : answer.message;
      if (!answer.ok) buttons.forEach(function (b) { b.removeAttribute("aria-disabled"); });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.review-fix") : null;
    if (button) apply(button);
  });

  if (document.body.classList.contains("gloss-review-page")) return;

  // ------------------------------------------------------------ marks and cards on the site's pages
  var style = el("link");
  style.rel = "stylesheet";
  style.href = "/__gloss/review.css";
  document.head.appendChild(style);

  function fixButton(fix) {
    var button = el("button", "review-fix", fix.replace(/^build\.py /, ""));
    button.type = "button";
    button.setAttribute("data-fix", fix);
    return button;
  }

  function cardSection(items) {
    var box = el("div", "review-card");
    box.appendChild(el("p", "review-card-head", "To review"));
    items.forEach(function (item) {
      box.appendChild(el("p", "review-why", item.kind + ": " + item.why));
      var here = item.evidence.filter(function (p) { return p.url === location.pathname; })[0];
      if (here && here.edit) {
        var edit = el("a", "review-edit", "Edit " + here.article + ":" + here.line);
        edit.href = here.edit;
        box.appendChild(edit);
      }
      var fixes = el("div", "review-fixes");
      fixes.setAttribute("role", "group");
      fixes.setAttribute("aria-label", "Fixes");
      item.fix.forEach(function (fix) { fixes.appendChild(fixButton(fix)); });
      box.appendChild(fixes);
    });
    var result = el("p", "review-result");
    result.setAttribute("role", "status");
    box.appendChild(result);
    var page = el("a", "review-page-link", "Open the review page");
    page.href = "/__gloss/review";
    box.appendChild(page);
    return box;
  }

  function decorate(byEntity) {
    var card = document.getElementById("gloss-card");
    if (!card || card.hidden || card.querySelector(".review-card")) return;
    var mention = document.querySelector('.mention[aria-describedby="gloss-card"]');
    var items = mention && byEntity[mention.getAttribute("data-entity")];
    if (items) card.appendChild(cardSection(items));
  }

  var ids = {};
  document.querySelectorAll(".mention[data-entity]").forEach(function (m) { ids[m.getAttribute("data-entity")] = 1; });
  var wanted = Object.keys(ids).slice(0, 300);
  if (!wanted.length) return;
  var query = wanted.map(function (id) { return "entity=" + encodeURIComponent(id); }).join("&");
  fetch("/__gloss/review.json?" + query, {cache: "no-store"}).then(function (response) {
    return response.ok ? response.json() : {items: []};
  }).then(function (queue) {
    var byEntity = {};
    queue.items.forEach(function (item) {
      item.entities.forEach(function (id) { (byEntity[id] = byEntity[id] || []).push(item); });
    });
    document.querySelectorAll(".mention[data-entity]").forEach(function (mention) {
      var items = byEntity[mention.getAttribute("data-entity")];
      if (!items) return;
      mention.classList.add("gloss-review-mark");
      mention.setAttribute("data-review", items.map(function (i) { return i.kind; }).join(" "));
    });
    // gloss.js fills the card when it opens: add the fixes then (and again whenever it is refilled)
    new MutationObserver(function () { decorate(byEntity); })
      .observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"]});
  }).catch(function () { /* no queue: the page is just the page */ });
})();
