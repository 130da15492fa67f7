// Starts Swagger UI on the API docs page. A file of its own rather than an inline script,
// so that the page runs under the site's Content-Security-Policy (script-src 'self').
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // The default validator badge would load an image from a third-party site.
    validatorUrl: null,
    // Tokens typed into "Authorize" stay in this tab only.
    persistAuthorization: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
