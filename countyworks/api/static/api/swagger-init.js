/* Starts Swagger UI from our own static files (the CSP forbids CDNs and inline scripts).
   Settings come from a JSON block; the session's CSRF token is sent on unsafe requests. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (req) {
    if (csrfToken && !/^(GET|HEAD|OPTIONS)$/i.test(req.method || "GET")) {
      req.headers["X-CSRFToken"] = csrfToken;
    }
    return req;
  };
  SwaggerUIBundle(config);
})();
