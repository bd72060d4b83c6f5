//! The output guard and the cleanup path of every verb that writes a file (`fleet score`,
//! `fleet generate`, `learn`, `report -o`, `model export`).
//!
//! A writing verb lists the files it reads and the files it writes in a [`RunFiles`] and calls
//! [`RunFiles::check`] before it reads or writes anything. The check:
//!
//! 1. refuses (exit code 2, naming both flags and the path) an output that is an input of the
//!    same run, another output of the same run, or a file inside a knowledge-base directory given
//!    with `--model` (the loader reads every file there, so the next run would read it). Paths
//!    are compared canonically (`./x`, `x`, `d/../x` and a symbolic link to `x` are all `x`; an
//!    output that does not exist yet is its directory's canonical path plus its name) and, where
//!    both exist, by file identity (device and inode), which catches hard links;
//! 2. installs the signal handler: SIGINT, SIGTERM and SIGHUP remove the run's temporary files
//!    and exit with 128 + the signal (130, 143, 129);
//! 3. removes the stale temporary files that killed runs left beside its outputs
//!    ([`stackmatrix_fleet::atomic::remove_stale_temp_files`] says the rule).
//!
//! Every output is then written with [`stackmatrix_fleet::atomic::AtomicFile`], which lists its
//! temporary file where the signal handler finds it.

use crate::error::{CliError, CliResult};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The files one run reads and writes, checked together before anything is written.
#[derive(Debug, Default)]
pub struct RunFiles {
    inputs: Vec<Named>,
    overlays: Vec<Named>,
    outputs: Vec<Output>,
}

/// A path and the flag that named it.
#[derive(Debug)]
struct Named {
    flag: String,
    path: PathBuf,
}

#[derive(Debug)]
struct Output {
    named: Named,
    /// The flag of the input this output may replace: `learn --out DIR` writes the
    /// `tables/theta.toml` that `--model DIR` read, as an update of the same knowledge base.
    updates: Option<String>,
}

/// A path as compared: canonical, and the file's identity when it exists.
struct Key {
    canonical: PathBuf,
    identity: Option<(u64, u64)>,
}

impl Key {
    fn of(path: &Path) -> Key {
        Key {
            canonical: canonical(path),
            identity: identity(path),
        }
    }

    fn same(&self, other: &Key) -> bool {
        self.canonical == other.canonical
            || (self.identity.is_some() && self.identity == other.identity)
    }
}

impl RunFiles {
    pub fn new() -> RunFiles {
        RunFiles::default()
    }

    /// A file the run reads, named by `flag`.
    pub fn input(&mut self, flag: &str, path: &Path) -> &mut Self {
        self.inputs.push(named(flag, path));
        self
    }

    /// A knowledge-base directory the run reads (`--model DIR`, when given): no output may be
    /// inside it or be one of its files.
    pub fn overlay(&mut self, flag: &str, dir: Option<&Path>) -> &mut Self {
        if let Some(dir) = dir {
            self.overlays.push(named(flag, dir));
        }
        self
    }

    /// A file the run writes, named by `flag`.
    pub fn output(&mut self, flag: &str, path: &Path) -> &mut Self {
        self.outputs.push(Output {
            named: named(flag, path),
            updates: None,
        });
        self
    }

    /// A file the run writes that may be the file read through `input_flag` (an in-place update,
    /// as `learn --out DIR` of `--model DIR`'s `tables/theta.toml`); it may be no other input and
    /// no other output.
    pub fn update(&mut self, flag: &str, path: &Path, input_flag: &str) -> &mut Self {
        self.outputs.push(Output {
            named: named(flag, path),
            updates: Some(input_flag.to_string()),
        });
        self
    }

    /// Refuses an output that is an input or another output; then installs the signal handler
    /// and removes the stale temporary files beside the outputs (noted on standard error).
    pub fn check(&self) -> CliResult<()> {
        self.conflicts()?;
        install_signal_cleanup();
        let targets: Vec<PathBuf> = self.outputs.iter().map(|o| o.named.path.clone()).collect();
        for p in stackmatrix_fleet::atomic::remove_stale_temp_files(&targets) {
            say!(
                "note: removed {}, a temporary file left by an earlier run that was killed",
                p.display()
            );
        }
        Ok(())
    }

    /// The comparisons alone.
    fn conflicts(&self) -> CliResult<()> {
        let outputs: Vec<(&Output, Key)> = self
            .outputs
            .iter()
            .map(|o| (o, Key::of(&o.named.path)))
            .collect();
        let inputs: Vec<(&Named, Key)> =
            self.inputs.iter().map(|i| (i, Key::of(&i.path))).collect();
        for (i, (out, key)) in outputs.iter().enumerate() {
            let o = &out.named;
            for (input, ikey) in &inputs {
                if key.same(ikey) && out.updates.as_deref() != Some(input.flag.as_str()) {
                    return Err(clash(o, input, "expected a file this run does not read"));
                }
            }
            for (other, okey) in &outputs[..i] {
                if key.same(okey) {
                    return Err(clash(
                        o,
                        &other.named,
                        "expected a different file for each output",
                    ));
                }
            }
            for overlay in &self.overlays {
                if out.updates.as_deref() == Some(overlay.flag.as_str()) {
                    continue;
                }
                let root = canonical(&overlay.path);
                if key.canonical.starts_with(&root) {
                    return Err(CliError::Usage(format!(
                        "{}: {} is inside the knowledge-base directory {} {}, whose every file is read by each run; expected a file outside it (nothing was written)",
                        o.flag,
                        o.path.display(),
                        overlay.flag,
                        overlay.path.display()
                    )));
                }
                if let Some(file) = key
                    .identity
                    .and_then(|id| file_with_identity(&overlay.path, id))
                {
                    return Err(clash(
                        o,
                        &named(&overlay.flag, &file),
                        "expected a file this run does not read",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Whether two paths lead to the same file or directory (compared as [`RunFiles::check`] does).
pub fn same_file(a: &Path, b: &Path) -> bool {
    Key::of(a).same(&Key::of(b))
}

fn named(flag: &str, path: &Path) -> Named {
    Named {
        flag: flag.to_string(),
        path: path.to_path_buf(),
    }
}

/// `--summary: inv.csv is the same file as --input ./inv.csv; expected ...`.
fn clash(output: &Named, other: &Named, expected: &str) -> CliError {
    CliError::Usage(format!(
        "{}: {} is the same file as {} {}; {expected} (nothing was written)",
        output.flag,
        output.path.display(),
        other.flag,
        other.path.display()
    ))
}

/// The canonical path: symbolic links, `.` and `..` resolved. For a path that does not exist
/// (yet), its deepest existing ancestor's canonical path with the rest appended (`.` dropped,
/// `..` taken off), which is where creating it would put it.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(p) = std::fs::canonicalize(base) {
            let mut out = p;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    c => out.push(c.as_os_str()),
                }
            }
            return out;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// The device and inode of the file a path leads to (through symbolic links), when it exists.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// The file of a knowledge-base directory with this identity (a hard link to it, or a symbolic
/// link in it to a file outside), if any. The walk follows no directory link (whatever the
/// loader follows stays inside the directory) and stops after 16 levels or 100,000 entries, so
/// a hostile directory cannot make it hang.
fn file_with_identity(root: &Path, id: (u64, u64)) -> Option<PathBuf> {
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    let mut seen = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > 100_000 {
                return None;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < 16 {
                    stack.push((path, depth + 1));
                }
            } else if identity(&path) == Some(id) {
                return Some(path);
            }
        }
    }
    None
}

/// Set by a signal, for loops that would rather stop at the next block (the fleet pipeline
/// polls it); the handler exits the process anyway.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
        .clone()
}

/// Installs, once, the handler of SIGINT, SIGTERM and SIGHUP: it removes every temporary file of
/// the run (and lets none be created or renamed after), says so on standard error and exits
/// with 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP, as shells
/// report a process those signals ended. An output not yet renamed into place is thus never
/// written, and a file it would have replaced is left as it was.
///
/// Installed by writing verbs only: the others keep the default (the signal ends them; they
/// have nothing to clean up), and `serve` keeps its own graceful shutdown.
pub fn install_signal_cleanup() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            // If the handler cannot be installed the signal ends the process as usual; its
            // temporary files are then removed by the next run (see the module's doc).
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            {
                let flag = interrupt_flag();
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        flag.store(true, Ordering::SeqCst);
                        let removed = stackmatrix_fleet::atomic::remove_temp_files_and_stop();
                        let name = match signal {
                            SIGINT => "SIGINT",
                            SIGTERM => "SIGTERM",
                            _ => "SIGHUP",
                        };
                        eprintln!(
                            "error: interrupted ({name}); nothing more was written: {} unfinished output{} removed and every existing file left as it was",
                            removed.len(),
                            if removed.len() == 1 { "" } else { "s" }
                        );
                        std::process::exit(128 + signal);
                    }
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(files: &RunFiles) -> String {
        match files.conflicts() {
            Err(e) => e.to_string(),
            Ok(()) => panic!("{files:?} should be refused"),
        }
    }

    #[test]
    fn an_output_that_is_an_input_is_refused_however_it_is_spelt() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let inv = d.join("inv.csv");
        std::fs::write(&inv, "id\n").unwrap();
        std::fs::hard_link(&inv, d.join("hard.csv")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&inv, d.join("soft.csv")).unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        let mut spellings = vec![
            inv.clone(),
            d.join("./inv.csv"),
            d.join("sub/../inv.csv"),
            d.join("hard.csv"),
        ];
        if cfg!(unix) {
            spellings.push(d.join("soft.csv"));
        }
        for out in spellings {
            let mut f = RunFiles::new();
            f.input("--input", &inv).output("--summary", &out);
            let e = refused(&f);
            assert!(e.contains("--summary: ") && e.contains("--input "), "{e}");
            assert!(e.contains(&out.display().to_string()), "{e}");
        }
        let mut f = RunFiles::new();
        f.input("--input", &inv)
            .output("--output", &d.join("out.csv"))
            .output("--summary", &d.join("sub/../missing/../out.csv"));
        assert!(refused(&f).contains("is the same file as --output"));
        let mut f = RunFiles::new();
        f.input("--input", &inv)
            .output("--output", &d.join("out.csv"))
            .output("--summary", &d.join("new/s.json"));
        assert!(f.conflicts().is_ok());
    }

    #[test]
    fn outputs_stay_out_of_the_knowledge_base_but_an_update_may_replace_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let kb = dir.path().join("kb");
        std::fs::create_dir_all(kb.join("tables")).unwrap();
        let theta = kb.join("tables/theta.toml");
        std::fs::write(&theta, "").unwrap();
        let outside = dir.path().join("theta-copy.toml");
        std::fs::hard_link(&theta, &outside).unwrap();
        let mut f = RunFiles::new();
        f.overlay("--model", Some(&kb))
            .output("-o", &kb.join("report.md"));
        assert!(refused(&f).contains("inside the knowledge-base directory --model"));
        let mut f = RunFiles::new();
        f.overlay("--model", Some(&kb)).output("-o", &outside);
        assert!(refused(&f).contains("is the same file as --model"));
        let mut f = RunFiles::new();
        f.overlay("--model", Some(&kb))
            .input("--feedback", &dir.path().join("f.csv"))
            .update("--out", &theta, "--model");
        assert!(f.conflicts().is_ok());
        let mut f = RunFiles::new();
        f.overlay("--model", Some(&kb))
            .input("--feedback", &theta)
            .update("--out", &theta, "--model");
        assert!(refused(&f).contains("--out: "));
    }
}
