/* Oscar Omni store availability: fills <div data-omni-store-availability="/omni/stores/
 * availability/<id>/"> with the product's stock in the stores, for this visitor. The page
 * stays the same for everyone; the fragment is fetched per visitor. Its "Choose this
 * store" and "Tell me when it's back" forms are posted in the background, then the
 * fragment is fetched again. */
(function () {
  "use strict";

  function load(slot) {
    return fetch(slot.dataset.omniStoreAvailability, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        slot.innerHTML = html;
      })
      .catch(function () {
        slot.innerHTML = "";
      });
  }

  function say(slot, message) {
    var element = slot.querySelector("[data-omni-store-message]");
    if (element) {
      element.textContent = message;
      element.hidden = false;
    }
  }

  /* The view answers a choice with a redirect to the page: not followed, the fragment is
   * fetched again instead. A refusal's text says why. */
  function choose(slot, form) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = true;
    });
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.ok) {
          return load(slot);
        }
        return response.text().then(function (message) {
          say(slot, message);
        });
      })
      .catch(function () {
        form.submit();
      });
  }

  function start() {
    var slots = document.querySelectorAll("[data-omni-store-availability]");
    Array.prototype.forEach.call(slots, function (slot) {
      if (slot.dataset.omniStarted) {
        return; // the script is on the page once per placeholder
      }
      slot.dataset.omniStarted = "1";
      slot.addEventListener("submit", function (event) {
        if (event.target.matches("[data-omni-choose-store], [data-omni-stock-alert]")) {
          event.preventDefault();
          choose(slot, event.target);
        }
      });
      load(slot);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
