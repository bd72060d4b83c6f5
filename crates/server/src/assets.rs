//! The web page: `crates/server/assets/` embedded in the binary, served at `/` (index.html) and
//! `/assets/*`.

use crate::error::HttpError;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use include_dir::{include_dir, Dir};

static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// The content type of a file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The embedded file at `path`, if there is one.
pub fn file(path: &str) -> Option<&'static [u8]> {
    // Only plain relative paths: no `..`, no absolute paths, no hidden files.
    if path.is_empty()
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg.starts_with('.'))
    {
        return None;
    }
    ASSETS.get_file(path).map(|f| f.contents())
}

/// Every embedded file's path, sorted.
pub fn paths() -> Vec<String> {
    fn walk(dir: &Dir<'_>, out: &mut Vec<String>) {
        for f in dir.files() {
            out.push(f.path().to_string_lossy().replace('\\', "/"));
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&ASSETS, &mut out);
    out.sort();
    out
}

/// `body` served as the asset `path`: its content type, revalidated on every load.
fn respond(path: &str, body: impl IntoResponse) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    // Not fingerprinted: revalidate, so a new binary's page is seen at once.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn serve(path: &str) -> Response {
    match file(path) {
        Some(bytes) => respond(path, bytes),
        None => HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no asset '{path}'"),
        )
        .into_response(),
    }
}

/// `GET /`: the web page.
pub async fn index() -> Response {
    serve("index.html")
}

/// `GET /assets/{*path}`: its scripts, styles and images, and the generated [`METHODS_JS`].
pub async fn asset(Path(path): Path<String>) -> Response {
    if path == METHODS_JS {
        return respond(METHODS_JS, methods_js_source());
    }
    serve(&path)
}

/// The one asset made at run time: the decision-method names as a module, written from the
/// api's list (the engine's), so that the page offers exactly the methods the engine knows.
pub const METHODS_JS: &str = "methods.js";

/// The body of [`METHODS_JS`].
pub fn methods_js_source() -> String {
    let names =
        serde_json::to_string(&stackmatrix_api::METHOD_NAMES).expect("a list of names serialises");
    format!(
        "// Made by the server from the engine's list of decision methods, in its order.\n\
         export const METHODS = {names};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_and_paths() {
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("index.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
        assert!(file("../Cargo.toml").is_none());
        assert!(file("/index.html").is_none());
        assert!(file("a//b").is_none());
        assert!(file("index.html").is_some());
        assert!(paths().contains(&"index.html".to_string()));
    }

    #[test]
    fn methods_module_lists_the_engine_methods_and_no_file_shadows_it() {
        let src = methods_js_source();
        assert!(
            src.contains(r#"export const METHODS = ["wsm","wpm","topsis","vikor","promethee","waspas","copras","edas"];"#),
            "{src}"
        );
        assert!(
            file(METHODS_JS).is_none(),
            "a static methods.js would be shadowed"
        );
    }
}
