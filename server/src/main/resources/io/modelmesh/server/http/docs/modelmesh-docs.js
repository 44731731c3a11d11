// The API page of a ModelMesh server: Swagger UI on this server's own OpenAPI document (GET /openapi).
// "Authorize" takes a token (mmctl token create, or MM_HOME/admin-token); Swagger UI then sends
// "Authorization: Bearer <token>" with each call. The token stays in this page's memory only.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    persistAuthorization: false,
    displayRequestDuration: true
  });
};
