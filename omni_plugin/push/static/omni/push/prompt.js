/* Oscar Omni push opt-in: the site asks first, and the browser asks only after "Yes".
 * The banner stays hidden without push support, once permission is denied, while this
 * browser is subscribed, before the visitor's n-th page view and for a while after
 * "Not now". window.omniPush.unsubscribe() ends the subscription (for a privacy page). */
(function () {
  "use strict";
  var prompt = document.querySelector("[data-omni-push-prompt]");
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!prompt || !supported) {
    return;
  }
  var settings = prompt.dataset;
  var status = prompt.querySelector("[data-omni-push-status]");
  var yes = prompt.querySelector("[data-omni-push-yes]");
  var notNow = prompt.querySelector("[data-omni-push-not-now]");
  var DAY = 24 * 60 * 60 * 1000;

  var pageViews = Number(remembered("pageViews") || 0) + 1;
  remember("pageViews", pageViews);
  window.omniPush = { unsubscribe: unsubscribe };

  yes.addEventListener("click", optIn);
  notNow.addEventListener("click", snooze);
  prompt.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      snooze();
    }
  });

  if (Notification.permission === "denied" || snoozed() || pageViews < Number(settings.afterPages)) {
    return;
  }
  currentSubscription().then(function (subscription) {
    prompt.hidden = Boolean(subscription);
  });

  function optIn() {
    yes.disabled = notNow.disabled = true;
    var permission = Notification.requestPermission(); // within the click, as browsers require
    var worker = navigator.serviceWorker.register(settings.serviceWorker, { scope: "/" });
    Promise.all([permission, configuration(), worker])
      .then(function (results) {
        if (results[0] !== "granted") {
          return refused(results[0]);
        }
        return subscribe(results[1]).then(function () {
          prompt.hidden = true;
        });
      })
      .catch(function () {
        say(settings.failedMessage);
        yes.disabled = notNow.disabled = false;
      });
  }

  function subscribe(config) {
    return navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: base64UrlBytes(config.publicKey),
        });
      })
      .then(function (subscription) {
        return post(config.subscribeUrl, subscription.toJSON());
      });
  }

  function refused(permission) {
    if (permission === "denied") {
      say(settings.blockedMessage);
      yes.hidden = true;
      notNow.disabled = false;
    } else {
      snooze(); // the browser's own question was dismissed
    }
  }

  function snooze() {
    remember("snoozedAt", Date.now());
    prompt.hidden = true;
  }

  function snoozed() {
    var since = Number(remembered("snoozedAt"));
    return Boolean(since) && Date.now() - since < Number(settings.snoozeDays) * DAY;
  }

  function unsubscribe() {
    return currentSubscription().then(function (subscription) {
      if (!subscription) {
        return false;
      }
      var endpoint = subscription.endpoint;
      return subscription
        .unsubscribe()
        .then(configuration)
        .then(function (config) {
          return post(config.unsubscribeUrl, { endpoint: endpoint });
        })
        .then(function () {
          return true;
        });
    });
  }

  function currentSubscription() {
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    });
  }

  /* The public key and URLs; fetching them also sets the CSRF cookie. */
  function configuration() {
    return fetch(settings.config, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("push configuration: " + response.status);
      }
      return response.json();
    });
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie(settings.csrfCookie) },
      body: JSON.stringify(payload),
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": " + response.status);
      }
      return response;
    });
  }

  function say(message) {
    status.textContent = message;
  }

  function cookie(name) {
    var prefix = name + "=";
    var found = document.cookie.split("; ").filter(function (pair) {
      return pair.indexOf(prefix) === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }

  // Browsers may refuse storage (private modes): the prompt then shows as for a first visit.
  function remembered(name) {
    try {
      return window.localStorage.getItem("omniPush." + name);
    } catch (unavailable) {
      return null;
    }
  }

  function remember(name, value) {
    try {
      window.localStorage.setItem("omniPush." + name, String(value));
    } catch (unavailable) {
      // nothing to do: see remembered()
    }
  }

  function base64UrlBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), function (character) {
      return character.charCodeAt(0);
    });
  }
})();
