// Gloss: small progressive enhancements. The site reads fully without this file.
// Hover/focus/tap cards on mentions and corrections, a light/dark toggle, sortable entity
// tables and the search page (Pagefind). No framework, no build step.
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href); // the site root, wherever it is hosted
  var TYPES = { person: "Person", organization: "Organization", place: "Place" };

  // ------------------------------------------------------------ shared entity data (entities.json)
  var entityData = null;
  function loadEntities() {
    if (!entityData) {
      entityData = fetch(new URL("entities.json", root))
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
    }
    return entityData;
  }

  // ------------------------------------------------------------ light / dark toggle
  function setupTheme() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function current() {
      var chosen = document.documentElement.getAttribute("data-theme");
      if (chosen) return chosen;
      return media && media.matches ? "dark" : "light";
    }
    function show() {
      var dark = current() === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.textContent = "Dark mode";
      button.title = dark ? "Switch to light mode" : "Switch to dark mode";
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      try { localStorage.setItem("gloss-theme", next); } catch (e) { /* private mode: not remembered */ }
      show();
    });
    if (media && media.addEventListener) media.addEventListener("change", show);
    show();
  }

  // ------------------------------------------------------------ cards on mentions and corrections
  var card = null, cardFor = null, hideTimer = null, showTimer = null, touchPending = null, touchWasOpen = false;

  function makeCard() {
    card = document.createElement("div");
    card.className = "gloss-card";
    card.id = "gloss-card";
    card.hidden = true;
    document.body.appendChild(card);
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", function () { scheduleHide(); });
    card.addEventListener("focusout", function (event) {
      if (!card.contains(event.relatedTarget) && event.relatedTarget !== cardFor) hideCard();
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function fillMentionCard(mention) {
    var id = mention.getAttribute("data-entity");
    var type = mention.getAttribute("data-type") || "";
    card.textContent = "";
    card.setAttribute("data-type", type);
    var head = el("p", "card-head");
    head.appendChild(el("span", "type-badge type-" + type, TYPES[type] || type));
    card.appendChild(head);
    card.appendChild(el("p", "card-name", mention.getAttribute("data-name")));
    var description = mention.getAttribute("data-description");
    if (description) card.appendChild(el("p", "card-description", description));
    var count = el("p", "card-count", "");
    card.appendChild(count);
    var link = el("a", "card-link", "Open the page on " + mention.getAttribute("data-name"));
    link.href = mention.getAttribute("href") || new URL("entities/" + id + "/", root).href;
    card.appendChild(link);
    loadEntities().then(function (data) {
      var entry = data[id];
      if (!entry || cardFor !== mention) return;
      var n = entry.articles;
      count.textContent = "Mentioned in " + n + " article" + (n === 1 ? "" : "s");
    });
  }

  function fillCorrectionCard(node) {
    card.textContent = "";
    card.setAttribute("data-type", "correction");
    card.appendChild(el("p", "card-head", "Correction"));
    var text = node.getAttribute("data-explain") || "Changed by the editor";
    if (node.classList.contains("critic-substitute") && node.nextElementSibling &&
        node.nextElementSibling.tagName === "INS") {
      text = "Replaced by the editor: “" + node.textContent + "” became “" + node.nextElementSibling.textContent + "”.";
    }
    card.appendChild(el("p", "card-description", text));
  }

  function place(target) {
    var rect = target.getBoundingClientRect();
    var width = Math.min(20 * 16, document.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    card.style.left = (left + window.scrollX) + "px";
    var height = card.offsetHeight;
    var below = rect.bottom + 6;
    var top = below + height > window.innerHeight && rect.top - height - 6 > 0 ? rect.top - height - 6 : below;
    card.style.top = (top + window.scrollY) + "px";
  }

  function showCard(target) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (!card) makeCard();
    if (cardFor && cardFor !== target) cardFor.removeAttribute("aria-describedby");
    cardFor = target;
    if (target.classList.contains("mention")) fillMentionCard(target); else fillCorrectionCard(target);
    card.hidden = false;
    target.setAttribute("aria-describedby", "gloss-card");
    place(target);
  }

  function hideCard() {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (!card || card.hidden) return;
    card.hidden = true;
    if (cardFor) cardFor.removeAttribute("aria-describedby");
    cardFor = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideCard, 300);
  }

  function cardTarget(node) {
    return node && node.closest ? node.closest(".mention[data-entity], del.critic-delete, ins.critic-insert") : null;
  }

  function setupCards() {
    var targets = document.querySelectorAll(".mention[data-entity], del.critic-delete, ins.critic-insert");
    if (!targets.length) return;
    targets.forEach(function (node) {
      if (node.title) {
        node.setAttribute("data-explain", node.title);
        node.removeAttribute("title"); // the card replaces the browser's tooltip
      }
      if (node.tagName === "DEL" || node.tagName === "INS") node.tabIndex = 0;
    });
    document.addEventListener("mouseover", function (event) {
      var target = cardTarget(event.target);
      if (!target || touchPending) return;
      clearTimeout(hideTimer);
      if (target === cardFor && !card.hidden) return;
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { showCard(target); }, 120);
    });
    document.addEventListener("mouseout", function (event) {
      var target = cardTarget(event.target);
      if (!target || target.contains(event.relatedTarget)) return;
      clearTimeout(showTimer);
      if (target === cardFor) scheduleHide();
    });
    document.addEventListener("focusin", function (event) {
      var target = cardTarget(event.target);
      if (target) showCard(target);
    });
    document.addEventListener("focusout", function (event) {
      var target = cardTarget(event.target);
      if (target && target === cardFor && !(card && card.contains(event.relatedTarget))) hideCard();
    });
    // Touch: the first tap on a mention opens its card (which links to the page); a second tap follows it.
    document.addEventListener("pointerdown", function (event) {
      touchPending = event.pointerType === "touch" || event.pointerType === "pen" ? cardTarget(event.target) : null;
      touchWasOpen = !!touchPending && touchPending === cardFor && !card.hidden; // before focus opens it
    }, true);
    document.addEventListener("click", function (event) {
      var target = cardTarget(event.target);
      var touched = touchPending;
      touchPending = null;
      if (target && touched === target) {
        if (!touchWasOpen) {
          event.preventDefault();
          showCard(target);
        }
        return;
      }
      if (card && !card.hidden && !card.contains(event.target) && target !== cardFor) hideCard();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && card && !card.hidden) {
        var from = cardFor;
        hideCard();
        if (card.contains(document.activeElement) && from) from.focus();
      }
    });
    window.addEventListener("resize", function () { if (cardFor && !card.hidden) place(cardFor); });
  }

  // ------------------------------------------------------------ sortable entity tables
  function setupSorting() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var headers = table.querySelectorAll("th[data-sort]");
      headers.forEach(function (th) {
        var button = el("button", "sort-button", th.textContent);
        button.type = "button";
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortTable(table, th); });
      });
    });
  }

  // Click a heading to sort by it (names A to Z, numbers most first); click it again to reverse.
  function sortTable(table, th) {
    var column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.classList.contains("num");
    var natural = numeric ? "descending" : "ascending";
    var current = th.getAttribute("aria-sort");
    var order = current === natural ? (natural === "ascending" ? "descending" : "ascending") : natural;
    var sign = order === "ascending" ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function value(row) {
      var cell = row.cells[column];
      var raw = cell.getAttribute("data-value") || cell.textContent;
      return numeric ? parseFloat(raw) || 0 : raw.trim().toLocaleLowerCase();
    }
    rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      if (x !== y) return (x < y ? -1 : 1) * sign;
      var p = a.getAttribute("data-name") || "", q = b.getAttribute("data-name") || "";
      return p < q ? -1 : p > q ? 1 : 0; // ties: by name
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", order);
  }

  // ------------------------------------------------------------ search page (Pagefind)
  function setupSearch() {
    var results = document.getElementById("search-results");
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    if (!results || !input || !status) return;
    var pagefind = null, counter = 0;
    function engine() {
      if (!pagefind) {
        pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
          return Promise.resolve(module.options({ baseUrl: root.pathname })).then(function () { return module; });
        });
      }
      return pagefind;
    }
    function run(query) {
      var mine = ++counter;
      results.textContent = "";
      if (!query.trim()) {
        status.textContent = "Type a name, a place or any word from the articles.";
        return;
      }
      status.textContent = "Searching…";
      engine().then(function (module) {
        return module.search(query);
      }).then(function (search) {
        return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
      }).then(function (items) {
        if (mine !== counter) return;
        status.textContent = items.length ? items.length + " result" + (items.length === 1 ? "" : "s") +
          " for “" + query + "”" : "Nothing found for “" + query + "”.";
        items.forEach(function (item) {
          var li = el("li", "search-result");
          var h = el("h2", "search-title");
          var a = el("a", "", (item.meta && item.meta.title) || item.url);
          a.href = item.url;
          h.appendChild(a);
          li.appendChild(h);
          var p = el("p", "search-excerpt");
          p.innerHTML = item.excerpt; // Pagefind's excerpt: page text, escaped, with <mark> around matches
          li.appendChild(p);
          results.appendChild(li);
        });
      }).catch(function () {
        if (mine !== counter) return;
        status.textContent = "Search is not available on this copy of the site (no search index was built).";
      });
    }
    var query = new URLSearchParams(location.search).get("q") || "";
    input.value = query;
    var header = document.getElementById("site-search-q");
    if (header) header.value = query;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = new URL(location.href);
        url.searchParams.set("q", input.value);
        history.replaceState(null, "", url);
        run(input.value);
      }, 200);
    });
    run(query);
  }

  function start() {
    setupTheme();
    setupCards();
    setupSorting();
    setupSearch();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();

// ------------------------------------------------------------ issue 18, point 8: the entities index
// Without JavaScript the index is the plain lists; with it, a box above them keeps the rows whose name or
// alias holds what is typed.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setupFilter() {
    var box = document.querySelector(".entity-filter");
    var input = document.getElementById("entity-filter-q");
    var status = document.getElementById("entity-filter-status");
    if (!box || !input || !status) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll(".entity-table tbody tr"));
    var names = rows.map(function (row) { return fold(row.getAttribute("data-names") || row.textContent); });
    var timer = null;
    box.hidden = false;
    function apply() {
      var query = fold(input.value.trim());
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = !query || names[i].indexOf(query) >= 0;
        row.hidden = !match;
        if (match) shown += 1;
      });
      document.querySelectorAll(".entity-group").forEach(function (group) {
        var table = group.querySelector(".entity-table");
        group.hidden = !!table && !table.querySelector("tbody tr:not([hidden])");
      });
      status.textContent = query ? shown + " of " + rows.length + (rows.length === 1 ? " entity" : " entities") +
        " match" + (shown === 1 ? "es" : "") : "";
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 100);
    });
  }

  // The picture of who appears with whom scrolls sideways on a phone: open it on the middle of the ring.
  function centerPicture() {
    var figure = document.querySelector(".graph-wide");
    if (figure) figure.scrollLeft = (figure.scrollWidth - figure.clientWidth) / 2;
  }

  function start() {
    setupFilter();
    centerPicture();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
