//! The columns of a file: the customer field each feeds, recognised by name and synonym
//! (ignoring case, spaces and punctuation; a long uniform table), the columns other tools write
//! that no field takes, and which columns hold ticks.

use super::*;

/// A customer field a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CustomerId,
    Name,
    Street,
    Zip,
    City,
    Country,
    Url,
    Comment,
    Validity,
    Active,
    /// "Inactive" or "Archived" (yes/no): the opposite of Active.
    Inactive,
    Own,
    AutotaskId,
    AutotaskName,
    AutotaskStatus,
    AutotaskChecked,
    Created,
    Updated,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::CustomerId,
        Field::Name,
        Field::Street,
        Field::Zip,
        Field::City,
        Field::Country,
        Field::Url,
        Field::Comment,
        Field::Validity,
        Field::Active,
        Field::Inactive,
        Field::Own,
        Field::AutotaskId,
        Field::AutotaskName,
        Field::AutotaskStatus,
        Field::AutotaskChecked,
        Field::Created,
        Field::Updated,
    ];

    /// The column name the exporter writes (and the label in messages).
    pub fn header(self) -> &'static str {
        match self {
            Field::CustomerId => "Customer ID",
            Field::Name => "Name",
            Field::Street => "Street",
            Field::Zip => "ZIP",
            Field::City => "City",
            Field::Country => "Country",
            Field::Url => "URL",
            Field::Comment => "Comment",
            Field::Validity => "Validity",
            Field::Active => "Active",
            Field::Inactive => "Inactive",
            Field::Own => "Own company",
            Field::AutotaskId => "Autotask company ID",
            Field::AutotaskName => "Autotask company",
            Field::AutotaskStatus => "Autotask status",
            Field::AutotaskChecked => "Autotask checked",
            Field::Created => "Created",
            Field::Updated => "Updated",
        }
    }

    /// A header as it is looked up: its letters and digits, folded; '#' reads as "no".
    pub(super) fn key_of(header: &str) -> String {
        match header.is_ascii() {
            // Nothing to fold (and this is asked of values too, row after row).
            true => {
                let mut key = String::with_capacity(header.len());
                for b in header.bytes() {
                    match b {
                        b'#' => key.push_str("no"),
                        b if b.is_ascii_alphanumeric() => key.push(b.to_ascii_lowercase().into()),
                        _ => {}
                    }
                }
                key
            }
            false => fold(&header.replace('#', " no "))
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect(),
        }
    }

    /// The field a header names: case, spaces, punctuation and accents ignored, common
    /// synonyms accepted.
    pub fn from_header(header: &str) -> Option<Field> {
        // "Customer #" is a number, not the customer: '#' reads as "no".
        let key = Self::key_of(header);
        if let Some(field) = Self::from_key(&key) {
            return Some(field);
        }
        // CRM and accounting exports name one address of several: "Billing Street", "Business
        // Postal Code", "Address 1: City" (Dynamics). Only address columns: "Billing ID" or
        // "Billing Status" are about invoices, not the customer.
        address_prefix(&key)
            .and_then(|p| Self::from_key(&key[p.len()..]))
            .filter(|f| matches!(f, Field::Street | Field::Zip | Field::City | Field::Country))
    }

    /// How roughly a header names its field: 0 for the field itself; more for a column that
    /// may hold more than the field, or something near it — the whole address for the street,
    /// a company's domain for its website, another number (a tool's internal record number,
    /// Xero's company registration number) for the customer ID, a legal name for
    /// the name. Of two columns for one field (of one address), the less rough one feeds it.
    pub(super) fn roughness(self, header: &str) -> u8 {
        let key = Self::key_of(header);
        let key = address_prefix(&key).map_or(key.as_str(), |p| &key[p.len()..]);
        match self {
            Field::Street if key.ends_with("address") && !key.ends_with("streetaddress") => 1,
            Field::Url if key.contains("domain") => 1,
            // A tool's own record number: Autotask's "Company ID", Salesforce's "Account ID"
            // (beside the "Account Number" people use), a bare "ID".
            Field::CustomerId if matches!(key, "companyid" | "accountid" | "id") => 2,
            Field::CustomerId if key == "companynumber" || key == "companyno" => 1,
            Field::Name if key == "legalname" => 1,
            _ => 0,
        }
    }

    /// The field of a header's key: its letters and digits, folded.
    pub(super) fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "customerid" | "id" | "slug" | "customerslug" | "customerno" | "customernumber"
            | "customercode" | "custno" | "clientid" | "clientno" | "clientnumber"
            | "clientcode" | "accountid" | "accountno" | "accountnumber" | "accountcode"
            | "companyid" | "companynumber" | "companyno" | "kundennummer" | "kundennr"
            | "kdnr" => Field::CustomerId,
            "name" | "customer" | "customername" | "company" | "companyname" | "client"
            | "clientname" | "account" | "accountname" | "organisation" | "organization"
            | "organisationname" | "organizationname" | "businessname" | "legalname"
            | "sitename" | "firma" | "firmenname" | "kunde" | "kundenname" => Field::Name,
            "street" | "streetaddress" | "address" | "address1" | "addressline1" | "street1"
            | "strasse" | "straße" | "adresse" => Field::Street,
            "zip" | "zipcode" | "postalcode" | "postcode" | "plz" | "postal" | "zippostalcode"
            | "postalzipcode" | "zippostcode" | "postleitzahl" => Field::Zip,
            "city" | "town" | "ort" | "locality" | "towncity" | "citytown" | "stadt" => Field::City,
            // Microsoft's exports say "Country/Region".
            "country" | "countrycode" | "countryname" | "land" | "countryregion"
            | "countryorregion" | "countryterritory" => Field::Country,
            // HubSpot's companies have a "Company Domain Name" (a bare domain reads as a URL).
            // Not "Domain" alone: in IT that is as often a Windows or Microsoft 365 domain.
            "url" | "website" | "web" | "homepage" | "www" | "webaddress" | "websiteurl"
            | "webpage" | "companydomain" | "companydomainname" | "webseite" | "internet" => {
                Field::Url
            }
            "comment" | "comments" | "notes" | "note" | "remarks" | "description" | "bemerkung"
            | "bemerkungen" | "notiz" | "notizen" | "kommentar" | "anmerkung" | "anmerkungen" => {
                Field::Comment
            }
            // Not "State": in American addresses (and in Autotask's companies) that is the
            // state, which no customer field holds; it is ignored.
            "valid" | "validity" | "status" => Field::Validity,
            "active" | "isactive" | "enabled" | "aktiv" => Field::Active,
            // HaloPSA's "Inactive", Hudu's "archived".
            "inactive" | "isinactive" | "archived" | "isarchived" | "deactivated" | "inaktiv" => {
                Field::Inactive
            }
            "owncompany" | "own" | "isown" => Field::Own,
            "autotaskcompanyid" | "autotaskid" | "atcompanyid" => Field::AutotaskId,
            "autotaskcompany" | "autotaskcompanyname" => Field::AutotaskName,
            "autotaskstatus" => Field::AutotaskStatus,
            "autotaskchecked" | "autotaskcheckedat" | "autotasklastchecked" => {
                Field::AutotaskChecked
            }
            // Only the exporter's names: other tools' date columns ("Date created", "Last
            // modified" …) come in local formats that would reject whole rows; they stay ignored.
            "created" | "createdat" => Field::Created,
            "updated" | "updatedat" => Field::Updated,
            _ => return None,
        })
    }
}

/// Keys (see [`Field::key_of`]) of columns customer lists often have that no customer field
/// takes: in an ignored column of a row, such a value is a header's, not a customer's.
pub(super) const OTHER_COLUMNS: &[&str] = &[
    "phone",
    "phonenumber",
    "telephone",
    "tel",
    "telefon",
    "fax",
    "mobile",
    "mobilephone",
    "cell",
    "email",
    "emailaddress",
    "mail",
    "contact",
    "contactname",
    "contactperson",
    "firstname",
    "lastname",
    "title",
    "industry",
    "type",
    "owner",
    "accountowner",
    "state",
    "province",
    "region",
    "county",
    "vatnumber",
    "taxid",
    "ansprechpartner",
];

/// What CRM and accounting exports put before the columns of one address of several
/// ("Billing Street", "Business Postal Code", Dynamics' "Address 1: City").
pub(super) const ADDRESS_PREFIXES: [&str; 6] = [
    "billing", "business", "mailing", "shipping", "physical", "address1",
];

/// The address prefix a header's key starts with, if it names more than the prefix.
pub(super) fn address_prefix(key: &str) -> Option<&'static str> {
    ADDRESS_PREFIXES
        .into_iter()
        .find(|p| key.len() > p.len() && key.starts_with(p))
}

/// One column of the file and what it feeds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Column {
    pub header: String,
    /// `None`: not a customer field (or a repeat of an earlier column); ignored.
    pub field: Option<Field>,
    /// A field that a more precise column feeds ("Billing Address" beside "Billing Street"):
    /// this one is read for a row where that column is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Field>,
    /// An Active or Inactive column of marks ("x"): an empty cell in it is a no (see
    /// [`marked_columns`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub marks: bool,
}

/// Whether one of `columns` feeds `field`.
pub fn has(columns: &[Column], field: Field) -> bool {
    columns.iter().any(|c| c.field == Some(field))
}

/// The header of the column that feeds `field` (for messages), or the field's own name.
pub fn header_of(columns: &[Column], field: Field) -> String {
    columns
        .iter()
        .find(|c| c.field == Some(field))
        .map_or_else(|| field.header().to_owned(), |c| c.header.clone())
}

/// The header of the column a row's value for `field` came from: the column it `fell_back`
/// to (see [`SourceRow::fell_back`]), or the field's own.
pub fn header_in(columns: &[Column], fell_back: &[(Field, usize)], field: Field) -> String {
    match fell_back.iter().find(|(f, _)| *f == field) {
        Some(&(_, i)) => columns[i].header.clone(),
        None => header_of(columns, field),
    }
}

/// The Active and Inactive columns whose values in the sample (the file's start, `skip` lines
/// of which come before the rows) are marks ("x", a tick) or empty, with at least one of each:
/// such a column says yes with a mark and no with nothing. In any other column an empty cell
/// says nothing (with "Update existing", the stored state stays).
pub(super) fn marked_columns(
    sample: &str,
    delimiter: u8,
    skip: usize,
    columns: &[Column],
) -> Vec<usize> {
    let flags: Vec<usize> = (0..columns.len())
        .filter(|&i| matches!(columns[i].field, Some(Field::Active | Field::Inactive)))
        .collect();
    if flags.is_empty() {
        return flags;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    // Per column: seen a mark, seen an empty cell, seen anything else.
    let mut seen = vec![(false, false, false); flags.len()];
    for record in reader.records().skip(skip).map_while(|r| r.ok()) {
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        for (k, &i) in flags.iter().enumerate() {
            let value = record.get(i).unwrap_or_default();
            match (value.trim().is_empty(), is_mark(value)) {
                (true, _) => seen[k].1 = true,
                (false, true) => seen[k].0 = true,
                (false, false) => seen[k].2 = true,
            }
        }
    }
    flags
        .into_iter()
        .zip(seen)
        .filter(|(_, (mark, empty, other))| *mark && *empty && !*other)
        .map(|(i, _)| i)
        .collect()
}
