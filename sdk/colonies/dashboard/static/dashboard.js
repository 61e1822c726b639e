// Live updates for the blueprint dashboard: re-fetch the server-rendered fragment of the
// live region every few hundred milliseconds and swap it in when it changed (ETag / 304).
// Open <details> (process logs) stay open across swaps. No framework, no build step.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var banner = document.getElementById("connection");
  if (!live || !live.dataset.liveUrl) {
    return;
  }
  var url = live.dataset.liveUrl;
  var interval = Number(live.dataset.interval) || 1000;
  var etag = "";

  function showProblem(text) {
    banner.textContent = text;
    banner.hidden = false;
    document.body.classList.add("stale");
  }

  function clearProblem() {
    banner.hidden = true;
    banner.textContent = "";
    document.body.classList.remove("stale");
  }

  function openKeys() {
    var keys = new Set();
    live.querySelectorAll("details[open][data-key]").forEach(function (el) {
      keys.add(el.dataset.key);
    });
    return keys;
  }

  // Times arrive in UTC (readable without JavaScript); show them in the viewer's zone.
  var localTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  function localizeTimes() {
    live.querySelectorAll("time[datetime]").forEach(function (el) {
      var moment = new Date(el.dateTime);
      if (!isNaN(moment.getTime())) {
        el.title = el.textContent;
        el.textContent = localTime.format(moment);
      }
    });
  }

  function swap(html) {
    var keep = openKeys();
    live.innerHTML = html; // server-rendered; every value escaped on the server
    live.querySelectorAll("details[data-key]").forEach(function (el) {
      if (keep.has(el.dataset.key)) {
        el.open = true;
      }
    });
    localizeTimes();
    live.dispatchEvent(new CustomEvent("dashboard:updated"));
  }

  async function refresh() {
    try {
      var headers = etag ? { "If-None-Match": etag } : {};
      var response = await fetch(url, { headers: headers, cache: "no-store" });
      if (response.status === 304) {
        clearProblem();
        return;
      }
      var html = await response.text();
      if (response.ok) {
        etag = response.headers.get("ETag") || "";
        swap(html);
        clearProblem();
      } else {
        // Keep the last good view (dimmed) and say why it is stale.
        var reason = new DOMParser().parseFromString(html, "text/html").body.textContent;
        showProblem("Update failed (HTTP " + response.status + "): " + reason.trim());
      }
    } catch (error) {
      showProblem("Lost connection to the dashboard; retrying.");
    } finally {
      window.setTimeout(refresh, interval);
    }
  }

  async function reconcile(button) {
    button.disabled = true;
    try {
      var response = await fetch(button.dataset.reconcileUrl, {
        method: "POST",
        headers: { "X-Colonies-Dashboard": "1" },
      });
      if (!response.ok) {
        showProblem("Reconcile failed: " + (await response.text()));
      }
    } catch (error) {
      showProblem("Reconcile failed: the dashboard is unreachable.");
    } finally {
      button.disabled = false;
    }
  }

  live.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-reconcile-url]");
    if (button) {
      reconcile(button);
    }
  });

  localizeTimes();
  window.setTimeout(refresh, interval);
})();
