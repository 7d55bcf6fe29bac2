// The desk's only script of its own, served from /static so the Content-Security-Policy can forbid
// inline script ("script-src 'self'"): it counts htmx swaps on <body data-settled> so tests and
// assistive tools can tell when a live update has finished.
document.addEventListener("htmx:afterSettle", function () {
  document.body.dataset.settled = String(Number(document.body.dataset.settled || 0) + 1);
});
