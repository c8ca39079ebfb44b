/* Playbook site behaviour: the alignment self-assessment, onboarding ticks and what changed since the last visit.
   Works offline and under Material's instant navigation; content is inserted as text, never as HTML. */
(function () {
  "use strict";

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function stageOf(stages, total) {
    for (var i = 0; i < stages.length; i += 1) {
      if (total >= stages[i].low && total <= stages[i].high) return { stage: stages[i], index: i };
    }
    return null;
  }

  function indexOf(stages, id) {
    for (var i = 0; i < stages.length; i += 1) if (stages[i].id === id) return i;
    return -1;
  }

  function initAssessment() {
    var form = document.getElementById("pb_self_assessment");
    if (!form || !form.getAttribute("data-pb-assessment") || form.getAttribute("data-pb-ready")) return;
    form.setAttribute("data-pb-ready", "1");
    var data = JSON.parse(form.getAttribute("data-pb-assessment"));
    var result = document.getElementById("pb_assessment_result");
    var count = data.questions.length;
    var max = count * 5;

    function position() {
      var parts = [];
      if (data.current) parts.push("The playbook places the teams at " + data.current.name + " today");
      if (data.target) parts.push((parts.length ? "aiming for " : "The playbook aims for ") + data.target.name);
      return parts.length ? parts.join(", ") + "." : "";
    }

    function update() {
      var total = 0;
      var answered = 0;
      data.questions.forEach(function (id) {
        var checked = form.querySelector('input[name="pb-q-' + id + '"]:checked');
        if (checked) {
          answered += 1;
          total += Number(checked.value);
        }
      });
      var left = count - answered;
      result.textContent = "";
      if (left > 0) {
        result.removeAttribute("data-stage");
        result.appendChild(element("p", answered === 0
          ? (count === 1 ? "Answer the statement to see your stage." : "Answer all " + count + " statements to see your stage.")
          : left + (left === 1 ? " statement" : " statements") + " left to answer."));
        if (position()) result.appendChild(element("p", position(), "pb-assessment__position"));
        return;
      }
      var found = stageOf(data.stages, total);
      if (!found) {
        result.removeAttribute("data-stage");
        result.appendChild(element("p", "Your total is " + total + " of " + max + ", outside every stage's band."));
        return;
      }
      var stage = found.stage;
      result.setAttribute("data-stage", stage.id);
      result.appendChild(element("p", "Your total is " + total + " of " + max + ".", "pb-assessment__total"));
      result.appendChild(element("h3", "Stage: " + stage.name));
      result.appendChild(element("p", stage.description));
      if (stage.next_steps.length) {
        result.appendChild(element("p", "Next steps", "pb-assessment__next"));
        var list = element("ul");
        stage.next_steps.forEach(function (step) { list.appendChild(element("li", step)); });
        result.appendChild(list);
      }
      var text = position();
      if (data.current) {
        var current = indexOf(data.stages, data.current.id);
        var gap = found.index - current;
        text += gap === 0 ? " Your answers agree with it."
          : " Your answers place you " + Math.abs(gap) + (Math.abs(gap) === 1 ? " stage " : " stages ") + (gap > 0 ? "above" : "below") + " that.";
      }
      if (text) result.appendChild(element("p", text, "pb-assessment__position"));
    }

    var surveyRow = initSurveyRow(form, data.questions);
    form.addEventListener("change", function () { update(); surveyRow(); });
    form.addEventListener("input", surveyRow);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(function () { update(); surveyRow(); }, 0); });
    update();
    surveyRow();
  }

  /* "Add my answers to the team survey": the answers as a CSV row of survey/<round>.csv, to copy or
     download; nothing is sent anywhere. A team that starts like a spreadsheet formula loses the sign. */
  function csvCell(text) {
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function initSurveyRow(form, questions) {
    var box = document.getElementById("pb_survey_row");
    var fn = document.getElementById("pb_survey_function");
    var team = document.getElementById("pb_survey_team");
    var copy = document.getElementById("pb_survey_copy");
    var download = document.getElementById("pb_survey_download");
    var said = document.getElementById("pb_survey_said");
    if (!box || !fn || !team || !copy || !download) return function () {};
    copy.addEventListener("click", function () {
      if (!navigator.clipboard) { box.select(); return; }
      navigator.clipboard.writeText(box.value).then(function () { if (said) said.textContent = "Copied."; },
        function () { box.select(); });
    });
    return function () {
      if (said) said.textContent = "";
      if (!fn.value) {
        box.value = "Choose your function to see your row.";
        copy.disabled = true;
        download.removeAttribute("href");
        download.setAttribute("aria-disabled", "true");
        return;
      }
      var answers = questions.map(function (id) {
        var checked = form.querySelector('input[name="pb-q-' + id + '"]:checked');
        return checked ? checked.value : "";
      });
      var name = team.value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, "").trim().replace(/^[=+\-@\s]+/, "");
      var text = ["function,team," + questions.join(","), [fn.value, csvCell(name)].concat(answers).join(",")].join("\n") + "\n";
      box.value = text;
      copy.disabled = false;
      download.setAttribute("href", "data:text/csv;charset=utf-8," + encodeURIComponent(text));
      download.removeAttribute("aria-disabled");
    };
  }

  function storage() {
    try {
      var probe = "pb-probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;  // private mode or storage disabled: ticks simply do not persist
    }
  }

  function initOnboarding() {
    var store = storage();
    var boxes = document.querySelectorAll("input[data-pb-onboarding]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.getAttribute("data-pb-ready")) return;
      box.setAttribute("data-pb-ready", "1");
      // The key is made on the server from the site, the role and a hash of the step's text.
      var key = "pb-onboarding:" + box.getAttribute("data-pb-onboarding");
      if (store && store.getItem(key) === "1") box.checked = true;
      box.addEventListener("change", function () {
        if (!store) return;
        if (box.checked) store.setItem(key, "1"); else store.removeItem(key);
      });
    });
  }

  // --- Since your last visit: the fingerprints of what each page shows (assets/playbook/since.js, data
  // written by the build) against those this browser saw. Kept in localStorage; nothing is sent anywhere.
  var SINCE_SCRIPT = "assets/playbook/since.js";
  var SINCE_KEPT = 8;  // fingerprints kept per page: going back to an older version marks nothing it saw

  function readSeen(store, key) {
    try {
      var seen = JSON.parse(store.getItem(key) || "null");
      if (!seen || typeof seen.pages !== "object" || seen.pages === null) return null;
      return seen;
    } catch (error) {
      return null;
    }
  }

  function seenEntry(seen, path) {
    var entry = Object.prototype.hasOwnProperty.call(seen.pages, path) ? seen.pages[path] : null;
    return entry && Array.isArray(entry.f) ? entry : null;
  }

  function siteRoot() {
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i += 1) {
      var src = scripts[i].src.split("?")[0];
      if (src.slice(-SINCE_SCRIPT.length) === SINCE_SCRIPT) return src.slice(0, -SINCE_SCRIPT.length);
    }
    return null;
  }

  function markNav(data, changed) {
    var root = siteRoot();
    if (root === null) return;
    var byUrl = {};
    Object.keys(data.pages).forEach(function (path) { byUrl[data.pages[path].url] = path; });
    Array.prototype.forEach.call(document.querySelectorAll(".md-nav a[href], .md-tabs a[href]"), function (link) {
      var address = new URL(link.getAttribute("href"), window.location.href).href.split("#")[0].split("?")[0];
      if (address.slice(0, root.length) !== root) return;
      var path = byUrl[address.slice(root.length)];
      var mark = link.querySelector(".pb-since-mark");
      if (path && changed[path] && !mark) {
        mark = element("span", "changed", "pb-since-mark");
        mark.setAttribute("title", "Changed since your last visit");
        mark.setAttribute("data-pb-since", path);
        var title = link.querySelector(".md-ellipsis");  // beside the title (never cut off with it), before a section's arrow
        if (title) title.parentNode.insertBefore(mark, title.nextSibling); else link.appendChild(mark);
      } else if (mark && !(path && changed[path])) {
        mark.parentNode.removeChild(mark);
      }
    });
  }

  function showPageNote(store, key, seen, data, changed) {
    var place = document.querySelector(".pb-since[data-pb-page]");
    if (!place) return;
    var path = place.getAttribute("data-pb-page");
    var entry = seenEntry(seen, path);
    var fingerprint = place.getAttribute("data-pb-fingerprint");
    if (entry && entry.f.indexOf(fingerprint) >= 0) {
      place.hidden = true;
      return;
    }
    place.textContent = "";
    var note = element("p");
    note.appendChild(element("strong", entry ? "Changed since your last visit" : "New since your last visit"));
    note.appendChild(document.createTextNode(entry
      ? ": the definitions on this page changed since you last read it" + (typeof entry.v === "string" && entry.v ? " (in version " + entry.v + ")." : ".")
      : ": this page was not in the playbook when you last read it."));
    place.appendChild(note);
    var button = element("button", "Mark as read");
    button.type = "button";
    button.addEventListener("click", function () {
      var kept = (seenEntry(seen, path) || { f: [] }).f.filter(function (one) { return one !== fingerprint; });
      kept.push(fingerprint);
      seen.pages[path] = { f: kept.slice(-SINCE_KEPT), v: data.version };
      store.setItem(key, JSON.stringify(seen));
      place.hidden = true;
      delete changed[path];
      markNav(data, changed);
    });
    place.appendChild(element("p")).appendChild(button);
    place.hidden = false;
  }

  function initSince() {
    var data = window.__pbSince;
    var store = storage();
    if (!data || typeof data.pages !== "object" || !store) return;
    var key = "pb-since:" + data.site;
    var seen = readSeen(store, key);
    if (!seen) {  // a first visit: what this version shows is what the reader has seen
      seen = { pages: {} };
      Object.keys(data.pages).forEach(function (path) { seen.pages[path] = { f: [data.pages[path].fp], v: data.version }; });
      store.setItem(key, JSON.stringify(seen));
      return;
    }
    var changed = {};
    Object.keys(data.pages).forEach(function (path) {
      var entry = seenEntry(seen, path);
      if (!entry || entry.f.indexOf(data.pages[path].fp) < 0) changed[path] = true;
    });
    markNav(data, changed);
    showPageNote(store, key, seen, data, changed);
  }

  function labelDialogs() {
    // Material's search overlay is a dialog without a name; screen readers announce it as "Search".
    Array.prototype.forEach.call(document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])'), function (dialog) {
      dialog.setAttribute("aria-label", dialog.classList.contains("md-search") ? "Search" : "Dialog");
    });
  }

  function init() {
    labelDialogs();
    initAssessment();
    initOnboarding();
    initSince();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
