//! How numbers are written in text: the summaries of the views and the command line's tables
//! use these, so a figure reads the same everywhere.

/// A number with fixed decimals and no negative zero (`fixed(-0.00001, 4)` is `0.0000`).
pub fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A number as short as it can be written exactly (`1`, `0.25`, `0.1`).
pub fn short(x: f64) -> String {
    format!("{x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_drops_negative_zero() {
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(fixed(-0.5, 2), "-0.50");
        assert_eq!(fixed(8.75, 4), "8.7500");
        assert_eq!(short(1.0), "1");
        assert_eq!(short(0.25), "0.25");
    }
}
