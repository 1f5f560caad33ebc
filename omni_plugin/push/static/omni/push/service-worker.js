/* Oscar Omni service worker: shows the shop's pushes, opens what they link to, reports
 * that they were shown and clicked, and keeps the subscription when the push service
 * renews it. push.views.service_worker serves it from the site's root and sets
 * self.omniPush = {receipts, resubscribe, config} (the plugin's URLs) before it. */
"use strict";

var urls = self.omniPush;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", function (event) {
  var message = readMessage(event.data);
  var options = { body: message.body || "", data: { url: message.url || "/", receipt: message.receipt } };
  // A push that reaches the browser twice (sent again after its sender died before it
  // wrote down the first) replaces its own notification rather than showing twice.
  options.tag = message.tag || message.receipt || "";
  ["icon", "image"].forEach(function (name) {
    if (message[name]) {
      options[name] = message[name];
    }
  });
  event.waitUntil(
    self.registration.showNotification(message.title, options).then(function () {
      return report(message.receipt, "shown");
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  var data = event.notification.data || {};
  var url = new URL(data.url || "/", self.location.origin).href;
  event.notification.close();
  event.waitUntil(Promise.all([focusOrOpen(url), report(data.receipt, "clicked")]));
});

self.addEventListener("pushsubscriptionchange", function (event) {
  var old = event.oldSubscription;
  if (!old) {
    return; // nothing proves which subscription this browser had: the next opt-in renews it
  }
  event.waitUntil(
    renewedSubscription(event).then(function (subscription) {
      return post(urls.resubscribe, {
        old_endpoint: old.endpoint,
        subscription: subscription.toJSON(),
      });
    })
  );
});

/* The push's JSON; a push that is not JSON still shows, as a notification from the shop. */
function readMessage(data) {
  var message = null;
  try {
    message = data ? data.json() : null;
  } catch (notJson) {
    message = { body: data.text() };
  }
  if (!message || typeof message !== "object") {
    message = {};
  }
  if (!message.title) {
    message.title = self.location.host;
  }
  return message;
}

function focusOrOpen(url) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (tabs) {
    for (var i = 0; i < tabs.length; i++) {
      if (tabs[i].url === url && "focus" in tabs[i]) {
        return tabs[i].focus();
      }
    }
    return self.clients.openWindow(url);
  });
}

function renewedSubscription(event) {
  if (event.newSubscription) {
    return Promise.resolve(event.newSubscription);
  }
  var options = event.oldSubscription.options;
  if (options && options.applicationServerKey) {
    return self.registration.pushManager.subscribe(options);
  }
  return fetch(urls.config, { credentials: "same-origin" })
    .then(function (response) {
      return response.json();
    })
    .then(function (config) {
      return self.registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlBytes(config.publicKey),
      });
    });
}

function report(receipt, event) {
  if (!receipt) {
    return Promise.resolve();
  }
  // A report that cannot be sent (offline) is lost: the notification matters more.
  return post(urls.receipts, { receipt: receipt, event: event }).catch(function () {});
}

function post(url, payload) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
}

function base64UrlBytes(text) {
  var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), function (character) {
    return character.charCodeAt(0);
  });
}
