//! The rules of one text field, shared by every form: trimmed, no byte-order mark, a length
//! limit, one line, no direction control, and — for what names a thing — a letter or digit that
//! can be seen.

use super::text;
use crate::error::FieldErrors;

/// A field as stored: without byte-order marks (U+FEFF: invisible, and what files joined into
/// one carry into the middle, where the importer drops one that starts a line — so that no
/// value can hold one there, none holds any) and trimmed of white space; `None` when nothing
/// is left.
pub(crate) fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| match v.contains('\u{feff}') {
            true => v.replace('\u{feff}', "").trim().to_owned(),
            false => v.trim().to_owned(),
        })
        .filter(|v| !v.is_empty())
}

pub(crate) fn too_long(value: &str, max: usize) -> String {
    format!(
        "Too long: {} characters; at most {} are allowed.",
        text::thousands(text::char_len(value)),
        text::thousands(max)
    )
}

pub(crate) fn check_line(
    value: &str,
    field: &'static str,
    label: &'static str,
    max: usize,
    errors: &mut FieldErrors,
) {
    if text::char_len(value) > max {
        errors.report(field, label, too_long(value, max));
    } else if value
        .chars()
        .any(|c| c.is_control() || text::is_line_break(c))
    {
        errors.report(
            field,
            label,
            "Contains a line break or control character; keep it on one line.".into(),
        );
    } else if let Some(c) = value.chars().find(|c| text::is_direction_control(*c)) {
        errors.report(field, label, direction_control(c));
    }
}

/// The message about a character that turns the direction of the text around it.
pub(crate) fn direction_control(c: char) -> String {
    format!(
        "Contains a direction control (U+{:04X}), which makes text read other than it is \
         stored; remove it.",
        c as u32
    )
}

/// What names a thing must hold a letter or digit that shows ([`text::is_findable`]): what no
/// one can see, and no search can find, cannot be told apart from nothing. `what` starts the
/// message ("A customer's name").
pub(crate) fn check_findable(
    value: &str,
    field: &'static str,
    label: &'static str,
    what: &str,
    errors: &mut FieldErrors,
) {
    if !text::is_findable(value) {
        errors.report(
            field,
            label,
            format!(
                "{what} needs at least one letter or digit that can be seen, so that it can be \
                 told apart and found."
            ),
        );
    }
}

/// A required one-line field: trimmed; empty → `required` as its message; otherwise the
/// [`check_line`] rules. Returns the trimmed value.
pub(crate) fn required_line(
    value: &str,
    field: &'static str,
    label: &'static str,
    max: usize,
    required: &str,
    errors: &mut FieldErrors,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.report(field, label, required.to_owned());
    } else {
        check_line(value, field, label, max, errors);
        check_findable(
            value,
            field,
            label,
            &format!("The {}", label.to_lowercase()),
            errors,
        );
    }
    value.to_owned()
}
