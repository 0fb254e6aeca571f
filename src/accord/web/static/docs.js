// accord: start Swagger UI (served from the installed swagger-ui-bundle package) on the OpenAPI schema.
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-openapi"), domNode: el, deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"
  });
})();
