/* Oscar Omni edge slots: fills js-mode placeholders and reports the banners shown.
 * A placeholder is <div data-omni-fragment="/omni/banners/fragment/...">; its fragment is
 * fetched with the visitor's variant key in the URL, so any cache may keep it per key.
 * Every fragment on the page (from ESI or fetched) carries data-omni-shown, reported
 * once to data-shown so that impressions and frequency caps count. */
(function () {
  "use strict";
  var script = document.currentScript;
  var shownEndpoint = script.dataset.shown;
  var keyCookie = script.dataset.keyCookie;

  function variantKey() {
    var prefix = keyCookie + "=";
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(prefix) === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(prefix.length)).replace(/^"|"$/g, "") : "";
  }

  function withKey(url) {
    var key = variantKey();
    if (!key) {
      return url;
    }
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "vk=" + encodeURIComponent(key);
  }

  function fill(placeholder) {
    return fetch(withKey(placeholder.dataset.omniFragment), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        placeholder.innerHTML = html;
      })
      .catch(function () {
        placeholder.innerHTML = "";
      });
  }

  function reportShown() {
    var shown = Array.prototype.map.call(
      document.querySelectorAll("[data-omni-shown]"),
      function (element) {
        return element.dataset.omniShown;
      }
    );
    if (!shown.length) {
      return;
    }
    fetch(shownEndpoint, {
      method: "POST",
      body: JSON.stringify({ shown: shown }),
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json" },
    });
  }

  function start() {
    var placeholders = document.querySelectorAll("[data-omni-fragment]");
    Promise.all(Array.prototype.map.call(placeholders, fill)).then(reportShown);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
