/*
 * Quick exit (progressive enhancement of the plain links marked data-site-exit).
 * Without JavaScript the links still lead to the neutral site.
 * With JavaScript: the page is blanked at once and replaced with location.replace(), so the
 * Back button does not return to it; pressing Shift 3 times within 3 seconds does the same
 * (the pattern of GOV.UK's "Exit this page"). Nothing is stored.
 */
"use strict";
(function () {
  var links = document.querySelectorAll("a[data-site-exit]");
  if (!links.length) return;
  var target = links[0].href;

  function leave(url) {
    document.documentElement.classList.add("site-leaving");
    document.title = "";
    try {
      window.location.replace(url || target);
    } catch (e) {
      window.location.href = url || target;
    }
  }

  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      leave(link.href);
    });
  });

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = [];
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 3000; });
    presses.push(now);
    if (presses.length >= 3) leave(target);
  });
})();
