//! A fake Autotask REST server for the integration tests: a real HTTP server on 127.0.0.1 (a
//! free port) that follows `autotask-api.md` — zone lookup, the three auth headers, Companies
//! query (POST body or GET `search=`; eq/noteq/gt/gte/lt/lte, contains/beginsWith/endsWith,
//! exist/notExist, in/notIn, and/or groups; MaxRecords 1–500; keyset paging by nextPageUrl),
//! Companies/{id} — and that can be told to misbehave (401, 429, 500, bad JSON, hang). Every
//! request is recorded so tests can count them.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiny_http::{Header, Request, Response, Server};

pub const USERNAME: &str = "api@example.com";
pub const SECRET: &str = "s3cr3t-Do-Not-Leak";
pub const INTEGRATION_CODE: &str = "TRACKING-ID-42";

/// A misbehaviour for the next authenticated request (zone lookups are never affected).
#[derive(Debug, Clone)]
pub enum Fault {
    Unauthorized,
    TooManyRequests {
        retry_after: Option<u64>,
    },
    /// A 429 whose `Retry-After` is this text as it is (seconds, an HTTP date, nonsense).
    TooManyRequestsSaying(String),
    /// This status with this body as it is.
    Body(u16, String),
    ServerError {
        errors: Vec<String>,
    },
    MalformedJson,
    Hang(Duration),
}

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    pub zone_lookup: bool,
}

struct State {
    companies: Vec<Value>,
    zone_prefix: String,
    faults: VecDeque<Fault>,
    seen: Vec<Seen>,
    /// Missing companies answer 200 `{"item": null}` instead of 404.
    null_item_for_missing: bool,
    /// Page size cap below MaxRecords (to page with few companies).
    page_size: usize,
    /// Company ids this API user may not read: `Companies/{id}` answers 403 and queries leave
    /// them out.
    denied: Vec<i64>,
}

pub struct FakeAutotask {
    server: Arc<Server>,
    state: Arc<Mutex<State>>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A CompanyModel the way Autotask sends it (of type 1, Customer).
pub fn company(id: i64, name: &str, city: &str, active: bool) -> Value {
    typed_company(id, name, city, active, 1)
}

/// A CompanyModel of the given `companyType` (1 Customer, 3 Prospect, 7 Vendor).
pub fn typed_company(id: i64, name: &str, city: &str, active: bool, company_type: i64) -> Value {
    json!({
        "id": id, "companyName": name, "companyNumber": format!("C{id}"),
        "companyType": company_type, "city": city, "isActive": active,
        "phone": "+1 555 0100", "userDefinedFields": []
    })
}

impl FakeAutotask {
    pub fn start(companies: Vec<Value>) -> Self {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("start the fake Autotask"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let state = Arc::new(Mutex::new(State {
            companies,
            zone_prefix: "/zone1/ATServicesRest".into(),
            faults: VecDeque::new(),
            seen: Vec::new(),
            null_item_for_missing: false,
            page_size: 500,
            denied: Vec::new(),
        }));
        let (srv, st) = (server.clone(), state.clone());
        let thread = std::thread::spawn(move || {
            for request in srv.incoming_requests() {
                let st = st.clone();
                std::thread::spawn(move || handle(request, &st, port));
            }
        });
        FakeAutotask {
            server,
            state,
            port,
            thread: Some(thread),
        }
    }

    /// The zone lookup base to give the client (`CLIENTBOOK_AUTOTASK_ZONE_URL`). Each call
    /// gives a new path, so a zone cached by an earlier fake on a reused port never applies.
    pub fn zone_url(&self) -> String {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("http://127.0.0.1:{}/lookup{n}/atservicesrest/", self.port)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn fail_next(&self, fault: Fault) {
        self.state().faults.push_back(fault);
    }

    /// Moves the user's data to another zone: the old REST base answers 401 from now on.
    pub fn move_zone(&self, prefix: &str) {
        self.state().zone_prefix = prefix.to_owned();
    }

    pub fn set_page_size(&self, n: usize) {
        self.state().page_size = n;
    }

    /// Changes one field of a stored company (a rename, a deactivation…).
    pub fn set_field(&self, id: i64, field: &str, value: Value) {
        let mut st = self.state();
        if let Some(c) = st
            .companies
            .iter_mut()
            .find(|c| c["id"].as_i64() == Some(id))
        {
            c[field] = value;
        }
    }

    /// Removes a company (as if it had been merged away).
    pub fn remove(&self, id: i64) {
        self.state()
            .companies
            .retain(|c| c["id"].as_i64() != Some(id));
    }

    pub fn add(&self, company: Value) {
        self.state().companies.push(company);
    }

    /// From now on `Companies/{id}` answers 403 for this id.
    pub fn deny(&self, id: i64) {
        self.state().denied.push(id);
    }

    pub fn answer_null_item_for_missing(&self) {
        self.state().null_item_for_missing = true;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state().seen.clone()
    }

    pub fn zone_lookups(&self) -> usize {
        self.seen().iter().filter(|s| s.zone_lookup).count()
    }

    pub fn api_requests(&self) -> usize {
        self.seen().iter().filter(|s| !s.zone_lookup).count()
    }
}

impl Drop for FakeAutotask {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/atservicesrest/")
}

fn reply(request: Request, status: u16, body: String) {
    let header = Header::from_bytes("Content-Type", "application/json").expect("header");
    let _ = request.respond(
        Response::from_string(body)
            .with_status_code(status)
            .with_header(header),
    );
}

fn errors(messages: &[&str]) -> String {
    json!({ "errors": messages }).to_string()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn handle(mut request: Request, state: &Mutex<State>, port: u16) {
    let lock = || state.lock().unwrap_or_else(|p| p.into_inner());
    let full = request.url().to_owned();
    let (path, query) = full.split_once('?').unwrap_or((&full, ""));
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let lower = path.to_lowercase();
    let zone_lookup = lower.ends_with("/zoneinformation");
    lock().seen.push(Seen {
        method: request.method().as_str().to_owned(),
        path: path.to_owned(),
        zone_lookup,
    });

    if zone_lookup {
        let user = param("user").unwrap_or_default();
        if !user.eq_ignore_ascii_case(USERNAME) {
            return reply(
                request,
                500,
                errors(&["Zone information could not be determined"]),
            );
        }
        let prefix = lock().zone_prefix.clone();
        let body = json!({
            "zoneName": "Fake Zone",
            "url": format!("http://127.0.0.1:{port}{prefix}"),
            "webUrl": "https://ww1.example.invalid/", "ci": 1
        });
        return reply(request, 200, body.to_string());
    }

    // Authentication, as Autotask answers it.
    let user_ok = header(&request, "UserName").is_some_and(|u| u.eq_ignore_ascii_case(USERNAME));
    let secret_ok = header(&request, "Secret") == Some(SECRET);
    let code = header(&request, "ApiIntegrationCode");
    if !user_ok || !secret_ok || code.is_none() {
        return reply(request, 401, String::new());
    }
    if code != Some(INTEGRATION_CODE) {
        return reply(request, 500, errors(&["IntegrationCode is invalid."]));
    }

    let prefix = lock().zone_prefix.to_lowercase();
    let Some(rest) = lower.strip_prefix(&format!("{}/", prefix.trim_end_matches('/'))) else {
        // The user's data is not in this zone (any more).
        return reply(request, 401, String::new());
    };
    let rest = rest.to_owned();

    let fault = lock().faults.pop_front();
    match fault {
        Some(Fault::Unauthorized) => return reply(request, 401, String::new()),
        Some(Fault::TooManyRequests { retry_after }) => {
            let mut response = Response::from_string(errors(&[
                "Thread Threshold Exceeded - The Autotask API thread threshold of 3 threads has been exceeded",
            ]))
            .with_status_code(429);
            if let Some(s) = retry_after {
                response = response
                    .with_header(Header::from_bytes("Retry-After", s.to_string()).expect("header"));
            }
            let _ = request.respond(response);
            return;
        }
        Some(Fault::TooManyRequestsSaying(value)) => {
            let response = Response::from_string(errors(&["Too many requests"]))
                .with_status_code(429)
                .with_header(Header::from_bytes("Retry-After", value).expect("header"));
            let _ = request.respond(response);
            return;
        }
        Some(Fault::Body(status, body)) => return reply(request, status, body),
        Some(Fault::ServerError { errors: e }) => {
            return reply(request, 500, json!({ "errors": e }).to_string())
        }
        Some(Fault::MalformedJson) => {
            return reply(request, 200, "{\"items\": [ {\"id\": 1,".into())
        }
        Some(Fault::Hang(d)) => {
            std::thread::sleep(d);
            return;
        }
        None => {}
    }

    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let method = request.method().as_str().to_uppercase();

    if rest == "v1.0/companies/query" || rest == "v1.0/companies/query/next" {
        let query_text = if method == "POST" && !body.trim().is_empty() {
            body
        } else if let Some(s) = param("search") {
            s
        } else {
            return reply(
                request,
                500,
                errors(&["A query needs a filter (search= or a body)."]),
            );
        };
        let after = param("paging")
            .and_then(|p| serde_json::from_str::<Value>(&p).ok())
            .and_then(|p| p["lastId"].as_i64());
        let (status, answer) = run_query(&lock(), &query_text, after, port);
        return reply(request, status, answer);
    }
    if let Some(id) = rest.strip_prefix("v1.0/companies/") {
        let Ok(id) = id.parse::<i64>() else {
            return reply(request, 404, String::new());
        };
        let st = lock();
        if st.denied.contains(&id) {
            return reply(
                request,
                403,
                errors(&["The logged in Resource does not have the adequate permissions."]),
            );
        }
        let found = st
            .companies
            .iter()
            .find(|c| c["id"].as_i64() == Some(id))
            .cloned();
        return match found {
            Some(c) => reply(request, 200, json!({ "item": c }).to_string()),
            None if st.null_item_for_missing => {
                reply(request, 200, json!({"item": null}).to_string())
            }
            None => reply(request, 404, String::new()),
        };
    }
    reply(request, 404, errors(&["No such route."]))
}

fn run_query(st: &State, text: &str, after: Option<i64>, port: u16) -> (u16, String) {
    let Ok(query) = serde_json::from_str::<Value>(text) else {
        return (500, errors(&["The query is not valid JSON."]));
    };
    let get = |names: &[&str]| names.iter().find_map(|n| query.get(*n)).cloned();
    let max = get(&["MaxRecords", "maxRecords"])
        .and_then(|v| v.as_u64())
        .unwrap_or(500);
    if !(1..=500).contains(&max) {
        return (500, errors(&["MaxRecords must be between 1 and 500."]));
    }
    let Some(Value::Array(filter)) = get(&["filter", "Filter"]) else {
        return (500, errors(&["A query needs a filter."]));
    };
    if filter.is_empty() {
        return (500, errors(&["A query needs a filter."]));
    }
    let mut matched = Vec::new();
    for c in &st.companies {
        if c["id"].as_i64().is_some_and(|id| st.denied.contains(&id)) {
            continue;
        }
        match filter
            .iter()
            .try_fold(true, |acc, f| Ok::<_, String>(acc && matches(c, f)?))
        {
            Ok(true) => matched.push(c.clone()),
            Ok(false) => {}
            Err(e) => return (500, errors(&[&e])),
        }
    }
    matched.sort_by_key(|c| c["id"].as_i64());
    let page_size = (max as usize).min(st.page_size);
    let rest: Vec<Value> = matched
        .into_iter()
        .filter(|c| after.is_none_or(|a| c["id"].as_i64().unwrap_or(0) > a))
        .collect();
    let page: Vec<Value> = rest.iter().take(page_size).cloned().collect();
    let next = if rest.len() > page_size {
        let last = page.last().and_then(|c| c["id"].as_i64()).unwrap_or(0);
        let paging = json!({"pageSize": page_size, "lastId": last}).to_string();
        let encoded: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("paging", &paging)
            .append_pair("search", text)
            .finish();
        Value::String(format!(
            "http://127.0.0.1:{port}{}/V1.0/Companies/query/next?{encoded}",
            st.zone_prefix.trim_end_matches('/')
        ))
    } else {
        Value::Null
    };
    let body = json!({
        "items": page,
        "pageDetails": {"count": page.len(), "requestCount": max, "prevPageUrl": null, "nextPageUrl": next}
    });
    (200, body.to_string())
}

/// The value of a field, names compared without case.
fn field<'a>(company: &'a Value, name: &str) -> Option<&'a Value> {
    company
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn matches(company: &Value, f: &Value) -> Result<bool, String> {
    let op = f["op"]
        .as_str()
        .ok_or("A filter item has no op.")?
        .to_lowercase();
    if op == "and" || op == "or" {
        let items = f["items"].as_array().ok_or("A group has no items.")?;
        let mut results = items.iter().map(|i| matches(company, i));
        return if op == "and" {
            results.try_fold(true, |acc, r| Ok(acc && r?))
        } else {
            results.try_fold(false, |acc, r| Ok(acc || r?))
        };
    }
    let name = f["field"].as_str().ok_or("A filter item has no field.")?;
    let actual = field(company, name).cloned().unwrap_or(Value::Null);
    let value = &f["value"];
    let text = |v: &Value| {
        v.as_str()
            .map(str::to_lowercase)
            .unwrap_or_else(|| v.to_string())
    };
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    Ok(match op.as_str() {
        "eq" => same(&actual, value),
        "noteq" => !same(&actual, value),
        "gt" => num(&actual) > num(value),
        "gte" => num(&actual) >= num(value),
        "lt" => num(&actual) < num(value),
        "lte" => num(&actual) <= num(value),
        "contains" => text(&actual).contains(&text(value)),
        "beginswith" => text(&actual).starts_with(&text(value)),
        "endswith" => text(&actual).ends_with(&text(value)),
        "exist" => !actual.is_null(),
        "notexist" => actual.is_null(),
        "in" | "notin" => {
            let list = value.as_array().ok_or("in/notIn need an array value.")?;
            if list.len() > 500 {
                return Err("Queries are limited to 500 or fewer 'in' values.".into());
            }
            let found = list.iter().any(|v| same(&actual, v));
            if op == "in" {
                found
            } else {
                !found
            }
        }
        other => return Err(format!("Unknown filter operator '{other}'.")),
    })
}

/// The credentials the fake accepts.
pub fn test_credentials() -> clientbook::autotask::Credentials {
    clientbook::autotask::Credentials::new(USERNAME, SECRET, INTEGRATION_CODE)
        .expect("the fake's credentials are valid")
}

/// Client settings for tests: the zone lookup at `zone_url`, short timeouts, and retry waits
/// shortened so that a 429 test takes milliseconds.
pub fn test_settings(
    zone_url: String,
    request_timeout: Duration,
) -> clientbook::autotask::Settings {
    clientbook::autotask::Settings {
        zone_url,
        connect_timeout: Duration::from_secs(2),
        request_timeout,
        max_retry_wait: Duration::from_millis(50),
        ..Default::default()
    }
}

/// The companies both lists below start with (12 is inactive), then the active companies `more`
/// as (id, name, city).
fn companies_and(more: &[(i64, &str, &str)]) -> Vec<serde_json::Value> {
    let mut companies = vec![
        company(0, "Our MSP", "Springfield", true),
        company(11, "Acme Corp", "Berlin", true),
        company(12, "ACME Holdings", "Paris", false),
        company(13, "Globex", "Berlin", true),
    ];
    companies.extend(
        more.iter()
            .map(|&(id, name, city)| company(id, name, city, true)),
    );
    companies
}

/// Companies for the client's tests: a search for "acme" finds three of them.
pub fn sample() -> Vec<serde_json::Value> {
    companies_and(&[(14, "Initech Acme Services", "Austin")])
}

/// Companies for the mapping tests: customers of type Customer to map and pull.
pub fn customer_companies() -> Vec<serde_json::Value> {
    companies_and(&[
        (14, "Initech", "Austin"),
        (15, "Umbrella", "Raccoon City"),
        (16, "Hooli", "Palo Alto"),
    ])
}
