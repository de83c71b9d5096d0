/* Never an empty answer: when a search in the reader's language finds nothing, show matches from the German
   pages (marked as German) and the emergency numbers. The German index and the normaliser the search
   itself uses (search-normalize.js, next to this file) are loaded only then (small scripts, also from
   file://), so a page view without a search downloads neither. Loaded by overrides/main.html on pages
   in languages other than German. No page script is inline; nothing is sent anywhere. */
(function () {
  "use strict";
  var strings = document.querySelector("[data-site-search-fallback]");
  var current = document.currentScript;
  if (!strings || !current) return;
  var normalizer = new URL("search-normalize.js", current.src).href;
  var input = document.querySelector("input[data-md-component=search-query]");
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  if (!input || !meta || !list) return;
  var germanRoot = strings.getAttribute("data-german-root");
  var box = null, shownFor = null, loading = null, docs = null;

  function script(src) {
    return new Promise(function (resolve) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = function () { resolve(true); };
      element.onerror = function () { resolve(false); };
      document.head.appendChild(element);
    });
  }

  function load() {
    if (docs) return Promise.resolve(docs);
    if (loading) return loading;
    loading = Promise.all([window.siteSearch || script(normalizer), script(germanRoot + "search/fallback.js")])
      .then(function () {
        var index = window.__siteFallbackIndex || { docs: [] };
        docs = window.siteSearch ? index.docs.map(function (doc) {
          return { doc: doc, title: words(doc.title), text: words(doc.text) };
        }) : [];
        return docs;
      });
    return loading;
  }

  function words(text) {
    var plain = String(text || "").replace(/<[^>]*>/g, " ");
    return plain.split(/[\s\-.,;:!?()\[\]{}«»"'“”„‘’\/]+/).filter(Boolean).map(function (w) {
      return window.siteSearch.fold(w, "de");
    });
  }

  function matches(query) {
    if (!window.siteSearch) return [];
    var terms = words(query).filter(function (t) { return t.length > 1; });
    if (!terms.length) return [];
    function has(list, term) { return list.some(function (w) { return w.indexOf(term) === 0; }); }
    return docs.map(function (entry) {
      var inTitle = 0, all = true;
      terms.forEach(function (term) {
        if (has(entry.title, term)) inTitle++;
        else if (!has(entry.text, term)) all = false;
      });
      return all ? { entry: entry, score: inTitle } : null;
    }).filter(Boolean).sort(function (a, b) { return b.score - a.score; }).slice(0, 8);
  }

  function clear() { if (box) { box.remove(); box = null; shownFor = null; } }

  function render(found, query) {
    clear();
    shownFor = query;
    box = document.createElement("div");
    box.className = "site-search-fallback";
    var note = document.createElement("p");
    note.textContent = strings.getAttribute(found.length ? "data-title" : "data-none");
    box.appendChild(note);
    if (found.length) {
      var ol = document.createElement("ol");
      found.forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = germanRoot + hit.entry.doc.location;
        a.lang = "de";
        a.dir = "ltr";
        a.textContent = String(hit.entry.doc.title || "").replace(/<[^>]*>/g, "");
        li.appendChild(a);
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    var numbers = document.querySelectorAll(".site-emergency__call");
    if (numbers.length) {
      var help = document.createElement("p");
      help.className = "site-search-fallback__numbers";
      numbers.forEach(function (link) {
        var copy = link.cloneNode(true);
        copy.className = "site-search-fallback__call";
        help.appendChild(copy);
      });
      box.appendChild(help);
    }
    list.parentNode.insertBefore(box, list.nextSibling);
  }

  function update() {
    var query = input.value.trim();
    if (!query || list.children.length) { clear(); return; }
    load().then(function () {
      if (input.value.trim() === query && !list.children.length) render(matches(query), query);
    });
  }

  new MutationObserver(function () { window.setTimeout(update, 0); })
    .observe(meta, { childList: true, characterData: true, subtree: true });
  // the German results and numbers belong to the query they were found for: gone as soon as it changes
  input.addEventListener("input", function () { if (input.value.trim() !== shownFor) clear(); });
})();
