// Starts Swagger UI on /docs (a file rather than an inline script, so the page works under the CSP).
(() => {
  "use strict";

  const root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();
