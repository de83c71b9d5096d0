/* Event lists: progressive enhancement of the HTML made by scripts/events_render.py.
   - moves events that have ended (by the reader's clock) from "upcoming" to "past", so a site built
     last week never shows a past event as upcoming; re-sorts both lists;
   - home-page teaser (data-ev-limit): shows the first N events that have not ended;
   - filters by event language and audience (events "for everyone" always match an audience).
   Without JavaScript every event is listed and the filter form stays hidden.
   Stores nothing: no cookies, no localStorage, no address changes. External file for the CSP. */
(function () {
  "use strict";

  function items(list) {
    return list ? Array.prototype.slice.call(list.querySelectorAll("article[data-start]")) : [];
  }

  function time(item, name) {
    var value = Date.parse(item.getAttribute(name) || "");
    return isNaN(value) ? NaN : value;
  }

  function endOf(item) {
    var end = time(item, "data-end");
    return isNaN(end) ? time(item, "data-start") : end;
  }

  function sortList(list, direction) {
    items(list)
      .sort(function (a, b) { return direction * (time(a, "data-start") - time(b, "data-start")); })
      .forEach(function (item) { list.appendChild(item); });
  }

  function checkedValue(form, name) {
    var input = form ? form.querySelector("input[name='" + name + "']:checked") : null;
    return input ? input.value : "";
  }

  function setup(root) {
    var upcoming = root.querySelector("[data-ev-upcoming]");
    var past = root.querySelector("[data-ev-past]");
    var pastSection = root.querySelector("[data-ev-past-section]");
    var none = root.querySelector("[data-ev-none]");
    var noMatch = root.querySelector("[data-ev-nomatch]");
    var filter = root.querySelector("[data-ev-filter]");
    var form = filter ? filter.querySelector("form") : null;
    var limit = parseInt(root.getAttribute("data-ev-limit") || "0", 10) || 0;
    var now = Date.now();
    if (!upcoming) { return; }

    items(upcoming).forEach(function (item) {
      if (endOf(item) < now) {
        if (past) { past.appendChild(item); } else { item.parentNode.removeChild(item); }
      }
    });
    sortList(upcoming, 1);
    if (past) { sortList(past, -1); }

    function update() {
      var language = checkedValue(form, "ev-language");
      var audience = checkedValue(form, "ev-audience");
      var shownUpcoming = 0;
      var shownPast = 0;
      items(upcoming).forEach(function (item) {
        var show = matches(item, language, audience) && (!limit || shownUpcoming < limit);
        item.hidden = !show;
        if (show) { shownUpcoming += 1; }
      });
      items(past).forEach(function (item) {
        var show = matches(item, language, audience);
        item.hidden = !show;
        if (show) { shownPast += 1; }
      });
      var filtered = language !== "" || audience !== "";
      var nothing = filtered && shownUpcoming + shownPast === 0;
      if (noMatch) { noMatch.hidden = !nothing; }
      if (none) { none.hidden = shownUpcoming > 0 || (nothing && noMatch !== null); }
      if (pastSection) { pastSection.hidden = shownPast === 0; }
    }

    if (form) {
      filter.hidden = false;
      form.addEventListener("change", update);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    }
    update();
  }

  function matches(item, language, audience) {
    var languages = (item.getAttribute("data-languages") || "").split(" ");
    var itemAudience = item.getAttribute("data-audience") || "";
    if (language && languages.indexOf(language) < 0) { return false; }
    return !audience || itemAudience === audience || itemAudience === "everyone";
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ev-root]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
