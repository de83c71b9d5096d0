/*
 * WebWorker stand-in for file:// (USB stick), so Material's search works without a server.
 * Adapted from iframe-worker 1.0.4 "shim" (MIT, Copyright (c) 2020-2022 Martin Donath,
 * npm package iframe-worker). Change: the iframe's inline bootstrap script moved to
 * workers/iframe-bootstrap.js so a strict Content-Security-Policy (no inline scripts) holds.
 * Mounted only when the page is opened from file://.
 */
"use strict";
(function () {
  if (location.protocol !== "file:") return;
  var script = document.currentScript;
  var bootstrap = new URL("workers/iframe-bootstrap.js", script.src).href;

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      this.m = (ev) => {
        if (ev.source === this.w) {
          this.dispatchEvent(new MessageEvent("message", { data: ev.data }));
          if (this.onmessage) this.onmessage(ev);
        }
      };
      this.e = (message, filename, lineno, colno, error) => {
        if (filename === `${this.url}`) {
          const ev = new ErrorEvent("error", { message, filename, lineno, colno, error });
          this.dispatchEvent(ev);
          if (this.onerror) this.onerror(ev);
        }
      };
      const iframe = document.createElement("iframe");
      iframe.hidden = true;
      iframe.title = "search";
      document.body.appendChild((this.iframe = iframe));
      const src = new URL(url, location.href).href;
      this.w.document.open();
      this.w.document.write(
        `<html><body><script src="${bootstrap}" data-worker="${src}"><\/script>` +
        `<script src="${src}?${+Date.now()}"><\/script></body></html>`
      );
      this.w.document.close();
      window.addEventListener("message", this.m);
      this.r = new Promise((resolve, reject) => {
        this.w.onload = resolve;
        this.w.onerror = reject;
      });
    }
    terminate() {
      this.iframe.remove();
      window.removeEventListener("message", this.m);
    }
    postMessage(data) {
      this.r.catch(() => {}).then(() => {
        this.w.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }
    get w() {
      return this.iframe.contentWindow;
    }
  }
  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
