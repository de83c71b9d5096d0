/*
 * Runs inside the hidden iframe of iframe-worker-shim.js (file:// only): gives the worker
 * script the WebWorker globals it expects. Adapted from iframe-worker 1.0.4 (MIT, Martin Donath).
 */
"use strict";
(function () {
  var workerUrl = document.currentScript.getAttribute("data-worker");
  window.postMessage = function (data, origin) {
    parent.postMessage(data, origin || "*");
  };
  window.importScripts = function () {
    var urls = Array.prototype.slice.call(arguments);
    return urls.reduce(function (chain, url) {
      return chain.then(function () {
        return new Promise(function (resolve) {
          var s = document.createElement("script");
          s.src = url;
          s.onload = resolve;
          document.body.appendChild(s);
        });
      });
    }, Promise.resolve());
  };
  addEventListener("error", function (ev) {
    parent.dispatchEvent(new ErrorEvent("error", { filename: workerUrl, error: ev.error }));
  });
})();
