//! The built-in knowledge base: the files of `data/`, embedded in the binary at build time.

use crate::diagnostic::Diagnostics;
use crate::load::{load, SourceFile};
use crate::KnowledgeBase;
use include_dir::{include_dir, Dir};

static DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data");

/// The files of the built-in knowledge base, sorted by path (`technologies/k3s.toml`, ...).
///
/// `model export` writes exactly these texts, comments included, so an export is the editable
/// source of the built-in knowledge base.
pub fn builtin_files() -> Vec<SourceFile> {
    let mut files = Vec::new();
    collect(&DATA, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn collect(dir: &Dir<'_>, out: &mut Vec<SourceFile>) {
    for f in dir.files() {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if let Some(text) = f.contents_utf8() {
            out.push(SourceFile {
                display: format!("(built-in)/{path}"),
                path,
                text: text.to_string(),
            });
        }
    }
    for d in dir.dirs() {
        // `fleet/` holds the fleet rules (crate::fleet), not knowledge-base entries.
        if d.path() == std::path::Path::new("fleet") {
            continue;
        }
        collect(d, out);
    }
}

/// Loads the built-in knowledge base. It is checked by the test suite, so an error here means
/// the binary was built from a broken `data/` directory.
pub fn builtin() -> Result<KnowledgeBase, Diagnostics> {
    load(&builtin_files())
}
