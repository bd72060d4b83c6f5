//! Atomic output, the one way every verb of the product writes a file: a temporary file beside
//! the target, renamed over it only when complete.
//!
//! A reader of the target sees the old file or the whole new one, never a part. It lives in this
//! crate, the lowest one that writes files; the command line's other writing verbs (`learn`,
//! `report -o`, `model export`) use it too.
//!
//! Every temporary file is named `.NAME.stackmatrix-HOST-PID-N.tmp` (NAME the target's file name,
//! HOST this machine's name, PID this process) and is listed, while it exists, in one registry of
//! the process:
//!
//! - the writer removes it when dropped without [`AtomicFile::commit`] (an error, a panic that
//!   unwinds) and when the rename of the commit fails;
//! - a signal handler removes every listed file with [`remove_temp_files_and_stop`] before the
//!   process exits (the command line does so on SIGINT, SIGTERM and SIGHUP);
//! - what a killed process (SIGKILL, a crash, power loss) leaves behind is recognised by its name
//!   and removed by the next run that writes the same target: see [`remove_stale_temp_files`].

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime};

/// The temporary files of this process that exist now (created, neither renamed nor removed).
///
/// Creating, renaming and removing a temporary file all happen under this lock, so a signal
/// handler that takes it sees every temporary file and none appears or is renamed after it.
fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    // A panic while the lock was held leaves the list as it was: still right to use.
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file of this process and keeps the registry locked for good, so no
/// temporary file is created and no output renamed afterwards: for a signal handler that exits
/// the process right after. Returns the files removed.
pub fn remove_temp_files_and_stop() -> Vec<PathBuf> {
    let mut live = registry();
    let removed = remove_all(&mut live);
    // Keep the lock until the process ends: a writer that tries to create or commit waits.
    std::mem::forget(live);
    removed
}

fn remove_all(live: &mut Vec<PathBuf>) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for p in live.drain(..) {
        if std::fs::remove_file(&p).is_ok() {
            removed.push(p);
        }
    }
    removed
}

/// The tag between the target's name and the process: `.NAME.stackmatrix-HOST-PID-N.tmp`.
const TAG: &str = ".stackmatrix-";

/// Longest target name kept whole in a temporary name (the rest of the name fits in the 255
/// bytes most file systems allow).
const NAME_MAX_KEPT: usize = 160;

/// A temporary file of ours left untouched this long is stale whatever its process (a run on
/// another machine sharing the directory, or a system without `/proc`).
pub const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// The target's name as it appears in its temporary files (cut to [`NAME_MAX_KEPT`] bytes).
fn name_in_temp(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let mut end = name.len().min(NAME_MAX_KEPT);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// This machine's name, as it appears in temporary names: letters, digits and `-` kept, any
/// other character `_`, at most 64 bytes; `host` when it cannot be read.
fn host() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_default();
        let name: String = raw
            .trim()
            .chars()
            .take(64)
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if name.is_empty() {
            "host".into()
        } else {
            name
        }
    })
}

/// The directory a target is written in.
fn dir_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file being written atomically.
pub struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file `.NAME.stackmatrix-HOST-PID-N.tmp` in the target's directory
    /// and lists it in the registry.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = dir_of(target);
        let name = name_in_temp(target);
        let mut live = registry();
        let mut attempt = 0u32;
        loop {
            let tmp = dir.join(format!(
                ".{name}{TAG}{}-{}-{attempt}.tmp",
                host(),
                std::process::id()
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(f) => {
                    live.push(tmp.clone());
                    return Ok(AtomicFile {
                        target: target.to_path_buf(),
                        tmp,
                        writer: Some(BufWriter::with_capacity(1 << 20, f)),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The temporary file's path.
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer.as_mut().expect("written before commit")
    }

    /// Flushes, syncs to disk and renames the temporary file over the target, then syncs the
    /// directory (best effort) so the rename itself survives a crash. When anything fails the
    /// temporary file is removed and the target is left as it was.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self.writer.take().expect("committed once");
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        pause_for_tests();
        {
            let mut live = registry();
            std::fs::rename(&self.tmp, &self.target)?;
            live.retain(|p| *p != self.tmp);
        }
        if let Ok(d) = File::open(dir_of(&self.target)) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Set to a number of milliseconds (tests only): every commit waits that long between writing
/// its temporary file and renaming it, so a test can signal any writing verb while its
/// temporary file exists.
pub const PAUSE_BEFORE_RENAME: &str = "STACKMATRIX_TEST_PAUSE_BEFORE_RENAME";

fn pause_for_tests() {
    if let Some(ms) = std::env::var_os(PAUSE_BEFORE_RENAME)
        .and_then(|v| v.to_str().and_then(|v| v.parse::<u64>().ok()))
    {
        std::thread::sleep(Duration::from_millis(ms.min(600_000)));
    }
}

/// Writes `bytes` to `target` atomically (see [`AtomicFile`]).
pub fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.write_all(bytes)?;
    f.commit()
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        self.writer.take();
        let mut live = registry();
        if let Some(i) = live.iter().position(|p| *p == self.tmp) {
            // Still ours: not renamed (a successful commit unlists it first).
            let _ = std::fs::remove_file(&self.tmp);
            live.swap_remove(i);
        }
    }
}

/// A temporary file of ours, read back from its name.
#[derive(Debug, PartialEq, Eq)]
struct TempName<'a> {
    host: &'a str,
    pid: u32,
}

/// Reads `.NAME.stackmatrix-HOST-PID-N.tmp` for the given NAME; anything else is `None`.
fn parse_temp_name<'a>(file: &'a str, name: &str) -> Option<TempName<'a>> {
    let rest = file
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix(TAG)?
        .strip_suffix(".tmp")?;
    let mut parts = rest.rsplitn(3, '-');
    let n = parts.next()?;
    let pid = parts.next()?;
    let host = parts.next()?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(n) || !digits(pid) || host.is_empty() {
        return None;
    }
    Some(TempName {
        host,
        pid: pid.parse().ok()?,
    })
}

/// Whether process `pid` of this machine is running: `Some` where `/proc` tells, `None` where it
/// cannot be known. A zombie (ended, not yet reaped by its parent) is not running.
fn process_alive(pid: u32) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // `PID (COMM) STATE ...`: the state follows the last `)`.
        Ok(stat) => {
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.trim_start().chars().next());
            Some(!matches!(state, Some('Z' | 'X')))
        }
        Err(_) => Some(Path::new(&format!("/proc/{pid}")).exists()),
    }
}

/// Removes the temporary files of these targets that earlier runs left behind (killed by SIGKILL,
/// a crash or a power loss, when no handler could run). Returns the files removed.
///
/// The rule: a file in a target's directory is removed only when it is unmistakably ours and
/// stale, that is when
///
/// - its name is exactly `.NAME.stackmatrix-HOST-PID-N.tmp` with NAME the target's file name,
///   PID and N decimal numbers, and it is a regular file (not a link, not a directory); and
/// - either HOST is this machine, the process PID is not running (as `/proc` says) and it is not
///   one of this process's own live temporary files; or the file has not been modified for
///   [`STALE_AFTER`] (7 days), whatever machine or process wrote it.
///
/// So a run never removes the temporary file of a run still under way, on this machine or on
/// another that shares the directory. Errors (an unreadable directory, a file another user owns)
/// are skipped: cleaning up is a courtesy, never a reason to fail.
pub fn remove_stale_temp_files(targets: &[PathBuf]) -> Vec<PathBuf> {
    let mut by_dir: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for t in targets {
        let dir = dir_of(t);
        let name = name_in_temp(t);
        match by_dir.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, names)) => names.push(name),
            None => by_dir.push((dir, vec![name])),
        }
    }
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for (dir, names) in by_dir {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let Some(file) = file.to_str() else { continue };
            let Some(temp) = names.iter().find_map(|n| parse_temp_name(file, n)) else {
                continue;
            };
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if !meta.file_type().is_file() {
                continue;
            }
            // One of this process's own temporary files now: never stale.
            if registry().iter().any(|p| p.file_name() == path.file_name()) {
                continue;
            }
            let old = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_some_and(|age| age >= STALE_AFTER);
            // This machine, and the process is not running, or is this one (which does not
            // hold the file: an earlier process had the same id).
            let dead = temp.host == host()
                && (temp.pid == std::process::id() || process_alive(temp.pid) == Some(false));
            if (old || dead) && std::fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_replaces_and_drop_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"half").unwrap();
            assert!(f.temp_path().exists());
            assert!(registry().contains(&f.temp_path().to_path_buf()));
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        let tmp = f.temp_path().to_path_buf();
        f.commit().unwrap();
        assert!(!registry().contains(&tmp));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.csv"]);
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory cannot be replaced by a file.
        let path = dir.path().join("theta.toml");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "x").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        let tmp = f.temp_path().to_path_buf();
        assert!(f.commit().is_err());
        assert!(!tmp.exists());
        assert!(!registry().contains(&tmp));
        assert_eq!(names(dir.path()), ["theta.toml"]);
    }

    #[test]
    fn the_registry_removes_what_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join(".a.tmp");
        std::fs::write(&a, "x").unwrap();
        let mut live = vec![a.clone(), dir.path().join(".gone.tmp")];
        assert_eq!(remove_all(&mut live), vec![a]);
        assert!(live.is_empty());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn temporary_names_are_read_back_exactly() {
        fn t(f: &str) -> Option<TempName<'_>> {
            parse_temp_name(f, "out.csv")
        }
        assert_eq!(
            t(".out.csv.stackmatrix-my-box-1234-0.tmp"),
            Some(TempName {
                host: "my-box",
                pid: 1234
            })
        );
        assert_eq!(t(".out.csv.stackmatrix-h-1-12.tmp").unwrap().pid, 1);
        for other in [
            "out.csv",
            ".out.csv.tmp",
            ".out.csv.1234.0.tmp",
            ".out.csv.stackmatrix-h-x-0.tmp",
            ".out.csv.stackmatrix-h-1-0",
            ".out.csv.stackmatrix--1-0.tmp",
            ".out.csv.stackmatrix-1-0.tmp",
            ".out.csvx.stackmatrix-h-1-0.tmp",
            ".other.csv.stackmatrix-h-1-0.tmp",
            ".out.csv.stackmatrix-h-99999999999-0.tmp",
        ] {
            assert_eq!(t(other), None, "{other}");
        }
        let long = "x".repeat(300);
        assert_eq!(name_in_temp(Path::new(&long)).len(), NAME_MAX_KEPT);
    }

    #[test]
    fn stale_files_of_dead_runs_go_and_everything_else_stays() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        // A process that has ended: its id is free (until reused, which a test cannot rule out
        // but which would only keep the file).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        child.wait().unwrap();
        let dead = child.id();
        let me = std::process::id();
        let h = host();
        let put = |name: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, "x").unwrap();
            p
        };
        put(&format!(".out.csv{TAG}{h}-{dead}-0.tmp"));
        // This process's own live file, and a file of another machine.
        let mut live = AtomicFile::create(&target).unwrap();
        live.write_all(b"x").unwrap();
        put(&format!(".out.csv{TAG}other-machine-{dead}-0.tmp"));
        // Not ours: another target, another pattern, a directory.
        put(&format!(".in.csv{TAG}{h}-{dead}-0.tmp"));
        put(&format!(".out.csv.{dead}.0.tmp"));
        std::fs::create_dir(dir.path().join(format!(".out.csv{TAG}{h}-{dead}-1.tmp"))).unwrap();
        // A file of another machine untouched for 8 days.
        let old = put(&format!(".out.csv{TAG}far-away-7-0.tmp"));
        let f = std::fs::File::options().write(true).open(&old).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(8 * 24 * 3600))
            .unwrap();
        drop(f);
        // This process's id, but not a file it holds: a leftover of an earlier process.
        put(&format!(".out.csv{TAG}{h}-{me}-7.tmp"));

        let removed = remove_stale_temp_files(std::slice::from_ref(&target));
        let mut removed: Vec<String> = removed
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        removed.sort();
        let mut expected = vec![
            format!(".out.csv{TAG}far-away-7-0.tmp"),
            format!(".out.csv{TAG}{h}-{me}-7.tmp"),
        ];
        if process_alive(dead) == Some(false) {
            expected.push(format!(".out.csv{TAG}{h}-{dead}-0.tmp"));
        }
        expected.sort();
        assert_eq!(removed, expected);
        assert!(live.temp_path().exists());
        live.commit().unwrap();
    }
}
