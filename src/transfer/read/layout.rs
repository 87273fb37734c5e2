//! How a file lays out its values: the delimiter (sniffed, or an Excel `sep=` line) and the
//! line ending.

use super::*;

pub(super) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Picks the delimiter under which the sample's rows most consistently have the header's
/// number of columns (more than one); a one-column file gets a comma.
pub(super) fn sniff_delimiter(sample: &str, truncated: bool) -> u8 {
    let mut best = (0usize, 0usize, b',');
    for d in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = reader
            .records()
            .take(100)
            .map_while(|r| r.ok())
            .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
            .map(|r| r.len())
            .collect();
        if truncated && counts.len() > 1 {
            counts.pop(); // the last row may be cut off
        }
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&n| n == header).count();
        if (consistent, header) > (best.0, best.1) {
            best = (consistent, header, d);
        }
    }
    best.2
}

/// Whether the first line break outside quotes is a CR not followed by LF (classic Mac files).
pub(super) fn ends_lines_with_cr_only(sample: &str) -> bool {
    let mut quoted = false;
    let mut chars = sample.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => return false,
            '\r' if !quoted => return chars.peek() != Some(&'\n'),
            _ => {}
        }
    }
    false
}

/// A delimiter as reports name it: "comma", or a `sep=` line's or the user's other choice
/// quoted.
pub fn delimiter_label(d: char) -> String {
    match d {
        ',' => "comma".to_owned(),
        ';' => "semicolon".to_owned(),
        '\t' => "tab".to_owned(),
        '|' => "vertical bar".to_owned(),
        other => format!("'{other}'"),
    }
}

/// The same in a sentence's plural: "commas", "'#' characters".
pub(super) fn delimiter_plural(d: char) -> String {
    match d {
        ',' | ';' | '\t' | '|' => format!("{}s", delimiter_label(d)),
        other => format!("'{other}' characters"),
    }
}

/// Excel's first line `sep=;` (any one delimiter, quoted or not): the delimiter it names.
pub(super) fn sep_directive(sample: &str) -> Option<u8> {
    let first = sample.split(['\r', '\n']).next()?;
    let first = first
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(first);
    let (directive, delimiter) = first.split_at_checked(4)?;
    match delimiter.as_bytes() {
        [d] if directive.eq_ignore_ascii_case("sep=") && can_delimit(*d) => Some(*d),
        _ => None,
    }
}
