// Counts a push campaign's audience again whenever the editor changes the edit form.
(() => {
  "use strict";

  const DELAY_MS = 400;

  function watch(panel) {
    const form = panel.closest("form");
    if (!form) return;
    const figures = panel.querySelector("dl");
    const status = panel.querySelector("[data-omni-push-estimate-status]");
    let timer = null;
    let latest = 0;

    async function count() {
      const request = ++latest;
      try {
        const response = await fetch(panel.dataset.url, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const answer = await response.json();
        if (request !== latest) return; // a newer count is on its way
        if (!response.ok) {
          status.textContent = answer.error;
          return;
        }
        for (const [name, value] of Object.entries(answer)) {
          const figure = panel.querySelector(`[data-figure="${name}"]`);
          if (figure) figure.textContent = value;
        }
        figures.hidden = false;
        status.textContent = panel.dataset.countedMessage || "";
      } catch {
        // Offline or signed out: the figures shown stay as they were.
      }
    }

    form.addEventListener("change", () => {
      clearTimeout(timer);
      timer = setTimeout(count, DELAY_MS);
    });
  }

  function start() {
    document.querySelectorAll("[data-omni-push-estimate]").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
