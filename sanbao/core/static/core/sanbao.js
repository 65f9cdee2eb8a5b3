/* Sanbao's page glue: htmx behaviour every page shares. No third-party calls. */
(function () {
  "use strict";
  var loginUrl = document.body.dataset.loginUrl;
  // An expired session turns an htmx request into the login page; show it as a
  // page instead of swapping it into a table.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var responseUrl = event.detail.xhr.responseURL || "";
    if (loginUrl && responseUrl.indexOf(loginUrl) !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(responseUrl);
    }
  });
})();
