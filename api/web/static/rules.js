// The parsing-rule editor: highlight a value in the sample, click its field, and the learned mapping is
// added to the rule (shown with what it gives on the sample and on other recent mails). Dry runs show
// their result in place. Without this script the editor still works: mappings are edited as JSON.
(function () {
  "use strict";
  var form = document.getElementById("rule-form");
  var picker = document.getElementById("field-picker");
  var jsonBox = document.getElementById("mappings-json");
  if (!form || !jsonBox) { return; }
  var table = document.querySelector("#mappings tbody");
  var result = document.getElementById("learn-result");
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
  var sampleValues = {};  // field -> value on the sample, from learning

  function mappings() {
    try { return JSON.parse(jsonBox.value || "[]"); } catch (e) { return null; }
  }

  function text(node, value) { node.textContent = value == null ? "" : String(value); return node; }

  function el(tag, value, cls) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    return text(node, value);
  }

  function describe(ex) {
    switch (ex.type) {
      case "label": return "label “" + ex.labels[0] + "”" + (ex.labels.length > 1 ? " (+" + (ex.labels.length - 1) + " synonyms)" : "") + (ex.multiline ? ", several lines" : "");
      case "between": return "between “" + ex.start.replace(/\n/g, "⏎") + "” and " + (ex.end ? "“" + ex.end + "”" : "the end of the line");
      case "regex": return "regex " + ex.pattern;
      case "html_table": return "table cell " + (ex.by === "row" ? "beside “" : "under “") + ex.label + "”";
      case "json": return "JSON " + ex.path;
      case "csv": return "CSV column “" + ex.column + "”, row " + ex.row;
      case "header": return "header " + ex.name;
      case "signature": return "signature " + ex.field;
      case "message": return "the mail's " + ex.field;
      default: return ex.type;
    }
  }

  function render() {
    var list = mappings();
    if (!table) { return; }
    table.innerHTML = "";
    if (list === null) {
      var bad = document.createElement("tr");
      bad.appendChild(el("td", "The JSON below is not valid.", "error")).colSpan = 5;
      table.appendChild(bad);
      return;
    }
    list.forEach(function (m, i) {
      var row = document.createElement("tr");
      row.dataset.field = m.field;
      row.appendChild(el("td", m.field));
      row.appendChild(el("td", describe(m.extractor || {})));
      row.appendChild(el("td", (m.transforms || []).map(function (t) { return t.type + (t.region ? " " + t.region : "") + (t.part ? " " + t.part : "") + (t.to ? " " + t.to : ""); }).join(", ")));
      row.appendChild(el("td", sampleValues[m.field] == null ? "" : sampleValues[m.field], "value"));
      var cell = document.createElement("td");
      var remove = el("button", "remove", "link");
      remove.type = "button";
      remove.addEventListener("click", function () {
        var now = mappings() || [];
        now.splice(i, 1);
        jsonBox.value = JSON.stringify(now, null, 1);
        render();
      });
      cell.appendChild(remove);
      row.appendChild(cell);
      table.appendChild(row);
    });
  }

  // Where the selection is: its text, the sample it is in, and its offset in that sample's text.
  function selection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    var node = range.startContainer;
    var pre = node.nodeType === 1 ? node.closest("pre.sample") : node.parentElement && node.parentElement.closest("pre.sample");
    if (!pre) { return null; }
    var before = document.createRange();
    before.setStart(pre, 0);
    before.setEnd(range.startContainer, range.startOffset);
    return { text: range.toString(), start: before.toString().length, source: pre.dataset.source, range: range };
  }

  function mark(range, field) {
    try {
      var m = document.createElement("mark");
      m.title = field;
      range.surroundContents(m);
    } catch (e) { /* a selection across elements stays unmarked */ }
  }

  function showLearned(data) {
    result.innerHTML = "";
    var box = el("div", "", "learn-note");
    box.appendChild(el("strong", data.mapping.field + " = "));
    box.appendChild(el("span", data.value == null ? "∅" : data.value, "learned-value"));
    box.appendChild(el("div", "found by " + describe(data.mapping.extractor), "small"));
    (data.notes || []).forEach(function (n) { box.appendChild(el("div", n, "small")); });
    if (data.others && data.others.length) {
      box.appendChild(el("div", "On other recent mails of this rule:", "small"));
      var ul = el("ul", "", "small others");
      data.others.forEach(function (o) {
        var f = o.fields[0] || {};
        ul.appendChild(el("li", (o.subject || "(no subject)") + " → " + (f.error ? "⚠ " + f.error : (f.value == null ? "∅ (not found)" : f.value))));
      });
      box.appendChild(ul);
    }
    result.appendChild(box);
  }

  function showError(message) {
    result.innerHTML = "";
    var p = el("p", message, "error");
    p.setAttribute("role", "alert");
    result.appendChild(p);
  }

  if (picker) {
    picker.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-field]");
      if (!button) { return; }
      var sel = selection();
      if (!sel) { showError("First highlight the value in the sample."); return; }
      var body = new FormData(form);
      body.set("field", button.dataset.field);
      body.set("selection", sel.text);
      body.set("start", String(sel.start));
      body.set("source", sel.source);
      fetch("/admin/rules/learn", { method: "POST", body: body, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (answer) {
          if (!answer.ok) { showError(answer.data.error ? answer.data.error.message : "Learning failed."); return; }
          var list = mappings() || [];
          list = list.filter(function (m) { return m.field !== answer.data.mapping.field; });
          list.push(answer.data.mapping);
          jsonBox.value = JSON.stringify(list, null, 1);
          sampleValues[answer.data.mapping.field] = answer.data.value;
          mark(sel.range, answer.data.mapping.field);
          window.getSelection().removeAllRanges();
          render();
          showLearned(answer.data);
        })
        .catch(function () { showError("The service did not answer."); });
    });
  }

  var dry = document.getElementById("dry-run");
  var out = document.getElementById("dry-run-result");
  if (dry && out) {
    dry.addEventListener("click", function (event) {
      event.preventDefault();
      out.textContent = "Running…";
      fetch("/admin/rules/dry-run", { method: "POST", body: new FormData(form), credentials: "same-origin",
                                      headers: { "X-CSRF-Token": csrf, "X-Fragment": "1" } })
        .then(function (r) { return r.text(); })
        .then(function (html) { out.innerHTML = html; })
        .catch(function () { out.textContent = "The service did not answer."; });
    });
  }

  var module = document.getElementById("rule-module");
  if (module && picker && module.value !== picker.dataset.module) { module.value = picker.dataset.module; }
  if (module && picker) {
    module.addEventListener("change", function () {
      var list = mappings() || [];
      if (list.length && !window.confirm("The fields learned so far belong to the other module. Start over?")) {
        module.value = picker.dataset.module;
        return;
      }
      var url = new URL(window.location.href);
      var emailId = form.querySelector("input[name=email_id]").value;
      if (url.pathname === "/admin/rules/new" && emailId) {
        url.searchParams.set("email_id", emailId);
        url.searchParams.set("module", module.value);
        window.location.href = url.toString();
      }
    });
  }
  jsonBox.addEventListener("input", render);
  render();
})();
