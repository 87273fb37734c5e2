//! Columns and values as other tools write them: synonyms, address columns of CRMs, a
//! precise column before a rough one, Active/Inactive/Archived, ticks, placeholders, another
//! tool's header further down.

use super::*;

/// Asserts how many customers an import added and how many of its rows were invalid.
fn assert_added_and_invalid(report: &ImportReport, added: u64, invalid: u64) {
    let counts = (report.inserted, report.invalid);
    assert_eq!(counts, (added, invalid), "{:?}", messages(report));
}

#[test]
fn headers_are_matched_loosely_and_unknown_columns_listed() {
    let csv = " customer name ;SLUG;Postal-Code;TOWN;country;Web site;NOTES;Status;Revenue;Owner\n\
               Acme;acme-x;10115;Berlin;Germany;acme.example;hi;invalid;5;me\n";
    let (db, store, report) = imported("h.csv", csv);
    assert_eq!(report.inserted, 1, "{report:?}");
    assert_eq!(report.ignored_columns, vec!["Revenue", "Owner"]);
    let c = get(&store, "acme-x");
    assert_eq!(c.zip.as_deref(), Some("10115"));
    assert_eq!(c.city.as_deref(), Some("Berlin"));
    assert_eq!(c.country.as_deref(), Some("DE"));
    assert_eq!(c.url.as_deref(), Some("https://acme.example"));
    assert_eq!(c.comment.as_deref(), Some("hi"));
    assert!(!c.active);

    // Another PSA's export: "Customer #" is the number, not the name, and Status says
    // Active / Inactive.
    let csv = "Customer #,Customer Name,Status\n1001,Acme Corp,Active\n1002,Beta Ltd,Inactive\n";
    let report = import(&store, &write(&db, "psa.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.skipped), (2, 0), "{report:?}");
    assert_eq!(get(&store, "1001").name, "Acme Corp");
    assert!(get(&store, "1001").active);
    assert!(!get(&store, "1002").active);
}

/// American company lists (and Autotask's companies) have a State column: it is ignored, not
/// read as the validity, which failed every row. CRM exports name one address of several.
#[test]
fn american_and_crm_exports_import_with_their_address_columns() {
    let (db, store) = temp_store();
    // Imports `csv`, a file of one customer, and asserts that it was added.
    let import_one = |file: &str, csv: &str| {
        let report = import(&store, &write(&db, file, csv.as_bytes()));
        assert_eq!((report.inserted, report.skipped), (1, 0), "{report:?}");
        report
    };
    let csv = "Company Name,Address 1,City,State,Postal Code,Country,Web Site,Phone\r\n\
               \"Acme, Inc\",1 Main St,Springfield,IL,62701,United States,acme.example,555-0100\r\n";
    let report = import_one("us.csv", csv);
    assert_eq!(report.ignored_columns, vec!["State", "Phone"]);
    let c = get(&store, "acme-inc");
    assert_eq!(c.street.as_deref(), Some("1 Main St"));
    assert_eq!(c.zip.as_deref(), Some("62701"));
    assert_eq!(c.country.as_deref(), Some("US"));
    assert!(c.active);

    // Salesforce's accounts: billing before shipping, and the billing address is the one read.
    let csv = "Account Name,Billing Street,Billing City,Billing State/Province,\
               Billing Zip/Postal Code,Billing Country,Shipping City,Website\n\
               Beta,2 Elm St,Austin,TX,78701,USA,Dallas,beta.example\n";
    let report = import_one("salesforce.csv", csv);
    assert_eq!(
        report.ignored_columns,
        vec!["Billing State/Province", "Shipping City"]
    );
    let c = get(&store, "beta");
    assert_eq!(
        (c.street.as_deref(), c.city.as_deref(), c.zip.as_deref()),
        (Some("2 Elm St"), Some("Austin"), Some("78701"))
    );
    assert_eq!(c.country.as_deref(), Some("US"));

    // Autotask's company fields as its API names them: companyNumber is the customer ID.
    let csv = "companyName,companyNumber,address1,city,state,postalCode,webAddress,isActive\n\
               Delta LLC,D-100,4 Pine,Reno,NV,89501,delta.example,false\n";
    let report = import_one("autotask.csv", csv);
    assert_eq!(report.ignored_columns, vec!["state"]);
    let c = get(&store, "d-100");
    assert_eq!(
        (c.name.as_str(), c.zip.as_deref()),
        ("Delta LLC", Some("89501"))
    );
    assert!(!c.active);

    // Microsoft's "Country/Region".
    let csv = "Company,Business Street,Business City,Country/Region\nGamma,3 Oak,Leeds,GB\n";
    import_one("outlook.csv", csv);
    assert_eq!(get(&store, "gamma").country.as_deref(), Some("GB"));
}

/// Values as other tools leave them: placeholders for "no value" in checked columns, an email
/// address in the website column, Status words that are not a validity, and creation times
/// with their zone written after them (Syncro, Hudu).
#[test]
fn other_tools_values_read_as_a_user_would_expect() {
    let csv = "Business Name,Email,Website,Country,Status,Created At\n\
               Acme,a@acme.example,acme.example,N/A,Active,2023-06-14 15:04:12 -0700\n\
               Beta,,-,unknown,-,2024-03-01 17:22:05 UTC\n\
               Gamma,,info@gamma.example,DE,,\n\
               Delta,,mailto:hi@delta.example,DE,,\n\
               Eps,,//eps.example,Deutschland,Prospect,\n";
    let (db, store, report) = imported("syncro.csv", csv);
    assert_added_and_invalid(&report, 2, 3);
    let m = messages(&report);
    assert_eq!(
        m[0],
        "Row 4, Website: 'info@gamma.example' is an email address, not a web address."
    );
    assert_eq!(
        m[1],
        "Row 5, Website: 'mailto:hi@delta.example' is an email address, not a web address."
    );
    assert_eq!(
        m[2],
        "Row 6, Status: 'Prospect' is not a validity: use valid, invalid or invalid-temporarily \
         (or yes/no, Active/Inactive)."
    );
    let acme = get(&store, "acme");
    assert_eq!(acme.country, None);
    assert_eq!(acme.created_at, "2023-06-14T22:04:12.000Z");
    let beta = get(&store, "beta");
    assert_eq!((beta.url, beta.country), (None, None));
    assert!(beta.active);
    assert_eq!(beta.created_at, "2024-03-01T17:22:05.000Z");

    // With "Update existing", a placeholder or an empty status keeps what is stored: it says
    // nothing is known, not that the value is gone; an empty country still clears it.
    let before = get(&store, "acme");
    let gamma_x = CustomerFields {
        country: Some("DE".into()),
        validity: Some("invalid-temporarily".into()),
        ..with_id("Gamma X", "gamma-x")
    };
    store.create_customer(gamma_x).unwrap();
    let csv = "Customer ID,Name,Country,Website,Status\nacme,Acme,n/a,-,unknown\n\
               gamma-x,Gamma X,,,\n";
    let update = updating();
    let report = run(&store, &write(&db, "upd.csv", csv.as_bytes()), update).unwrap();
    assert_eq!(report.invalid, 0, "{report:?}");
    let acme = get(&store, "acme");
    assert_eq!(
        (acme.country, acme.url, acme.active),
        (before.country, before.url, before.active)
    );
    let gamma = get(&store, "gamma-x");
    assert_eq!(gamma.country, None, "an empty country clears it");
    assert_eq!(gamma.validity, Validity::InvalidTemporarily);

    // The same with the last row's status left out: "//eps.example" is a link without its
    // scheme, and "Deutschland" is Germany.
    let csv = "Name,Website,Land\nEps,//eps.example,Deutschland\nZeta,,Österreich\n";
    let report = import(&store, &write(&db, "de.csv", csv.as_bytes()));
    assert_added_and_invalid(&report, 2, 0);
    let eps = get(&store, "eps");
    assert_eq!(eps.url.as_deref(), Some("https://eps.example"));
    assert_eq!(eps.country.as_deref(), Some("DE"));
    assert_eq!(get(&store, "zeta").country.as_deref(), Some("AT"));

    // A placeholder for the name is no name; one for the ID is none given (the ID is made
    // from the name); one for the street, ZIP or city is none, and "Update existing" keeps
    // the stored one.
    let csv = "Customer ID,Name,Street,ZIP,City\n\
               n/a,Theta,-,?,unknown\n\
               none,Iota,,,\n\
               x-1,n/a,1 Elm St,,\n\
               x-2,-,,,\n";
    let report = import(&store, &write(&db, "placeholders.csv", csv.as_bytes()));
    assert_eq!(
        messages(&report),
        [
            "Row 4, Name: 'n/a' stands for no name; a customer needs a name.",
            "Row 5, Name: '-' stands for no name; a customer needs a name.",
        ]
    );
    let theta = get(&store, "theta");
    assert_eq!((theta.street, theta.zip, theta.city), (None, None, None));
    assert_eq!(get(&store, "iota").name, "Iota");
    let csv = "Customer ID,Name,Street,City\nacme,Acme,1 Main St,Leeds\n";
    run(
        &store,
        &write(&db, "street.csv", csv.as_bytes()),
        updating(),
    )
    .unwrap();
    let csv = "Customer ID,Name,Street,City\nacme,Acme,n/a,-\n";
    let report = run(
        &store,
        &write(&db, "street2.csv", csv.as_bytes()),
        updating(),
    )
    .unwrap();
    assert_eq!(report.invalid, 0, "{report:?}");
    let acme = get(&store, "acme");
    assert_eq!(
        (acme.street.as_deref(), acme.city.as_deref()),
        (Some("1 Main St"), Some("Leeds"))
    );
}

/// Salesforce's 15-character IDs tell case apart; Clientbook's do not. "Update existing" with an
/// ID that matches another only when case is ignored would overwrite that customer: the row is
/// an error naming the stored ID, and the customer stays as it was.
#[test]
fn an_update_whose_id_matches_only_in_another_case_is_refused() {
    let (db, store) = temp_store();
    let csv = "Account ID,Account Name,City\n0015g00000Xy1aB,Alpha Dental,Austin\n";
    assert_eq!(
        import(&store, &write(&db, "a.csv", csv.as_bytes())).inserted,
        1
    );
    let csv = "Account ID,Account Name,City\n0015g00000Xy1ab,Bravo Legal,Boston\n\
               0015g00000Xy1aB,Alpha Dental,Dallas\n";
    let update = updating();
    let report = run(&store, &write(&db, "b.csv", csv.as_bytes()), update).unwrap();
    assert_eq!((report.updated, report.invalid), (1, 1), "{report:?}");
    assert_eq!(
        messages(&report)[0],
        "Row 2, Account ID: '0015g00000Xy1ab' matches the customer ID '0015g00000Xy1aB' \
         (\u{201c}Alpha Dental\u{201d}) only when case is ignored, as customer IDs are compared; \
         to update that customer, write its ID as '0015g00000Xy1aB'."
    );
    let alpha = get(&store, "0015g00000Xy1aB");
    assert_eq!(
        (alpha.name.as_str(), alpha.city.as_deref()),
        ("Alpha Dental", Some("Dallas"))
    );

    // Without "Update existing", the row says why its ID is taken, and what would update.
    let csv = "Account ID,Account Name\n0015g00000Xy1ab,Bravo Legal\n";
    let report = import(&store, &write(&db, "c.csv", csv.as_bytes()));
    assert_eq!(
        messages(&report),
        [
            "Row 2, Account ID: '0015g00000Xy1ab' is taken: the customer ID '0015g00000Xy1aB' \
          (\u{201c}Alpha Dental\u{201d}) differs only in case, and customer IDs are compared \
          without it. Give this row another ID, or to update that customer write its ID as \
          '0015g00000Xy1aB' and choose 'Update existing'."
        ]
    );
}

/// QuickBooks has "Billing Address" (the whole address, on one line) before "Billing Street":
/// the street column is the one read; HubSpot's website before its company domain.
#[test]
fn a_precise_column_is_read_before_a_rough_one() {
    let csv = "Customer,Billing Address,Billing Street,Billing City,Billing ZIP\n\
               Acme,\"4581 Finch St., Bayshore, CA 94326\",4581 Finch St.,Bayshore,94326\n\
               Omega,\"1 Main St, Springfield\",,Springfield,\n";
    let (db, store, report) = imported("qbo.csv", csv);
    assert_eq!(report.inserted, 2, "{report:?}");
    assert!(report.ignored_columns.is_empty(), "{report:?}");
    assert_eq!(report.columns[1].fallback, Some(Field::Street));
    // Where the street is empty, the address is read.
    assert_eq!(
        get(&store, "omega").street.as_deref(),
        Some("1 Main St, Springfield")
    );

    // Of another address, the whole address is not displaced: the first address stays one.
    let csv = "Name,Billing Address,Billing City,Shipping Street,Shipping City\n\
               Psi,1 Quay,Leeds,9 Dock Rd,Hull\n";
    let report = import(&store, &write(&db, "two-addresses.csv", csv.as_bytes()));
    assert_eq!(
        report.ignored_columns,
        vec!["Shipping Street", "Shipping City"]
    );
    let psi = get(&store, "psi");
    assert_eq!(
        (psi.street.as_deref(), psi.city.as_deref()),
        (Some("1 Quay"), Some("Leeds"))
    );
    assert_eq!(
        get(&store, "acme").street.as_deref(),
        Some("4581 Finch St.")
    );

    // Alone, the address is the street, as before.
    let csv = "Name,Address,City\nBeta,1 Elm St,Leeds\n";
    let report = import(&store, &write(&db, "plain.csv", csv.as_bytes()));
    assert!(report.ignored_columns.is_empty(), "{report:?}");
    assert_eq!(get(&store, "beta").street.as_deref(), Some("1 Elm St"));

    // HubSpot: the website, not the domain (often empty), is the URL.
    let csv = "Company name,Company Domain Name,Website URL\nGamma,,https://gamma.example/\n\
               Cyberdyne,cyberdyne.example,\n";
    let report = import(&store, &write(&db, "hubspot.csv", csv.as_bytes()));
    assert!(report.ignored_columns.is_empty(), "{report:?}");
    assert_eq!(
        get(&store, "gamma").url.as_deref(),
        Some("https://gamma.example/")
    );
    assert_eq!(
        get(&store, "cyberdyne").url.as_deref(),
        Some("https://cyberdyne.example")
    );
    // A placeholder in the first column is no value: the second is read.
    let csv = "Company name,Website URL,Company Domain Name\nUpsilon,n/a,upsilon.example\n";
    import(&store, &write(&db, "hubspot2.csv", csv.as_bytes()));
    assert_eq!(
        get(&store, "upsilon").url.as_deref(),
        Some("https://upsilon.example")
    );

    // Autotask's "Company ID" is its own number: "Company Number" is the customer ID. Xero's
    // "CompanyNumber" is a registration number: "AccountNumber" is. Neither is read where the
    // other is empty (two numbering schemes); a legal name is read where the name is empty,
    // but a contact person's name never is.
    let csv = "Company ID,Company Name,Company Number\n29683451,Contoso Ltd,C-1001\n";
    let report = import(&store, &write(&db, "autotask.csv", csv.as_bytes()));
    assert_eq!(report.ignored_columns, vec!["Company ID"]);
    assert_eq!(get(&store, "c-1001").name, "Contoso Ltd");
    let csv = "Name,CompanyNumber,AccountNumber,LegalName,Contact Name\n\
               Kappa Ltd,12345678,CL01,,Jane\n,87654321,CL02,Lambda Holdings Ltd,Joe\n\
               ,1,CL03,,John Smith\n";
    let report = import(&store, &write(&db, "xero.csv", csv.as_bytes()));
    assert_added_and_invalid(&report, 2, 1);
    assert_eq!(messages(&report), ["Row 4, Name: A customer needs a name."]);
    assert_eq!(get(&store, "cl01").name, "Kappa Ltd");
    assert_eq!(get(&store, "cl02").name, "Lambda Holdings Ltd");

    // Salesforce's "Account ID" is its own record number, whichever column comes first:
    // "Account Number" is the customer ID.
    let csv = "Account ID,Account Name,Account Number\n0015g00000Xy1aB,Mu Corp,MU-7\n";
    let report = import(&store, &write(&db, "salesforce.csv", csv.as_bytes()));
    assert_eq!(report.ignored_columns, vec!["Account ID"]);
    assert_eq!(get(&store, "mu-7").name, "Mu Corp");

    // A value read from the second column is that column's in a message about it.
    let csv = "Name,Website URL,Company Domain Name\nNu,,nu example\nXi,xi example,\n";
    let report = import(&store, &write(&db, "fallback-errors.csv", csv.as_bytes()));
    let columns: Vec<_> = report.errors.iter().map(|e| e.column.as_deref()).collect();
    assert_eq!(
        columns,
        [Some("Company Domain Name"), Some("Website URL")],
        "{:?}",
        messages(&report)
    );
}

/// HaloPSA's "Inactive" and Hudu's "archived" say the opposite of Active: such customers come
/// in inactive, not active with the column ignored.
#[test]
fn inactive_and_archived_columns_make_customers_inactive() {
    let (db, store) = temp_store();
    // Imports `csv`: two customers, `inactive` inactive and `active` active, and one row error,
    // whose message it returns.
    let first_error = |file: &str, csv: &str, inactive: &str, active: &str| {
        let report = import(&store, &write(&db, file, csv.as_bytes()));
        assert_added_and_invalid(&report, 2, 1);
        assert!(!get(&store, inactive).active);
        assert!(get(&store, active).active);
        messages(&report).remove(0)
    };
    let csv = "Name,Inactive\nOld Mill,True\nNew Mill,False\nOdd Mill,maybe\n";
    let halo = first_error("halo.csv", csv, "old-mill", "new-mill");
    assert!(halo.starts_with("Row 4, Inactive: 'maybe' is not yes or no"));

    // State words name the state, in an Inactive column too; a Status contradicted is named.
    let csv = "Name,Inactive,Status,Active\nRho,Inactive,,\nSigma,Active,,\nTau,,Inactive,Yes\n";
    assert_eq!(
        first_error("words.csv", csv, "rho", "sigma"),
        "Row 4, Active: 'Yes' contradicts Status 'Inactive'."
    );

    let csv = "name,archived,Active\nAlpha,true,\nBeta,false,yes\nGamma,true,yes\n";
    assert_eq!(
        first_error("hudu.csv", csv, "alpha", "beta"),
        "Row 4, archived: 'true' contradicts Active 'yes'."
    );
}

/// Files joined from two tools: the second's header names the same columns its own way, or
/// only some of them. Such a row is reported; a customer whose name is a column's name, in a
/// row with values that are not, is still a customer.
#[test]
fn another_tools_header_further_down_is_reported() {
    let csv = "Name,City,Country\nAcme,Berlin,DE\nCompany,Town,Country\nBeta,Bonn,DE\n\
               \"Name\",,\nCUSTOMER NAME,TOWN,\nCustomer,Graz,AT\n,City,\nDelta,Linz,AT\n\
               City,Name,\nCompany,,\n";
    let (db, store, report) = imported("two-tools.csv", csv);
    assert_eq!(report.inserted, 5, "{:?}", messages(&report));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3, 5, 6, 8, 10], "{:?}", messages(&report));
    for m in messages(&report) {
        assert!(m.contains(": A header row again"), "{m}");
    }
    assert_eq!(get(&store, "customer").city.as_deref(), Some("Graz"));
    // One header word alone, and not this header's own: a customer called "Company".
    assert_eq!(get(&store, "company").city, None);
    let names = names(&store);
    assert!(
        ["Name", "CUSTOMER NAME", "City", ""]
            .iter()
            .all(|n| !names.iter().any(|m| m == n)),
        "{names:?}"
    );

    // German names under English ones; and a customer ID that is a header word of another
    // field ("client", as the app makes it from the name Client) is still a customer's.
    let csv = "Name,Street,ZIP,City,Customer ID\nFirma,Straße,PLZ,Ort,\nClient,,,,client\n";
    let report = import(&store, &write(&db, "de-header.csv", csv.as_bytes()));
    assert_added_and_invalid(&report, 1, 1);
    assert!(messages(&report)[0].starts_with("Row 2: A header row again"));
    assert_eq!(get(&store, "client").name, "Client");

    // A column the import ignores may have another name in the second file's header.
    let csv = "Name,City,Phone\nEps,Berlin,1\nName,City,Telephone\nName,Bonn,2\n";
    let report = import(&store, &write(&db, "phones.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3], "{:?}", messages(&report));
    assert_eq!(get(&store, "name").city.as_deref(), Some("Bonn"));
    // One header word, with other tools' names for columns no customer field takes.
    let csv = "Company,Phone,Email\n\
               Rho,1,r@rho.example\n\
               Company,Telephone,E-Mail\n\
               Company,+49 1,c@company.example\n";
    let report = import(&store, &write(&db, "contacts.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3], "{:?}", messages(&report));
    assert_eq!(
        report.inserted, 2,
        "a customer called Company, with a phone"
    );

    // A value the column takes is the customer's, even where it also names the column: a
    // customer "Organisation" whose Status is "Valid". The header itself, repeated, is still
    // a header row.
    let csv = "Name,Status\nOrganisation,Valid\nName,Status\nKappa,valid\n";
    let report = import(&store, &write(&db, "valid.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3], "{:?}", messages(&report));
    assert!(get(&store, "organisation").active);
    // Such a value in another tool's header beside two header words: still a header row.
    let csv = "Name,City,Status\nLambda,Lund,valid\nName,City,Valid\nCompany,Town,Active\n";
    let report = import(&store, &write(&db, "valid2.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3, 4], "{:?}", messages(&report));
    assert_eq!(report.inserted, 1);
}

#[test]
fn active_yes_no_columns_and_country_spellings() {
    let csv = "Name,Active,Country\nA,yes,DEU\nB,no,Switzerland\nC,1,at\nD,false,\nE,maybe,\n";
    let (_db, store, report) = imported("a.csv", csv);
    assert_eq!(report.inserted, 4);
    assert!(get(&store, "a").active);
    assert!(!get(&store, "b").active);
    assert_eq!(get(&store, "b").country.as_deref(), Some("CH"));
    assert_eq!(get(&store, "c").country.as_deref(), Some("AT"));
    assert!(!get(&store, "d").active);
    assert_eq!(
        messages(&report),
        vec!["Row 6, Active: 'maybe' is not yes or no (use yes/no, true/false or 1/0)."]
    );
}

/// A spreadsheet's column of ticks: "x" (or ✓) for yes and nothing for no. Read as such, an
/// unticked customer is inactive — not active because the cell said nothing. A column with
/// other values keeps an empty cell as "not said".
#[test]
fn an_active_column_of_ticks_reads_an_empty_cell_as_no() {
    let csv = "Name,Active\nA,x\nB,\nC,\u{2713}\nD\n";
    let (db, store, report) = imported("ticks.csv", csv);
    assert_eq!(report.inserted, 4, "{:?}", messages(&report));
    assert!(report.columns[1].marks);
    let active = |id: &str| get(&store, id).active;
    assert_eq!(
        [active("a"), active("b"), active("c"), active("d")],
        [true, false, true, false]
    );

    // The same for an Archived column: ticked ones are inactive, the others active.
    let csv = "Name,Archived\nE,\nF,X\n";
    import(&store, &write(&db, "archived.csv", csv.as_bytes()));
    assert_eq!([active("e"), active("f")], [true, false]);

    // Yes/no words with some left empty: empty says nothing, and the customer is active.
    let csv = "Name,Active\nG,yes\nH,\nI,no\n";
    let report = import(&store, &write(&db, "words.csv", csv.as_bytes()));
    assert!(!report.columns[1].marks);
    assert_eq!([active("g"), active("h"), active("i")], [true, true, false]);
}

#[test]
fn a_one_column_name_file_imports_as_is() {
    let (db, store, report) = imported("n.csv", "Name\nacme-corp\nbeta-gmbh\n");
    assert_eq!(report.inserted, 2);
    assert_eq!(get(&store, "acme-corp").name, "acme-corp");
    assert_eq!(get(&store, "beta-gmbh").name, "beta-gmbh");

    // A customer named "Name" is one, not the header again.
    let report = import(&store, &write(&db, "name.csv", b"Name\nName\n"));
    assert_eq!(report.inserted, 1, "{report:?}");
    assert_eq!(get(&store, "name").name, "Name");
}
