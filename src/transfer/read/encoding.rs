//! Telling a file's encoding: a whole-file UTF-8 count, else the legacy guess (chardetng);
//! UTF-16 without a byte-order mark; the names the preview shows.

use super::*;

/// How much of a file that is not UTF-8 the legacy-encoding detector reads (of the parts that
/// are not all ASCII).
pub(super) const DETECT: u64 = 4 << 20;

/// What one pass over a file without a BOM tells: how many characters beyond ASCII are valid
/// UTF-8, how many byte sequences are not, which legacy encoding it most likely is if it is not
/// UTF-8 (Mozilla's detector, as Firefox uses for unlabelled text, fed up to [`DETECT`] bytes
/// of the parts that are not all ASCII), and whether a lone CR stands in it.
pub(super) struct Scan {
    pub(super) non_ascii: u64,
    pub(super) invalid: u64,
    pub(super) legacy: &'static Encoding,
    /// Whether a CR stands somewhere without an LF after it.
    pub(super) lone_cr: bool,
}

pub(super) fn scan_text(file: &mut File) -> io::Result<Scan> {
    let mut buf = vec![0u8; 1 << 20];
    let (mut carry, mut fed) = (0, 0u64);
    let (mut non_ascii, mut invalid, mut lone_cr) = (0u64, 0u64, false);
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    loop {
        let n = file.read(&mut buf[carry..])?;
        // Only what holds more than ASCII tells an encoding: a file whose accents come late
        // is judged by them, not by its first megabytes.
        let new = &buf[carry..carry + n];
        if n == 0 || (fed < DETECT && !new.is_ascii()) {
            detector.feed(new, n == 0);
            fed += n as u64;
        }
        let filled = carry + n;
        // A CR ending what was read may be followed by an LF: counted as lone, to be safe.
        lone_cr = lone_cr
            || memchr::memchr_iter(b'\r', &buf[..filled])
                .any(|i| i + 1 == filled || buf[i + 1] != b'\n');
        let mut at = 0;
        carry = 0;
        while at < filled {
            match std::str::from_utf8(&buf[at..filled]) {
                Ok(text) => {
                    non_ascii += text.bytes().filter(|&b| b >= 0xc0).count() as u64;
                    at = filled;
                }
                Err(e) => {
                    let valid = &buf[at..at + e.valid_up_to()];
                    non_ascii += valid.iter().filter(|&&b| b >= 0xc0).count() as u64;
                    match e.error_len() {
                        Some(len) => {
                            invalid += 1;
                            at += e.valid_up_to() + len;
                        }
                        // A character cut off by the end of what was read: carried over, or
                        // at the end of the file, invalid.
                        None if n > 0 => {
                            let start = at + e.valid_up_to();
                            buf.copy_within(start..filled, 0);
                            carry = filled - start;
                            at = filled;
                        }
                        None => {
                            invalid += 1;
                            at = filled;
                        }
                    }
                }
            }
        }
        if n == 0 {
            return Ok(Scan {
                non_ascii,
                invalid,
                legacy: detector.guess(None, chardetng::Utf8Detection::Deny),
                lone_cr,
            });
        }
    }
}

/// An encoding as reports name it, and as the import dialog's list begins its names: UTF-8
/// with or without its byte-order mark (`bom`, its length), Windows and Mac code pages as
/// their makers name them, the others by their WHATWG names.
pub(super) fn label_of(enc: &'static Encoding, bom: usize) -> &'static str {
    if enc == UTF_8 {
        return if bom > 0 { "UTF-8 with BOM" } else { "UTF-8" };
    }
    match enc.name() {
        "windows-874" => "Windows-874",
        "windows-1250" => "Windows-1250",
        "windows-1251" => "Windows-1251",
        "windows-1252" => "Windows-1252",
        "windows-1253" => "Windows-1253",
        "windows-1254" => "Windows-1254",
        "windows-1255" => "Windows-1255",
        "windows-1256" => "Windows-1256",
        "windows-1257" => "Windows-1257",
        "windows-1258" => "Windows-1258",
        "macintosh" => "Mac Roman",
        "x-mac-cyrillic" => "Mac Cyrillic",
        "IBM866" => "DOS 866",
        other => other,
    }
}

/// A file without a byte-order mark whose NUL bytes are the high halves of UTF-16 code units
/// (text of mostly Latin letters) and which decodes to text: its UTF-16 encoding.
pub(super) fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let even = &head[..head.len() & !1];
    let nuls = |odd: usize| {
        even.iter()
            .skip(odd)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let enc = if nuls(1) > nuls(0) {
        UTF_16LE
    } else {
        UTF_16BE
    };
    // A unit that is not text (a lone surrogate, the sample's end cutting a pair) is allowed
    // now and then (two, or one in a hundred characters): a damaged row is reported as such;
    // a binary file has them everywhere, and control characters too.
    let (text, _) = enc.decode_without_bom_handling(even);
    let (mut chars, mut broken) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        broken += usize::from(c == '\u{fffd}');
        if c.is_control() && !matches!(c, '\t' | '\r' | '\n') {
            return None;
        }
    }
    (text.contains(['\n', '\r']) && (broken <= 2 || broken * 100 <= chars)).then_some(enc)
}

/// The refusal of a file with binary data in it (NUL bytes, and not UTF-16).
pub(super) fn not_a_text_file(name: &str) -> Error {
    Error::Refused(format!(
        "'{name}' is not a text file (it contains binary data); choose a CSV file."
    ))
}
