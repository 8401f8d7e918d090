// GraphiQL on Lantern. Queries go to the endpoint with the login session and its CSRF token
// (or with the headers typed in GraphiQL's Headers tab, e.g. an Authorization: Bearer token).
// The query and variables live in the URL, so a query can be shared as a link.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var params = new URLSearchParams(window.location.search);

  function fetcher(graphQLParams, options) {
    var headers = Object.assign(
      { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": root.dataset.csrfToken },
      (options && options.headers) || {}
    );
    return fetch(root.dataset.endpoint, {
      method: "POST",
      headers: headers,
      credentials: "same-origin",
      body: JSON.stringify(graphQLParams),
    }).then(function (response) {
      return response.json();
    });
  }

  function remember(key, value) {
    if (value) params.set(key, value);
    else params.delete(key);
    var search = params.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
      query: params.get("query") || undefined,
      variables: params.get("variables") || undefined,
      onEditQuery: function (value) { remember("query", value); },
      onEditVariables: function (value) { remember("variables", value); },
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    },
    // The corner logo leads back to Lantern's pages.
    React.createElement(GraphiQL.Logo, null, React.createElement("a", { href: "/" }, "Lantern"))
    )
  );
})();
