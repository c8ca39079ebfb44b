/* A published version (`playbook publish`): the "This is an earlier version" banner, shown exactly on
   versions older than the one the current alias (`latest`) points to. Material decides from the
   version's own names, so after a roll-back (`playbook alias 1.1 latest`) it would mark the newer 1.2
   as earlier; here the order of versions.json (mike's, newest first) decides. Reads versions.json from
   this site only; nothing is sent anywhere. */
(function () {
  "use strict";

  function settings() {
    var node = document.getElementById("__config");
    if (!node) return null;
    try {
      var config = JSON.parse(node.textContent);
      var version = config.version && config.version.playbook;
      return version && version.version ? { base: config.base, version: version } : null;
    } catch (error) {
      return null;
    }
  }

  function position(list, names) {
    for (var i = 0; i < list.length; i += 1) {
      var entry = list[i];
      var own = [entry.version].concat(entry.aliases || []);
      for (var j = 0; j < names.length; j += 1) if (own.indexOf(names[j]) !== -1) return i;
    }
    return -1;
  }

  function show(outdated) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-md-component=outdated]"), function (banner) {
      banner.hidden = !outdated;
    });
    document.documentElement.setAttribute("data-pb-outdated", outdated ? "yes" : "no");
  }

  function init() {
    var found = settings();
    if (!found || !window.fetch) return;
    var base = new URL(found.base || ".", location.href);
    fetch(new URL("../versions.json", base.href.replace(/\/?$/, "/")).href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (list) {
        if (!Array.isArray(list)) return;
        var mine = position(list, [found.version.version]);
        var current = position(list, found.version.current || ["latest"]);
        show(mine !== -1 && current !== -1 && mine > current);
      })
      .catch(function () { /* no versions.json (a site read from disk): no banner */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
