//! Reading a knowledge-base directory (an overlay): which entries are read, and the bounds of
//! the walk.
//!
//! The walk never hangs and never leaves the directory the user named:
//! - each directory is entered once, known by its device and inode, so a symbolic link back to
//!   a directory already read (`loop -> .`) is reported instead of walked again and again;
//! - a symbolic link whose target is outside the directory is refused, naming link and target
//!   (the directory itself may be a link: the user named it);
//! - at most [`MAX_OVERLAY_ENTRIES`] entries, [`MAX_OVERLAY_DEPTH`] levels and
//!   [`KNOWLEDGE_BASE_TOTAL`] bytes are read, each file through [`crate::read::read_text`]
//!   (regular files only, at most [`KNOWLEDGE_BASE_FILE`] each);
//! - named pipes, sockets and devices are reported, never opened for reading.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::SourceFile;
use crate::read::{
    read_text, KNOWLEDGE_BASE_FILE, KNOWLEDGE_BASE_TOTAL, MAX_OVERLAY_DEPTH, MAX_OVERLAY_ENTRIES,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Reads every file of a knowledge-base directory (hidden entries and README files are skipped).
///
/// Unreadable files and files that are not UTF-8 are reported as diagnostics, like any other
/// problem, so one `model check` run shows everything.
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let (files, problems) = read_dir_partial(dir);
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Reads what can be read of a knowledge-base directory: the readable files, and a diagnostic for
/// each file that could not be read. `model check` loads the readable files too, so one run
/// reports the unreadable files and the problems of the others.
pub fn read_dir_partial(dir: &Path) -> (Vec<SourceFile>, Diagnostics) {
    let refuse = |message: String, expected: &str| {
        (
            Vec::new(),
            Diagnostics(vec![problem(dir, message, expected)]),
        )
    };
    if !dir.is_dir() {
        let message = if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return refuse(message.into(), "a knowledge-base directory");
    }
    let (root_canon, root_key) = match std::fs::canonicalize(dir).and_then(|c| {
        let key = dir_key(&c)?;
        Ok((c, key))
    }) {
        Ok(r) => r,
        Err(e) => return refuse(format!("cannot read directory: {e}"), ""),
    };
    let mut walk = Walk {
        root: dir,
        root_canon,
        visited: HashSet::from([root_key]),
        entries: 0,
        bytes: 0,
        stopped: false,
        files: Vec::new(),
        problems: Vec::new(),
    };
    walk.dir(dir, 0);
    walk.files.sort_by(|a, b| a.path.cmp(&b.path));
    (walk.files, Diagnostics(walk.problems))
}

/// A problem of a whole file or directory.
fn problem(path: &Path, message: String, expected: &str) -> Diagnostic {
    Diagnostic {
        file: path.display().to_string(),
        line: None,
        column: None,
        field: String::new(),
        message,
        expected: expected.to_string(),
    }
}

/// What identifies a directory however it is reached: device and inode where there are such.
#[cfg(unix)]
type DirKey = (u64, u64);
#[cfg(not(unix))]
type DirKey = PathBuf;

#[cfg(unix)]
fn dir_key(path: &Path) -> std::io::Result<DirKey> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path)?;
    Ok((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_key(path: &Path) -> std::io::Result<DirKey> {
    std::fs::canonicalize(path)
}

struct Walk<'a> {
    /// The directory as the user named it: the files' relative paths start here.
    root: &'a Path,
    /// Its canonical path: no symbolic link may lead outside it.
    root_canon: PathBuf,
    /// The directories entered so far.
    visited: HashSet<DirKey>,
    /// Entries looked at and bytes read so far, against the walk's bounds.
    entries: usize,
    bytes: u64,
    /// Set when a bound was reached: nothing more is read.
    stopped: bool,
    files: Vec<SourceFile>,
    problems: Vec<Diagnostic>,
}

impl Walk<'_> {
    /// Stops the walk with a diagnostic at the root.
    fn stop(&mut self, message: String) {
        self.stopped = true;
        self.problems.push(problem(
            self.root,
            message,
            "a knowledge-base directory (see docs/knowledge-base.md)",
        ));
    }

    fn dir(&mut self, dir: &Path, depth: usize) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                let message = format!("cannot read directory: {e}");
                self.problems.push(problem(dir, message, ""));
                return;
            }
        };
        // Never list more than the walk may still look at: a directory of millions of
        // entries costs no more than the bound.
        let room = MAX_OVERLAY_ENTRIES - self.entries;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).take(room + 1).collect();
        if entries.len() > room {
            let message = format!(
                "has more than {MAX_OVERLAY_ENTRIES} entries (at {}); stopped reading it",
                dir.display()
            );
            return self.stop(message);
        }
        self.entries += entries.len();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            if self.stopped {
                return;
            }
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name.to_ascii_lowercase().starts_with("readme") {
                continue;
            }
            self.entry(&entry.path(), &name, depth);
        }
    }

    fn entry(&mut self, path: &Path, name: &str, depth: usize) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            // Gone since it was listed: nothing to read.
            return;
        };
        // A link is followed once, to its canonical target, which must be inside the root.
        let (target, is_dir) = if meta.file_type().is_symlink() {
            let target = match std::fs::canonicalize(path) {
                Ok(t) => t,
                Err(e) => {
                    let message = format!("is a symbolic link that cannot be followed: {e}");
                    let expected = "a link to a file inside the knowledge-base directory";
                    self.problems.push(problem(path, message, expected));
                    return;
                }
            };
            if !target.starts_with(&self.root_canon) {
                let message = format!(
                    "is a symbolic link to {}, outside the knowledge-base directory {}",
                    target.display(),
                    self.root.display()
                );
                let expected = "a file or a link inside the directory (copy the file in, or name the other directory with --model)";
                self.problems.push(problem(path, message, expected));
                return;
            }
            let is_dir = target.is_dir();
            (target, is_dir)
        } else {
            (path.to_path_buf(), meta.is_dir())
        };
        if is_dir {
            self.subdir(path, &target, name, depth);
        } else {
            self.file(path, &target);
        }
    }

    fn subdir(&mut self, path: &Path, target: &Path, name: &str, depth: usize) {
        if name.to_ascii_lowercase().ends_with(".toml") {
            let message = "is a directory, not a file".to_string();
            self.problems.push(problem(path, message, "a TOML file"));
            return;
        }
        if depth + 1 > MAX_OVERLAY_DEPTH {
            let message = format!("is more than {MAX_OVERLAY_DEPTH} directories deep; not read");
            let expected = "the layout of docs/knowledge-base.md (two levels)";
            self.problems.push(problem(path, message, expected));
            return;
        }
        match dir_key(target) {
            Ok(key) if !self.visited.insert(key) => {
                let message = format!(
                    "leads to {}, a directory already read (a symbolic link loop or a second link to it)",
                    target.display()
                );
                let expected = "symbolic links that lead to each directory at most once";
                self.problems.push(problem(path, message, expected));
            }
            Ok(_) => self.dir(path, depth + 1),
            Err(e) => {
                let message = format!("cannot read directory: {e}");
                self.problems.push(problem(path, message, ""));
            }
        }
    }

    fn file(&mut self, path: &Path, target: &Path) {
        let rel = path
            .strip_prefix(self.root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match read_text(target, KNOWLEDGE_BASE_FILE) {
            Ok(text) => {
                self.bytes += text.len() as u64;
                if self.bytes > KNOWLEDGE_BASE_TOTAL.bytes {
                    let message = format!(
                        "holds more than {}, the limit for {}; stopped reading it",
                        KNOWLEDGE_BASE_TOTAL.size(),
                        KNOWLEDGE_BASE_TOTAL.what
                    );
                    return self.stop(message);
                }
                self.files.push(SourceFile {
                    path: rel,
                    display: path.display().to_string(),
                    text,
                });
            }
            Err(mut e) => {
                // Name the file where the user sees it, not the link's target.
                e.path = path.to_path_buf();
                self.problems.push(e.diagnostic());
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use std::time::{Duration, Instant};

    fn messages(d: &Diagnostics) -> Vec<String> {
        d.0.iter().map(|d| d.to_string()).collect()
    }

    fn axes(dir: &Path) {
        std::fs::write(dir.join("axes.toml"), "# axes\n").unwrap();
    }

    #[test]
    fn self_links_are_reported_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        let tech = dir.path().join("technologies");
        std::fs::create_dir(&tech).unwrap();
        symlink(".", tech.join("a")).unwrap();
        symlink(".", tech.join("b")).unwrap();
        symlink("..", tech.join("up")).unwrap();
        axes(dir.path());
        let start = Instant::now();
        let (files, problems) = read_dir_partial(dir.path());
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(files.len(), 1);
        let m = messages(&problems);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m.iter().all(|m| m.contains("a directory already read")),
            "{m:?}"
        );
    }

    #[test]
    fn a_link_out_of_the_root_is_refused_naming_link_and_target() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.toml"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        symlink(outside.path(), dir.path().join("technologies")).unwrap();
        symlink("/dev/zero", dir.path().join("axes.toml")).unwrap();
        let (files, problems) = read_dir_partial(dir.path());
        assert!(files.is_empty());
        let m = messages(&problems);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("axes.toml: is a symbolic link to /dev/zero, outside"));
        let canon = std::fs::canonicalize(outside.path()).unwrap();
        assert!(m[1].contains(&format!(
            "technologies: is a symbolic link to {}",
            canon.display()
        )));
    }

    #[test]
    fn a_link_inside_the_root_is_followed_and_the_root_may_be_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let kb = dir.path().join("kb");
        std::fs::create_dir_all(kb.join("shared")).unwrap();
        std::fs::write(kb.join("shared/x.toml"), "id = \"x\"\n").unwrap();
        std::fs::create_dir(kb.join("technologies")).unwrap();
        symlink("../shared/x.toml", kb.join("technologies/x.toml")).unwrap();
        let link = dir.path().join("link");
        symlink(&kb, &link).unwrap();
        let (files, problems) = read_dir_partial(&link);
        assert!(problems.is_empty(), "{problems}");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["shared/x.toml", "technologies/x.toml"]);
    }

    #[test]
    fn special_files_and_toml_directories_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let tech = dir.path().join("technologies");
        std::fs::create_dir_all(tech.join("d.toml")).unwrap();
        let fifo = tech.join("p.toml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let start = Instant::now();
        let (_, problems) = read_dir_partial(dir.path());
        assert!(start.elapsed() < Duration::from_secs(5));
        let m = messages(&problems);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].ends_with("d.toml: is a directory, not a file; expected a TOML file"));
        assert!(m[1].contains("p.toml: is a named pipe (FIFO), not a regular file"));
    }

    #[test]
    fn an_oversize_file_is_refused_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'#'; KNOWLEDGE_BASE_FILE.bytes as usize + 1];
        std::fs::write(dir.path().join("axes.toml"), big).unwrap();
        let (_, problems) = read_dir_partial(dir.path());
        let m = messages(&problems);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains(
                "is larger than 1 MiB (1048576 bytes), the limit for a knowledge-base file"
            ),
            "{m:?}"
        );
    }

    #[test]
    fn the_walk_is_bounded_in_entries_and_depth() {
        let dir = tempfile::tempdir().unwrap();
        let many = dir.path().join("many");
        std::fs::create_dir(&many).unwrap();
        for i in 0..=MAX_OVERLAY_ENTRIES {
            std::fs::write(many.join(format!(".{i}")), "").unwrap();
        }
        let (_, problems) = read_dir_partial(dir.path());
        let m = messages(&problems);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains(&format!("has more than {MAX_OVERLAY_ENTRIES} entries")));

        let dir = tempfile::tempdir().unwrap();
        let deep: PathBuf =
            (0..=MAX_OVERLAY_DEPTH).fold(dir.path().to_path_buf(), |p, i| p.join(i.to_string()));
        std::fs::create_dir_all(&deep).unwrap();
        let (_, problems) = read_dir_partial(dir.path());
        let m = messages(&problems);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("directories deep; not read"));
    }
}
