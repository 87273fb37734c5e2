//! The rules of one row, checked on the reading thread with no database: its values by the
//! edit dialog's rules, its Autotask mapping and dates, the ID it asks for, and (to write it)
//! its search keys and identity; each problem named by the file's own column.

use super::*;

/// The file's columns as one row's messages name them: a value that came from a fallback
/// column is that column's.
#[derive(Clone, Copy)]
pub(super) struct RowColumns<'a> {
    pub(super) columns: &'a [Column],
    pub(super) fell_back: &'a [(Field, usize)],
}

impl RowColumns<'_> {
    pub(super) fn header(self, field: Field) -> String {
        header_in(self.columns, self.fell_back, field)
    }
}

/// A field's error as (the file's column for it, the message).
pub(super) fn column_error(cols: RowColumns, e: &FieldError) -> (Option<String>, String) {
    let column = field_of(e.field).map_or_else(|| e.label.to_owned(), |f| cols.header(f));
    (
        Some(column),
        e.message.trim_end_matches('.').to_owned() + ".",
    )
}

pub(super) fn field_of(error_field: &str) -> Option<Field> {
    Field::ALL
        .into_iter()
        .find(|f| field_name(*f) == error_field)
}

pub(super) fn field_name(f: Field) -> &'static str {
    match f {
        Field::CustomerId => "customer_id",
        Field::Name => "name",
        Field::Street => "street",
        Field::Zip => "zip",
        Field::City => "city",
        Field::Country => "country",
        Field::Url => "url",
        Field::Comment => "comment",
        Field::Validity => "validity",
        Field::Active => "active",
        Field::Inactive => "inactive",
        Field::Own => "own",
        Field::AutotaskId => "autotask_company_id",
        Field::AutotaskName => "autotask_company_name",
        Field::AutotaskStatus => "autotask_status",
        Field::AutotaskChecked => "autotask_checked_at",
        Field::Created => "created_at",
        Field::Updated => "updated_at",
    }
}

/// The Autotask mapping columns of a row (as the exporter writes them): `None` when the file has
/// no "Autotask company ID" column. A missing status reads as `ok`, a missing time as unknown.
pub(super) fn read_mapping(
    cols: RowColumns,
    row: &mut SourceRow,
    errors: &mut Vec<(Option<String>, String)>,
) -> Option<Option<Mapping>> {
    if !has(cols.columns, Field::AutotaskId) {
        return None;
    }
    // A value that cannot be read leaves the row without a mapping, named by its own column.
    Some(mapping_of(row).unwrap_or_else(|(field, message)| {
        errors.push((Some(cols.header(field)), message));
        None
    }))
}

/// The mapping a row's Autotask columns hold (`None`: no company id), or the first column that
/// cannot be read and why.
fn mapping_of(row: &mut SourceRow) -> Result<Option<Mapping>, (Field, String)> {
    let id = row.take(Field::AutotaskId).unwrap_or_default();
    let name = row.take(Field::AutotaskName).unwrap_or_default();
    let status = row.take(Field::AutotaskStatus).unwrap_or_default();
    let checked_at = row.take(Field::AutotaskChecked).unwrap_or_default();
    if id.is_empty() {
        return Ok(None);
    }
    let company_id = match id.parse::<i64>() {
        Ok(n) if n >= 0 => n,
        _ => {
            return Err((
                Field::AutotaskId,
                format!(
                    "{} is not an Autotask company id (a whole number).",
                    quoted(id)
                ),
            ))
        }
    };
    let status = match status.is_empty() {
        true => MappingStatus::Ok,
        false => MappingStatus::parse(&status.to_ascii_lowercase()).ok_or_else(|| {
            (
                Field::AutotaskStatus,
                format!(
                    "{} is not a mapping status: use ok, renamed, missing or invalid.",
                    quoted(&status)
                ),
            )
        })?,
    };
    for (value, field) in [
        (&name, Field::AutotaskName),
        (&checked_at, Field::AutotaskChecked),
    ] {
        if crate::model::text::char_len(value) > crate::model::customer::MAX_TEXT
            || value.chars().any(char::is_control)
        {
            return Err((
                field,
                "Too long or contains a line break; keep it on one line of at most 200 characters."
                    .into(),
            ));
        }
    }
    Ok(Some(Mapping {
        company_id,
        company_name: name,
        status,
        checked_at,
    }))
}

/// What other tools and people write for "no value" ("n/a", "-", "unknown") in a column whose
/// values are checked — an ID, an address, a country, a web address, a validity or a yes/no —
/// reads as no value at all rather than refusing the row over it or storing it: a new
/// customer gets none, and "Update existing" keeps the stored one. (Not in a comment, which is
/// free text.)
pub(super) fn no_placeholder(value: Option<String>) -> Option<String> {
    value.filter(|v| !is_placeholder(v))
}

/// One row as the reading thread leaves it.
pub(super) enum Prepared {
    /// The file could not be read on: the import fails, writing nothing.
    Failed(Option<Error>),
    /// The row's own values break the rules (each error with its column).
    Invalid {
        line: u64,
        errors: Vec<(Option<String>, String)>,
    },
    Checked(Box<Checked>),
}

/// A row whose values pass the rules; what it does depends on the database and earlier rows.
pub(super) struct Checked {
    pub(super) line: u64,
    /// The values as read: an update or the own company lays them over what is there.
    pub(super) fields: CustomerFields,
    pub(super) valid: ValidCustomer,
    /// The ID the row gives, or else its name's slug (empty when the name has neither letters
    /// nor digits).
    pub(super) key: String,
    /// `key`'s identity form ([`identity`]), as duplicates are found, and the search keys of
    /// `key`, the name and the city: made here so that the writing thread, the slower of the
    /// two, need not.
    pub(super) folded: String,
    pub(super) keys: SearchKeys,
    pub(super) explicit: bool,
    pub(super) own: bool,
    pub(super) mapping: Option<Option<Mapping>>,
    pub(super) stamps: Stamps,
    /// See [`SourceRow::fell_back`]: for the messages about the row.
    pub(super) fell_back: Vec<(Field, usize)>,
}

/// A row's Created and Updated in the stored form; `None` where the file gives none.
#[derive(Default)]
pub(super) struct Stamps {
    pub(super) created: Option<String>,
    pub(super) updated: Option<String>,
}

impl Stamps {
    pub(super) fn get(&self) -> (Option<&str>, Option<&str>) {
        (self.created.as_deref(), self.updated.as_deref())
    }
}

/// Everything about a row that needs no database: its values read and checked by the edit
/// dialog's rules, its mapping columns, the ID it asks for and, to `write` it, its search keys.
pub(super) fn prepare(columns: &[Column], mut row: SourceRow, write: bool) -> Prepared {
    let line = row.line;
    let fell_back = std::mem::take(&mut row.fell_back);
    let cols = RowColumns {
        columns,
        fell_back: &fell_back,
    };
    if let Some(error) = row.unusable.take() {
        return Prepared::Invalid {
            line,
            errors: vec![error],
        };
    }
    let col = |f: Field| Some(cols.header(f));
    let mut errors: Vec<(Option<String>, String)> = Vec::new();
    if row.extra > 0 {
        errors.push((
            None,
            format!(
                "{} values, but the header has {}; check for an unquoted delimiter in a value.",
                columns.len() + row.extra,
                match columns.len() {
                    1 => "1 column".to_owned(),
                    n => format!("{n} columns"),
                }
            ),
        ));
    }

    // Validity from the Validity column, or from an Active yes/no column. A Valid or Status
    // column may also say yes/no or Active/Inactive, as other tools write it.
    // An empty validity is no validity: with "Update existing" the stored one stays (it has
    // no empty state to clear to).
    let mut validity = no_placeholder(row.take(Field::Validity)).filter(|v| !v.is_empty());
    // What the validity column said, for a message about a flag contradicting it.
    let mut set_by = validity
        .as_ref()
        .map(|v| format!("{} {}", cols.header(Field::Validity), quoted(v)));
    if let Some(v) = validity.take() {
        validity = match (crate::model::Validity::parse(&v), parse_flag(&v)) {
            (None, Some(flag)) => Some(if flag { "valid" } else { "invalid" }.to_owned()),
            (None, None) => {
                errors.push((
                    col(Field::Validity),
                    format!(
                        "{} is not a validity: use valid, invalid or invalid-temporarily (or \
                         yes/no, Active/Inactive).",
                        quoted(v)
                    ),
                ));
                None
            }
            _ => Some(v),
        };
    }
    // Active yes/no, or Inactive (Archived) yes/no, which says the opposite.
    let flags = [Field::Active, Field::Inactive].map(|f| {
        let value = no_placeholder(row.take(f)).filter(|v| !v.is_empty());
        value.map(|v| (f, v))
    });
    for (field, value) in flags.into_iter().flatten() {
        match says_active(field, &value) {
            None => errors.push((
                col(field),
                format!(
                    "{} is not yes or no (use yes/no, true/false or 1/0).",
                    quoted(value)
                ),
            )),
            Some(active) => match validity.as_deref() {
                None => {
                    validity = Some(if active { "valid" } else { "invalid" }.to_owned());
                    set_by = Some(format!("{} {}", cols.header(field), quoted(&value)));
                }
                Some(v) => {
                    let says = crate::model::Validity::parse(v).map(|v| v.is_active());
                    if says.is_some_and(|s| s != active) {
                        let other = set_by.as_deref().unwrap_or_default();
                        errors.push((
                            col(field),
                            format!("{} contradicts {other}.", quoted(&value)),
                        ));
                    }
                }
            },
        }
    }
    let own = match row.take(Field::Own).filter(|o| !o.is_empty()) {
        None => false,
        Some(o) => parse_flag(&o).unwrap_or_else(|| {
            errors.push((col(Field::Own), format!("{} is not yes or no.", quoted(o))));
            false
        }),
    };
    let mapping = read_mapping(cols, &mut row, &mut errors);
    let stamps = read_stamps(cols, &mut row, &mut errors);
    // A name is required: a placeholder is none, and says so (a customer called "n/a" is
    // no customer anyone could find again).
    let name = row.take(Field::Name);
    let placeholder = name.as_deref().filter(|n| is_placeholder(n));
    if let Some(n) = placeholder {
        errors.push((
            col(Field::Name),
            format!("{} stands for no name; a customer needs a name.", quoted(n)),
        ));
    }
    // The name's own problems are told once: by the placeholder's message, if it is one.
    let told = placeholder.is_some();
    let fields = CustomerFields {
        // A placeholder ID is none given: the ID is made from the name, as for an empty one.
        customer_id: no_placeholder(row.take(Field::CustomerId)),
        name,
        street: no_placeholder(row.take(Field::Street)),
        zip: no_placeholder(row.take(Field::Zip)),
        city: no_placeholder(row.take(Field::City)),
        country: no_placeholder(row.take(Field::Country)),
        url: no_placeholder(row.take(Field::Url)),
        comment: row.take(Field::Comment),
        validity,
    };
    let checked = fields.clone().validate();
    if let Err(Error::Invalid(field_errors)) = &checked {
        let untold = field_errors.iter().filter(|e| !(told && e.field == "name"));
        errors.extend(untold.map(|e| column_error(cols, e)));
    }
    let valid = match checked {
        Ok(valid) if errors.is_empty() => valid,
        _ => return Prepared::Invalid { line, errors },
    };
    let explicit = valid.customer_id.is_some();
    let key = match &valid.customer_id {
        Some(id) => id.clone(),
        None => slug::slugify(&valid.name),
    };
    let city = valid.city.as_deref().unwrap_or_default();
    Prepared::Checked(Box::new(Checked {
        line,
        fields,
        // Only a write stores them; a preview or dry run would make them for nothing.
        keys: match write {
            true => SearchKeys::of(&key, &valid.name, city),
            false => SearchKeys::default(),
        },
        folded: identity(&key),
        valid,
        key,
        explicit,
        own,
        mapping,
        stamps,
        fell_back,
    }))
}

/// The Created and Updated columns of a row. A customer cannot be updated before it was
/// created: with both given, Updated must not be the earlier.
pub(super) fn read_stamps(
    cols: RowColumns,
    row: &mut SourceRow,
    errors: &mut Vec<(Option<String>, String)>,
) -> Stamps {
    let mut read = |field: Field| {
        let text = row.take(field).filter(|v| !v.is_empty())?;
        let problem = match timestamp::from_text(&text) {
            Ok(stamp) => return Some((text, stamp)),
            Err(timestamp::Unreadable::NotADate) => format!(
                "{} is not a date and time; write it as {}.",
                quoted(text),
                timestamp::FORMS
            ),
            Err(timestamp::Unreadable::OutOfRange) => format!(
                "{} is out of range: Clientbook keeps dates from the year 1000 to 9999 (in UTC).",
                quoted(text)
            ),
        };
        errors.push((Some(cols.header(field)), problem));
        None
    };
    let created = read(Field::Created);
    let updated = read(Field::Updated);
    if let (Some((created, c)), Some((updated, u))) = (&created, &updated) {
        if u < c {
            errors.push((
                Some(cols.header(Field::Updated)),
                format!(
                    "'{updated}' is before {} ('{created}'); a customer cannot be updated before it was created.",
                    cols.header(Field::Created)
                ),
            ));
        }
    }
    Stamps {
        created: created.map(|(_, stamp)| stamp),
        updated: updated.map(|(_, stamp)| stamp),
    }
}
