// Live preview (debug server only): reload this tab when a page, template, static file or
// site.toml changes. The server's fingerprint of those files is polled every second.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.url;
  if (!url || !window.fetch) {
    return;
  }
  var interval = 1000;
  var seen = script.dataset.fingerprint || null;

  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("live reload: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (seen !== null && data.fingerprint !== seen) {
          window.location.reload();
          return;
        }
        seen = data.fingerprint;
        window.setTimeout(poll, interval);
      })
      .catch(function () {
        // The server is restarting (site.toml changed): keep asking until it is back.
        window.setTimeout(poll, interval);
      });
  }

  window.setTimeout(poll, interval);
})();
