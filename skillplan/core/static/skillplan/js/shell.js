/* The accessible shell: error-summary focus, idle-timeout warning (WCAG 2.2.1). No framework. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function idleTimer() {
    var body = document.body;
    var timeout = parseInt(body.dataset.idleTimeout || "0", 10);
    var warning = parseInt(body.dataset.idleWarning || "150", 10);
    var dialog = document.getElementById("idle-dialog");
    if (!timeout || !dialog) { return; }
    var countdown = dialog.querySelector("[data-idle-countdown]");
    var extend = dialog.querySelector("[data-idle-extend]");
    var deadline, warnTimer, tick;

    function render() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      countdown.textContent = countdown.dataset.template.replace("%(seconds)s", String(left));
      if (left <= 0) {
        window.location.assign(body.dataset.timeoutUrl);
      }
    }
    function warn() {
      render();
      if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
      extend.focus();
      tick = window.setInterval(render, 1000);
    }
    function reset() {
      window.clearTimeout(warnTimer);
      window.clearInterval(tick);
      deadline = Date.now() + timeout * 1000;
      warnTimer = window.setTimeout(warn, Math.max(0, (timeout - warning) * 1000));
    }
    extend.addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin"
      }).then(function (response) {
        if (response.ok) {
          if (dialog.open && typeof dialog.close === "function") { dialog.close(); } else { dialog.removeAttribute("open"); }
          reset();
        } else {
          window.location.assign(body.dataset.timeoutUrl);
        }
      });
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var headers = (event.detail && event.detail.requestConfig && event.detail.requestConfig.headers) || {};
      if (!headers["X-Skillplan-Background"]) { reset(); }
    });
    reset();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    idleTimer();
  });
})();
