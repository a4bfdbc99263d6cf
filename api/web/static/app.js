// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // While jobs are running, refresh the jobs page so progress moves.
  var jobs = document.getElementById("jobs");
  if (jobs && jobs.dataset.refresh === "1") {
    setTimeout(function () { window.location.reload(); }, 1500);
  }
})();
