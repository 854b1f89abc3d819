// Gloss: small progressive enhancements. The site reads fully without this file.
// Hover/focus/tap cards on mentions and corrections, a light/dark toggle, sortable entity
// tables and the search page (Pagefind). No framework, no build step.
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href); // the site root, wherever it is hosted
  var TYPES = { person: "Person", organization: "Organization", place: "Place" };

  // ------------------------------------------------------------ an entity's card file (entities/<id>/card.json)
  // A few dozen bytes per entity, fetched once when its card first opens (or the pointer first rests on it).
  var cardFiles = {}, cardValues = {};
  function loadCard(id) {
    if (!cardFiles[id]) {
      cardFiles[id] = fetch(new URL("entities/" + encodeURIComponent(id) + "/card.json", root))
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (data) { cardValues[id] = data; return data; });
    }
    return cardFiles[id];
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
  // A card opens beside its mention, never over it, with an arrow pointing at it: after HOVER_DELAY
  // under a resting pointer (a pointer passing over the text opens nothing), at once on focus or tap.
  // It is placed at its full size: the count line is reserved before the card file arrives.
  var HOVER_DELAY = 350, GAP = 10;
  var card = null, arrow = null, cardFor = null, hideTimer = null, showTimer = null;
  var touchPending = null, touchWasOpen = false, arrivedAt = null;

  function makeCard() {
    card = document.createElement("div");
    card.className = "gloss-card";
    card.id = "gloss-card";
    card.hidden = true;
    // In the main landmark with the mentions it describes, not loose in the body; place() measures
    // where its containing block starts, so main may be one (a size container is).
    (document.querySelector("main") || document.body).appendChild(card);
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

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  function longDate(iso) { // "2021-09-06" → "6 September 2021", as the pages write dates
    var part = iso.split("-");
    return +part[2] + " " + MONTHS[+part[1] - 1] + " " + part[0];
  }

  // "First seen 6 September 2021 · 14 articles since", in two pieces that wrap only between them (the
  // line keeps room for two); "Mentioned in 3 articles" for an entity of undated articles only.
  function fillCount(count, data) {
    count.textContent = "";
    if (!data) return;
    var n = data.articles, articles = n + " article" + (n === 1 ? "" : "s");
    if (!data.first) {
      count.appendChild(el("span", "", "Mentioned in " + articles));
      return;
    }
    count.appendChild(el("span", "", "First seen " + longDate(data.first)));
    count.appendChild(document.createTextNode(" · "));
    count.appendChild(el("span", "", n === 1 ? articles : articles + " since"));
  }

  function fillMentionCard(mention) {
    var id = mention.getAttribute("data-entity");
    var type = mention.getAttribute("data-type") || "";
    card.setAttribute("data-type", type);
    var head = el("p", "card-head");
    head.appendChild(el("span", "type-badge type-" + type, TYPES[type] || type));
    card.appendChild(head);
    card.appendChild(el("p", "card-name", mention.getAttribute("data-name")));
    var description = mention.getAttribute("data-description");
    if (description) card.appendChild(el("p", "card-description", description));
    var count = el("p", "card-count"); // its lines are kept while the file loads
    fillCount(count, cardValues[id]);
    card.appendChild(count);
    var link = el("a", "card-link", "Open the page on " + mention.getAttribute("data-name"));
    link.href = mention.getAttribute("href") || new URL("entities/" + id + "/", root).href;
    card.appendChild(link);
    if (!(id in cardValues)) {
      loadCard(id).then(function (data) {
        if (cardFor !== mention || card.hidden) return;
        fillCount(count, data);
        if (!data) count.hidden = true; // no card file (a copy without it): the line goes
        place(mention);
      });
    } else if (!cardValues[id]) {
      count.hidden = true;
    }
  }

  function fillCorrectionCard(node) {
    card.setAttribute("data-type", "correction");
    card.appendChild(el("p", "card-head", "Correction"));
    var text = node.getAttribute("data-explain") || "Changed by the editor";
    if (node.classList.contains("critic-substitute") && node.nextElementSibling &&
        node.nextElementSibling.tagName === "INS") {
      text = "Replaced by the editor: “" + node.textContent + "” became “" + node.nextElementSibling.textContent + "”.";
    }
    card.appendChild(el("p", "card-description", text));
  }

  // Below the mention if the card fits there, else above it, else on the roomier side: its box never
  // meets the mention's. The arrow points at the line of the mention next to the card.
  function place(target) {
    var view = document.documentElement.clientWidth;
    var rect = target.getBoundingClientRect();
    var lines = target.getClientRects();
    var width = Math.min(20 * 16, view - 16);
    card.style.width = width + "px";
    var height = card.offsetHeight;
    var roomBelow = window.innerHeight - rect.bottom, roomAbove = rect.top;
    var below = height + GAP <= roomBelow || (height + GAP > roomAbove && roomBelow >= roomAbove);
    var line = lines.length ? lines[below ? lines.length - 1 : 0] : rect;
    var middle = line.left + line.width / 2;
    var left = Math.max(8, Math.min(middle - 32, view - width - 8));
    card.style.left = card.style.top = "0px";
    var origin = card.getBoundingClientRect();
    card.style.left = (left - origin.left) + "px";
    card.style.top = ((below ? rect.bottom + GAP : rect.top - GAP - height) - origin.top) + "px";
    card.setAttribute("data-side", below ? "below" : "above");
    arrow.style.left = Math.max(10, Math.min(middle - left, width - 10)) + "px";
  }

  function showCard(target) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (!card) makeCard();
    if (cardFor && cardFor !== target) cardFor.removeAttribute("aria-describedby");
    cardFor = target;
    card.textContent = "";
    arrow = el("span", "gloss-card-arrow");
    arrow.setAttribute("aria-hidden", "true");
    card.appendChild(arrow);
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

  var CARD_TARGETS = ".mention[data-entity], del.critic-delete, ins.critic-insert";
  function cardTarget(node) {
    return node && node.closest ? node.closest(CARD_TARGETS) : null;
  }

  function setupCards() {
    var targets = document.querySelectorAll(CARD_TARGETS);
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
      if (target.hasAttribute("data-entity")) loadCard(target.getAttribute("data-entity")); // while the pointer rests
      showTimer = setTimeout(function () { showCard(target); }, HOVER_DELAY);
    });
    document.addEventListener("mouseout", function (event) {
      var target = cardTarget(event.target);
      if (!target || target.contains(event.relatedTarget)) return;
      clearTimeout(showTimer);
      if (target === cardFor) scheduleHide();
    });
    document.addEventListener("focusin", function (event) {
      var target = cardTarget(event.target);
      if (!target) return;
      if (target === arrivedAt) { arrivedAt = null; return; } // focused by a link to it: no card
      showCard(target);
    });
    document.addEventListener("focusout", function (event) {
      var target = cardTarget(event.target);
      if (target && target === cardFor && !(card && card.contains(event.relatedTarget))) hideCard();
    });
    // Touch: the first tap on a mention opens its card (which links to the page); a second tap follows it.
    document.addEventListener("pointerdown", function (event) {
      arrivedAt = null;
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
      arrivedAt = null;
      if (event.key === "Escape" && card && !card.hidden) {
        var from = cardFor;
        hideCard();
        if (card.contains(document.activeElement) && from) from.focus();
      }
    });
    window.addEventListener("resize", function () { if (cardFor && !card.hidden) place(cardFor); });
  }

  // ------------------------------------------------------------ arriving at a mention (#m-N)
  // "Read in context" and the who's-who jumps link to a mention: the browser scrolls to it (the CSS
  // leaves room above) and focuses it. No card opens then; the mention's sentence is highlighted.
  function arrive() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target || !target.classList.contains("mention")) return;
    if (document.activeElement !== target) arrivedAt = target; // the focus that follows opens no card
    else if (cardFor === target) hideCard();
    highlightSentence(target);
  }

  function setupArrival() {
    arrive();
    window.addEventListener("hashchange", arrive);
    document.addEventListener("click", function (event) { // a link to a mention on this page (who's who)
      var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
      var target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
      if (target && target.classList.contains("mention")) arrivedAt = target;
    });
  }

  function highlightSentence(mention) {
    if (!window.CSS || !CSS.highlights || !window.Highlight || !window.Intl || !Intl.Segmenter) return;
    var block = mention.closest(".sidenote, p, li, blockquote, h2, h3, h4, td, dd") || mention.parentNode;
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) { // a note is not part of the sentence around it, nor its number
        var note = node.parentNode.closest(".sidenote, .note-ref, .note-number");
        return note && note !== block ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [], text = "", at = -1, node;
    while ((node = walker.nextNode())) {
      if (at < 0 && mention.contains(node)) at = text.length;
      nodes.push([node, text.length]);
      text += node.data;
    }
    if (at < 0) return;
    var segments = new Intl.Segmenter(document.documentElement.lang || undefined, { granularity: "sentence" });
    var sentence = segments.segment(text).containing(at);
    if (!sentence) return;
    var start = sentence.index, end = sentence.index + sentence.segment.replace(/\s+$/, "").length;
    var highlight = new Highlight();
    nodes.forEach(function (pair) { // one range per text node: a note inside the sentence stays unmarked
      var from = Math.max(start - pair[1], 0), to = Math.min(end - pair[1], pair[0].data.length);
      if (from >= to) return;
      var range = document.createRange();
      range.setStart(pair[0], from);
      range.setEnd(pair[0], to);
      highlight.add(range);
    });
    CSS.highlights.set("gloss-arrival", highlight);
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
  // Entities first (an entity named exactly as the query, or by one of its aliases, before the rest),
  // each with its type; then articles. The index tells them apart by its "kind" filter.
  var ENTITY_RESULTS = 10, ARTICLE_RESULTS = 20;

  function normal(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function namedExactly(item, query) {
    var meta = item.meta || {};
    var names = [meta.title].concat(meta.aliases ? meta.aliases.split(", ") : []);
    return names.some(function (name) { return normal(name) === query; });
  }

  function resultItem(item, isEntity) {
    var meta = item.meta || {};
    var li = el("li", "search-result" + (isEntity ? " search-entity" : ""));
    var h = el("h2", "search-title");
    var a = el("a", "", meta.title || item.url);
    a.href = item.url;
    h.appendChild(a);
    if (isEntity && meta.type_label) {
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "type-badge type-" + (meta.type || ""), meta.type_label));
    }
    li.appendChild(h);
    var p = el("p", "search-excerpt");
    p.innerHTML = item.excerpt; // Pagefind's excerpt: page text, escaped, with <mark> around matches
    li.appendChild(p);
    return li;
  }

  function setupSearch() {
    var results = document.getElementById("search-results");
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    if (!results || !input || !status) return;
    var pagefind = null, counter = 0;
    function engine() {
      if (!pagefind) {
        pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
          return Promise.resolve(module.options({ baseUrl: root.pathname })).then(function () {
            return module.filters();
          }).then(function (filters) { // an index made with another theme may have no kinds
            return { module: module, byKind: !!(filters && filters.kind) };
          });
        });
      }
      return pagefind;
    }
    function find(engine, query) {
      var module = engine.module;
      if (!engine.byKind) {
        return module.search(query).then(function (all) { return [[], all.results.slice(0, ARTICLE_RESULTS)]; });
      }
      return Promise.all([module.search(query, { filters: { kind: "entity" } }),
                          module.search(query, { filters: { kind: "article" } })]).then(function (found) {
        return [found[0].results.slice(0, ENTITY_RESULTS), found[1].results.slice(0, ARTICLE_RESULTS)];
      });
    }
    function load(list) {
      return Promise.all(list.map(function (r) { return r.data(); }));
    }
    function run(query) {
      var mine = ++counter;
      results.textContent = "";
      if (!query.trim()) {
        status.textContent = "Type a name, a place or any word from the articles.";
        return;
      }
      status.textContent = "Searching…";
      engine().then(function (loaded) {
        return find(loaded, query);
      }).then(function (found) {
        return Promise.all([load(found[0]), load(found[1])]);
      }).then(function (loaded) {
        if (mine !== counter) return;
        var wanted = normal(query);
        var entities = loaded[0].filter(function (item) { return namedExactly(item, wanted); })
          .concat(loaded[0].filter(function (item) { return !namedExactly(item, wanted); }));
        var count = entities.length + loaded[1].length;
        status.textContent = count ? count + " result" + (count === 1 ? "" : "s") + " for “" + query + "”" :
          "Nothing found for “" + query + "”.";
        entities.forEach(function (item) { results.appendChild(resultItem(item, true)); });
        loaded[1].forEach(function (item) { results.appendChild(resultItem(item, false)); });
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

  function typingIn(node) {
    if (!node) return false;
    if (node.isContentEditable || node.tagName === "TEXTAREA" || node.tagName === "SELECT") return true;
    return node.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset|range|color|file|image)$/.test(node.type);
  }

  // "/" anywhere but in a text field focuses the search box (the search page's own, else the header's).
  function setupSearchShortcut() {
    var box = document.getElementById("search-q") || document.getElementById("site-search-q");
    if (!box) return;
    box.setAttribute("aria-keyshortcuts", "/");
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (typingIn(document.activeElement)) return;
      event.preventDefault(); // the slash is not typed into the box
      box.focus();
      box.select();
    });
  }

  function start() {
    setupTheme();
    setupCards();
    setupArrival();
    setupSorting();
    setupSearch();
    setupSearchShortcut();
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
