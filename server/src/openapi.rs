//! The API as an OpenAPI 3.1 document, made from the route table.

use serde_json::{json, Map, Value};

use crate::routes::{Access, ROUTES};

/// The OpenAPI document of every route.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let entry = paths
            .entry(route.path.replace("{*", "{"))
            .or_insert_with(|| json!({}));
        let mut operation =
            json!({ "summary": route.summary, "responses": { "200": { "description": "OK" } } });
        if route.access == Access::Token {
            operation["security"] = json!([{ "bearer": [] }]);
        }
        entry[route.method.to_ascii_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "stagegate server", "version": env!("CARGO_PKG_VERSION") },
        "paths": paths,
        "components": { "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } } },
    })
}
