// Starts Swagger UI on the API docs page. A file rather than an inline script, so the
// page runs under the console's Content-Security-Policy (script-src 'self').
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The public validator badge would send the document to a third-party host.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
});
