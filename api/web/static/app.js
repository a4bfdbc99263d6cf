// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content;

  // While jobs are running, refresh the jobs page so progress moves.
  var jobs = document.getElementById("jobs");
  if (jobs && jobs.dataset.refresh === "1") {
    setTimeout(function () { window.location.reload(); }, 1500);
  }

  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf || ""},
      body: body ? JSON.stringify(body) : null});
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }  // text only: a sender's name can never inject markup
    return node;
  }

  // Live mail alerts for signed-in people: new mail from one of their contacts or leads.
  function showAlert(data) {
    var box = document.getElementById("toasts");
    if (!box) { box = el("div", {id: "toasts", "aria-live": "polite"}); document.body.appendChild(box); }
    var toast = el("div", {"class": "toast", "data-id": String(data.id)});
    toast.appendChild(el("strong", {}, data.title));
    toast.appendChild(el("p", {}, data.body));
    var actions = el("p", {"class": "actions"});
    var reply = el("a", {href: "/compose?reply_to=" + data.email_id}, "Reply");
    var open = el("a", {href: "/mail/" + data.email_id}, "Open mail");
    actions.appendChild(reply);
    actions.appendChild(document.createTextNode(" · "));
    actions.appendChild(open);
    if (data.record) {
      actions.appendChild(document.createTextNode(" · "));
      actions.appendChild(el("a", {href: "/records/" + data.record.module + "/" + data.record.id},
                              data.record.title));
    }
    var task = el("button", {type: "button", "class": "link follow-up"}, "Follow-up task");
    task.addEventListener("click", function () {
      post("/v1/notifications/" + data.id + "/follow-up").then(function (r) { return r.json(); })
        .then(function (body) {
          task.replaceWith(el("a", {href: "/records/tasks/" + body.task_id, "class": "task-created"},
                              "Task created"));
        });
    });
    var close = el("button", {type: "button", "class": "link close", "aria-label": "Dismiss"}, "×");
    close.addEventListener("click", function () {
      post("/v1/notifications/read", {ids: [data.id]});
      toast.remove();
    });
    actions.appendChild(document.createTextNode(" · "));
    actions.appendChild(task);
    toast.appendChild(actions);
    toast.appendChild(close);
    box.prepend(toast);
  }

  // The inbox from the keyboard: j/k move, Enter opens, x marks "not important".
  var list = document.querySelector("table[data-keyboard] tbody");
  if (list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("tr[data-id]"));
    var at = rows.length ? 0 : -1;
    var select = function (i) {
      if (at >= 0) { rows[at].classList.remove("selected"); }
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows[at].classList.add("selected");
      rows[at].scrollIntoView({block: "nearest"});
    };
    if (at === 0) { select(0); }
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (at < 0 || tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey ||
          event.altKey) { return; }
      if (event.key === "j" || event.key === "ArrowDown") { select(at + 1); event.preventDefault(); }
      else if (event.key === "k" || event.key === "ArrowUp") { select(at - 1); event.preventDefault(); }
      else if (event.key === "Enter" || event.key === "o") { window.location.href = rows[at].dataset.href; }
      else if (event.key === "x") {
        var form = rows[at].querySelector("form.not-important");
        if (form) { form.submit(); }
      }
    });
  }

  if (document.querySelector("header.top nav") && window.EventSource) {
    var source = new EventSource("/v1/notifications/stream");
    source.addEventListener("notification", function (event) { showAlert(JSON.parse(event.data)); });
  }
})();
