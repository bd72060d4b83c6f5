//! The one way the product reads a file a user named or an overlay holds.
//!
//! Every input file goes through [`read_text`] (whole files read into memory, with a byte limit)
//! or [`open_stream`] (inventories read in blocks, of any size). Both accept regular files only:
//! a named pipe would block the run forever, a device such as `/dev/zero` never ends, a socket or
//! a directory is not a file to read. The kind of file is checked before it is opened for
//! reading, and checked again on the opened file (which was opened without blocking), so a file
//! swapped for a pipe between the two steps is refused too rather than hanging the run.
//!
//! The limits are named constants ([`Limit`]) so the documentation and the errors say the same
//! figure; an error names the file and the limit it exceeded.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A byte limit on one kind of input file, and the words that name that kind in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The largest accepted size, in bytes.
    pub bytes: u64,
    /// What the file is, for messages ("a knowledge-base file").
    pub what: &'static str,
}

const MIB: u64 = 1 << 20;

/// One knowledge-base file (a technology, scenario, case, axes or table file). The largest
/// built-in file is under 5 KB; 1 MiB leaves two hundred times that for hand-written files while
/// keeping a whole overlay of such files small in memory.
pub const KNOWLEDGE_BASE_FILE: Limit = Limit {
    bytes: MIB,
    what: "a knowledge-base file",
};

/// All files of one overlay directory together: with at most [`MAX_OVERLAY_ENTRIES`] entries of
/// at most [`KNOWLEDGE_BASE_FILE`] each, a directory named by mistake (a home directory, a data
/// folder) could still ask for gigabytes; 64 MiB is thousands of times the built-in knowledge base.
pub const KNOWLEDGE_BASE_TOTAL: Limit = Limit {
    bytes: 64 * MIB,
    what: "the files of a knowledge-base directory together",
};

/// The most directory entries an overlay walk looks at (files, directories and links, hidden
/// ones included). The built-in knowledge base has fewer than fifty files; a walk that meets more
/// than this is almost surely in the wrong directory, and stops with a diagnostic instead of
/// walking a large tree.
pub const MAX_OVERLAY_ENTRIES: usize = 4096;

/// The deepest directory level an overlay walk enters (the root is level 0). The layout is two
/// levels deep (`technologies/<id>.toml`); deeper files are reported as misplaced anyway.
pub const MAX_OVERLAY_DEPTH: usize = 8;

/// A fleet rules file (`fleet score --rules`). The built-in rules are under 5 KB and a rules file
/// holds at most [`crate::MAX_FLEET_RULES`] rules, so 1 MiB is far more than any valid one.
pub const FLEET_RULES_FILE: Limit = Limit {
    bytes: MIB,
    what: "a fleet rules file",
};

/// A feedback file (`learn --feedback`), read whole. A feedback row is about 100 bytes: 256 MiB
/// holds millions of observations, more than learning needs, and stays well within memory.
pub const FEEDBACK_FILE: Limit = Limit {
    bytes: 256 * MIB,
    what: "a feedback file",
};

/// A decision CSV (`decide --matrix`, `decide --ahp`), read whole. A million alternatives with
/// ten criteria written with full precision take about 200 MB, so 256 MiB admits the largest
/// problems `decide` is built for and refuses a wrong file before it fills memory.
pub const DECISION_FILE: Limit = Limit {
    bytes: 256 * MIB,
    what: "a decision CSV file",
};

/// A fleet summary (`report --fleet-summary`): the JSON `fleet score --summary` writes, whose
/// size depends on the rules and columns, not the rows (a few kilobytes); 64 MiB is generous.
pub const FLEET_SUMMARY_FILE: Limit = Limit {
    bytes: 64 * MIB,
    what: "a fleet summary file",
};

impl Limit {
    /// The limit in words: `1 MiB (1048576 bytes)`.
    pub fn size(&self) -> String {
        if self.bytes >= MIB && self.bytes % MIB == 0 {
            format!("{} MiB ({} bytes)", self.bytes / MIB, self.bytes)
        } else {
            format!("{} bytes", self.bytes)
        }
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadProblem {
    /// The operating system refused: missing, no permission, an I/O error.
    Io(std::io::Error),
    /// Not a regular file: says what it is ("a named pipe (FIFO)").
    NotRegular(&'static str),
    /// Longer than the limit.
    TooLarge(Limit),
    /// Not UTF-8: 1-based line and character column of the first bad byte, and its offset.
    NotUtf8 {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
}

/// A file that could not be read, and why. Displayed as `PATH: problem` (or `PATH:LINE:COLUMN:
/// problem` for bad UTF-8), the shape of every other input error.
#[derive(Debug)]
pub struct ReadError {
    /// The file as the user named it (or as the overlay walk found it).
    pub path: PathBuf,
    /// What was wrong.
    pub problem: ReadProblem,
}

impl ReadError {
    fn new(path: &Path, problem: ReadProblem) -> ReadError {
        ReadError {
            path: path.to_path_buf(),
            problem,
        }
    }

    /// What is wrong, without the file's name.
    pub fn message(&self) -> String {
        match &self.problem {
            ReadProblem::Io(e) => format!("cannot read file: {e}"),
            ReadProblem::NotRegular(what) => format!("is {what}, not a regular file"),
            ReadProblem::TooLarge(limit) => format!(
                "is larger than {}, the limit for {}",
                limit.size(),
                limit.what
            ),
            ReadProblem::NotUtf8 { offset, .. } => {
                format!("is not UTF-8 text (invalid byte at offset {offset})")
            }
        }
    }

    /// What would have been accepted, empty when the message says it.
    pub fn expected(&self) -> String {
        match &self.problem {
            ReadProblem::Io(_) => String::new(),
            ReadProblem::NotRegular(_) => "a regular file".into(),
            ReadProblem::TooLarge(limit) => format!("a file of at most {}", limit.size()),
            ReadProblem::NotUtf8 { .. } => "UTF-8 text".into(),
        }
    }

    /// The problem as a knowledge-base diagnostic, pointing at the bad byte for bad UTF-8.
    pub fn diagnostic(&self) -> crate::Diagnostic {
        let (line, column) = match self.problem {
            ReadProblem::NotUtf8 { line, column, .. } => (Some(line), Some(column)),
            _ => (None, None),
        };
        crate::Diagnostic {
            file: self.path.display().to_string(),
            line,
            column,
            field: String::new(),
            message: self.message(),
            expected: self.expected(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.problem {
            ReadProblem::Io(e) => write!(f, "cannot read {path}: {e}"),
            ReadProblem::NotUtf8 { line, column, .. } => {
                write!(f, "{path}:{line}:{column}: {}", self.message())
            }
            _ => write!(f, "{path}: {}", self.message()),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a whole file as UTF-8 text, refusing anything but a regular file and anything longer
/// than `limit`.
///
/// At most `limit + 1` bytes are read whatever the file's metadata says: files of `/proc` report
/// a size of 0, and a file may grow while it is read.
pub fn read_text(path: &Path, limit: Limit) -> Result<String, ReadError> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        // Point at the first bad byte: the text before it is valid, so its lines and
        // characters can be counted.
        let offset = e.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ReadError::new(
            path,
            ReadProblem::NotUtf8 {
                line: before.matches('\n').count() + 1,
                column: before[line_start..].chars().count() + 1,
                offset,
            },
        )
    })
}

/// Reads a whole file as bytes, with the checks of [`read_text`].
pub fn read_bytes(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let file = open_stream(path)?;
    let expected = file.metadata().map_or(0, |m| m.len()).min(limit.bytes) as usize;
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    file.take(limit.bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::new(path, ReadProblem::Io(e)))?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::new(path, ReadProblem::TooLarge(limit)));
    }
    Ok(bytes)
}

/// Opens a file to be read as a stream (a fleet inventory of any size), refusing anything but a
/// regular file. Use [`read_text`] for files read whole.
pub fn open_stream(path: &Path) -> Result<File, ReadError> {
    let io = |e| ReadError::new(path, ReadProblem::Io(e));
    // Refuse before opening: opening a named pipe for reading blocks until a writer comes.
    regular(path, &std::fs::metadata(path).map_err(io)?)?;
    let file = open_without_blocking(path).map_err(io)?;
    // The path may have been replaced between the two steps: check what was opened.
    regular(path, &file.metadata().map_err(io)?)?;
    Ok(file)
}

/// Refuses a file that is not a regular file, saying what it is.
fn regular(path: &Path, meta: &Metadata) -> Result<(), ReadError> {
    match kind_of(meta) {
        None => Ok(()),
        Some(what) => Err(ReadError::new(path, ReadProblem::NotRegular(what))),
    }
}

/// What a file is, in words, when it is not a regular file; `None` for a regular file.
pub fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    Some("a special file")
}

/// Opens for reading with `O_NONBLOCK`, so a named pipe put in place of the file after the first
/// check does not block the open; the flag is cleared again on the opened file, which is then
/// known to be regular (where it changes nothing) once the caller checked it.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use rustix::fs::{fcntl_getfl, fcntl_setfl, open, Mode, OFlags};
    let fd = open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let flags = fcntl_getfl(&fd)?;
    fcntl_setfl(&fd, flags - OFlags::NONBLOCK)?;
    Ok(File::from(fd))
}

/// Elsewhere there are no named pipes that block an open.
#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const SMALL: Limit = Limit {
        bytes: 8,
        what: "a test file",
    };

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "12345678").unwrap();
        assert_eq!(read_text(&p, SMALL).unwrap(), "12345678");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_naming_file_and_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "123456789").unwrap();
        let e = read_text(&p, SMALL).unwrap_err();
        assert!(matches!(e.problem, ReadProblem::TooLarge(_)));
        let text = e.to_string();
        assert!(text.starts_with(&p.display().to_string()), "{text}");
        assert!(text.contains("larger than 8 bytes, the limit for a test file"));
        let kb = ReadError::new(&p, ReadProblem::TooLarge(KNOWLEDGE_BASE_FILE)).to_string();
        assert!(kb.contains("1 MiB (1048576 bytes)"), "{kb}");
    }

    #[test]
    fn the_built_in_files_are_far_below_their_limits() {
        // The limits' doc comments promise room for hand-written files a hundred times larger.
        for f in crate::builtin_files() {
            assert!(
                (f.text.len() as u64) * 100 < KNOWLEDGE_BASE_FILE.bytes,
                "{}",
                f.path
            );
        }
        let rules = crate::BUILTIN_FLEET_RULES.len() as u64;
        assert!(rules * 100 < FLEET_RULES_FILE.bytes);
        let all: usize = crate::builtin_files().iter().map(|f| f.text.len()).sum();
        assert!((all as u64) * 100 < KNOWLEDGE_BASE_TOTAL.bytes);
        assert!(crate::builtin_files().len() * 50 < MAX_OVERLAY_ENTRIES);
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(dir.path(), SMALL).unwrap_err();
        assert_eq!(e.message(), "is a directory, not a regular file");
        assert_eq!(e.expected(), "a regular file");
    }

    #[test]
    fn bad_utf8_points_at_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"ab\nc\xff").unwrap();
        let e = read_text(&p, SMALL).unwrap_err();
        let d = e.diagnostic();
        assert_eq!((d.line, d.column), (Some(2), Some(2)));
        assert_eq!(d.message, "is not UTF-8 text (invalid byte at offset 4)");
    }

    #[test]
    fn a_missing_file_says_so() {
        let e = read_text(Path::new("/nonexistent/x.toml"), SMALL).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("cannot read /nonexistent/x.toml: "));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_without_reading_it() {
        let start = Instant::now();
        let e = read_text(Path::new("/dev/zero"), KNOWLEDGE_BASE_FILE).unwrap_err();
        assert_eq!(e.message(), "is a character device, not a regular file");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_device_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
        let e = open_stream(&p).unwrap_err();
        assert!(matches!(e.problem, ReadProblem::NotRegular(_)), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.toml");
        make_fifo(&p);
        let start = Instant::now();
        let e = read_text(&p, SMALL).unwrap_err();
        assert_eq!(e.message(), "is a named pipe (FIFO), not a regular file");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_opened_without_blocking_is_refused_by_the_second_check() {
        // The race the second check is for: the path passed the first check as a regular
        // file and is a pipe by the time it is opened. Opening must not block.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.toml");
        make_fifo(&p);
        let file = open_without_blocking(&p).unwrap();
        let e = regular(&p, &file.metadata().unwrap()).unwrap_err();
        assert!(matches!(e.problem, ReadProblem::NotRegular(_)));
    }

    #[cfg(unix)]
    fn make_fifo(p: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(status.success());
    }
}
