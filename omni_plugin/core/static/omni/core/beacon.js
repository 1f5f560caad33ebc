/* Oscar Omni beacon: reports events only the browser sees (page views of cached pages).
 * window.omniBeacon(kind, data) sends one; data-page on the script tag sends page_viewed. */
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script.dataset.endpoint;

  function send(kind, data) {
    var body = JSON.stringify(Object.assign({ kind: kind }, data));
    var blob = new Blob([body], { type: "application/json" });
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, blob)) {
      return;
    }
    fetch(endpoint, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json" },
    });
  }

  window.omniBeacon = send;
  if (script.dataset.page) {
    send("page_viewed", { page: Number(script.dataset.page) });
  }
})();
