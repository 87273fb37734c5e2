//! How to read a CSV file when telling it from the file goes wrong: an encoding and a delimiter
//! the user chose, each in place of the detected one. A short file in a legacy encoding (a few
//! accents in Windows-1250, say) cannot always be told from another, and a one-column list whose
//! names hold commas is read as two columns; the import dialog and the CLI let the user say.

use crate::error::{Error, Result};
use encoding_rs::Encoding;

/// The user's choices; `None` leaves it to detection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadAs {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
}

impl ReadAs {
    /// From the names the dialog and the CLI give (`None` or empty: detect). Encodings are named
    /// as the WHATWG Encoding Standard labels them (`UTF-8`, `windows-1250`, `latin1`,
    /// `macintosh`, `Shift_JIS`…); delimiters by one character or a word (`tab`, `semicolon`).
    pub fn named(encoding: Option<&str>, delimiter: Option<&str>) -> Result<ReadAs> {
        fn given(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        Ok(ReadAs {
            encoding: given(encoding).map(encoding_named).transpose()?,
            delimiter: given(delimiter).map(delimiter_named).transpose()?,
        })
    }
}

/// The encoding a label names.
pub fn encoding_named(label: &str) -> Result<&'static Encoding> {
    match Encoding::for_label_no_replacement(label.trim().as_bytes()) {
        Some(enc) => Ok(enc),
        None => Err(Error::Refused(format!(
            "'{label}' is not a text encoding Clientbook can read. Name one such as UTF-8, \
             UTF-16LE, windows-1252 (Western European), windows-1250 (Central European) or \
             macintosh (Mac Roman)."
        ))),
    }
}

/// The delimiter a character or a word names.
pub fn delimiter_named(name: &str) -> Result<u8> {
    let word = name.trim().to_lowercase();
    let byte = match word.as_str() {
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "tab" | "\\t" => Some(b'\t'),
        "pipe" | "vertical bar" | "bar" => Some(b'|'),
        _ => match name.as_bytes() {
            [b] if can_delimit(*b) => Some(*b),
            _ => None,
        },
    };
    byte.ok_or_else(|| {
        Error::Refused(format!(
            "'{name}' is not a delimiter: give one punctuation character, such as , or ; or |, \
             or the word tab."
        ))
    })
}

/// Whether a byte may separate values: any punctuation or a tab, as Excel's `sep=` line takes
/// them, but not the quote, which opens quoted values.
pub(super) fn can_delimit(b: u8) -> bool {
    (b.is_ascii_punctuation() || b == b'\t') && b != b'"'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_the_dialog_and_the_cli_give_them() {
        let r = ReadAs::named(Some("Windows-1250"), Some("tab")).unwrap();
        assert_eq!(r.encoding, Some(encoding_rs::WINDOWS_1250));
        assert_eq!(r.delimiter, Some(b'\t'));
        assert_eq!(ReadAs::named(None, Some(" ")).unwrap(), ReadAs::default());
        assert_eq!(encoding_named("macintosh").unwrap(), encoding_rs::MACINTOSH);
        assert_eq!(encoding_named("latin1").unwrap(), encoding_rs::WINDOWS_1252);
        assert_eq!(delimiter_named(";").unwrap(), b';');
        assert_eq!(delimiter_named("Semicolon").unwrap(), b';');
        assert_eq!(delimiter_named("\t").unwrap(), b'\t');
        assert_eq!(delimiter_named("#").unwrap(), b'#');
    }

    #[test]
    fn unknown_names_are_refused_with_what_to_give() {
        let e = encoding_named("klingon").unwrap_err().to_string();
        assert!(e.starts_with("'klingon' is not a text encoding"), "{e}");
        assert!(e.contains("windows-1252"), "{e}");
        // The replacement encoding decodes nothing: not offered.
        assert!(encoding_named("iso-2022-kr").is_err());
        for bad in ["ab", "\"", "x", "1"] {
            let e = delimiter_named(bad).unwrap_err().to_string();
            assert!(e.contains("is not a delimiter"), "{bad}: {e}");
        }
    }
}
