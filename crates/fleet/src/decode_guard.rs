//! Decoding untrusted bytes with a third-party decoder that may panic on corrupt input.
//!
//! The `parquet` crate asserts on some corrupt pages (e.g. `assertion failed: size <=
//! src.len()` in `bit_util::read_num_bytes`) instead of returning an error. A panic would end
//! the run with exit 101 and a backtrace, breaking the promise that bad input never panics.
//! [`guard`] runs such a call under [`std::panic::catch_unwind`] and turns a panic into a
//! plain message, which the caller wraps into the same error as any corrupt-Parquet error.
//!
//! This needs panics to unwind: the workspace's profiles must not set `panic = "abort"`
//! (see the root `Cargo.toml`).
//!
//! While a guarded call runs, a thread-local flag is set; [`install_quiet_panic_hook`] (called
//! once by the CLI) installs a process-wide hook that prints nothing for panics raised while
//! that flag is set on the panicking thread, and otherwise calls the previous hook, so genuine
//! bugs elsewhere still report as usual. The flag is per thread, so guarded calls on rayon
//! workers are covered by setting it on the worker itself (as [`guard`] does where it runs).

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`guard`].
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, which decodes untrusted bytes; a panic inside it becomes `Err` with the panic's
/// message. The decoder's state after a panic is not trusted: everything `f` borrowed should
/// be dropped by the caller on error (hence `AssertUnwindSafe`).
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let outer = DECODING.with(|d| d.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    DECODING.with(|d| d.set(outer));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_string())
    })
}

/// Installs (once per process) a panic hook that stays silent for panics caught by [`guard`]
/// and delegates every other panic to the hook that was installed before.
pub fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !DECODING.with(|d| d.get()) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_flag_is_restored() {
        install_quiet_panic_hook();
        assert_eq!(guard(|| 3), Ok(3));
        let e = guard(|| -> u8 { panic!("size <= src.len()") }).unwrap_err();
        assert_eq!(e, "size <= src.len()");
        let e = guard(|| -> u8 { panic!("{} bytes", 4) }).unwrap_err();
        assert_eq!(e, "4 bytes");
        assert!(!DECODING.with(|d| d.get()));
    }
}
