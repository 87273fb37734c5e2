//! The Autotask REST transport: zone lookup (cached per user name), the three auth headers,
//! timeouts, 429 retries, and turning every failure into an [`Error`] a person can act on.
//!
//! The client is **blocking** (reqwest's blocking client), like the store: the CLI calls it
//! directly and the desktop shell calls it through `spawn_blocking`, so the core needs no async
//! runtime of its own in its API. (Never call it on an async executor thread: reqwest's blocking
//! client refuses to run there.)

use super::answer::{
    answer_error, error_texts, human_duration, parse_json, retry_after, same_origin, scrub,
};
use super::credentials::Credentials;
use crate::{Error, Result};
use reqwest::blocking::{Client as Http, RequestBuilder};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Base URL of the zone lookup: Autotask's public web-services host.
pub const DEFAULT_ZONE_URL: &str = "https://webservices.autotask.net/atservicesrest/";
/// Replaces [`DEFAULT_ZONE_URL`] (tests, proxies, sandboxes).
pub const ZONE_URL_ENV: &str = "CLIENTBOOK_AUTOTASK_ZONE_URL";

/// How long a zone lookup stays cached (django-autotask uses 12 h too).
const ZONE_TTL: Duration = Duration::from_secs(12 * 3600);

/// Told when the client starts waiting after a 429 and then every second of the wait, so that a
/// front end can count it down.
pub type RetryObserver = Arc<dyn Fn(RetryWait) + Send + Sync>;

/// One wait after a 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryWait {
    /// The wait Autotask asked for (`Retry-After`, or 30 s when absent).
    pub requested: Duration,
    /// The wait slept (the request, capped by [`Settings::max_retry_wait`]).
    pub sleeping: Duration,
    /// What is left of it.
    pub remaining: Duration,
    /// The try that just failed (1-based).
    pub attempt: u32,
}

/// The longest wait after a 429 (README ▸ Autotask): a `Retry-After` longer than this ends the
/// request at once, saying when to try again, instead of keeping anyone waiting.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);

/// Connection settings. [`Settings::from_env`] is what the app and the CLI use; tests shorten
/// the timeouts and the retry wait.
#[derive(Clone)]
pub struct Settings {
    /// Base of the zone lookup, ending in `/`: `{zone_url}v1.0/zoneInformation?user=…`.
    pub zone_url: String,
    pub connect_timeout: Duration,
    /// Whole request, answer included.
    pub request_timeout: Duration,
    /// How many times one request is sent while Autotask answers 429.
    pub max_tries: u32,
    /// Upper bound of one wait after a 429 (the `Retry-After` value is honoured up to this;
    /// tests shorten it to keep fast).
    pub max_retry_wait: Duration,
    /// A `Retry-After` longer than this is not waited for at all: the request ends at once.
    pub longest_wait: Duration,
    pub on_retry: Option<RetryObserver>,
    /// Set to stop a wait at once (the window's Cancel); the request then ends as cancelled.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            zone_url: DEFAULT_ZONE_URL.to_owned(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_tries: 3,
            max_retry_wait: MAX_RETRY_WAIT,
            longest_wait: MAX_RETRY_WAIT,
            on_retry: None,
            cancel: None,
        }
    }
}

impl Settings {
    /// Defaults, with the zone URL from `CLIENTBOOK_AUTOTASK_ZONE_URL` when set.
    pub fn from_env() -> Self {
        let mut s = Settings::default();
        if let Ok(url) = std::env::var(ZONE_URL_ENV) {
            if !url.trim().is_empty() {
                s.zone_url = url.trim().to_owned();
            }
        }
        s
    }
}

/// Where an API user's data lives (the answer of the zone lookup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Zone {
    pub name: String,
    /// REST base, ending in `/` (`https://webservices15.autotask.net/ATServicesRest/`).
    pub url: String,
    pub web_url: Option<String>,
}

type ZoneCache = Mutex<HashMap<(String, String), (Zone, Instant)>>;

/// Zone lookups of this process, keyed by (zone lookup base, user name).
fn zone_cache() -> &'static ZoneCache {
    static CACHE: OnceLock<ZoneCache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// An Autotask API session for one user.
pub struct Client {
    http: Http,
    settings: Settings,
    credentials: Credentials,
}

/// What a request goes to: a path under the zone's REST base, or a URL Autotask gave us.
pub(crate) enum Target<'a> {
    Path(&'a str),
    Url(&'a str),
}

impl Client {
    pub fn new(credentials: Credentials, mut settings: Settings) -> Result<Self> {
        if !settings.zone_url.ends_with('/') {
            settings.zone_url.push('/');
        }
        let http = Http::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .user_agent(concat!("Clientbook/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Autotask {
                status: None,
                message: format!("Could not set up the connection to Autotask: {e}."),
            })?;
        Ok(Client {
            http,
            settings,
            credentials,
        })
    }

    pub fn username(&self) -> &str {
        &self.credentials.username
    }

    fn cache_key(&self) -> (String, String) {
        (
            self.settings.zone_url.clone(),
            self.credentials.username.to_lowercase(),
        )
    }

    /// The user's zone, from the cache when it is fresh.
    pub fn zone(&self) -> Result<Zone> {
        Ok(self.zone_with_origin()?.0)
    }

    /// The zone and whether it came from the cache.
    fn zone_with_origin(&self) -> Result<(Zone, bool)> {
        let cached = zone_cache()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&self.cache_key())
            .filter(|(_, at)| at.elapsed() < ZONE_TTL)
            .map(|(z, _)| z.clone());
        match cached {
            Some(z) => Ok((z, true)),
            None => Ok((self.lookup_zone()?, false)),
        }
    }

    /// Asks Autotask for the user's zone (no auth headers needed) and caches the answer.
    pub fn lookup_zone(&self) -> Result<Zone> {
        let mut url =
            reqwest::Url::parse(&format!("{}v1.0/zoneInformation", self.settings.zone_url))
                .map_err(|e| Error::Autotask {
                    status: None,
                    message: format!(
                "The Autotask zone URL '{}' is not a valid URL ({e}); check {ZONE_URL_ENV}.",
                self.settings.zone_url
            ),
                })?;
        url.query_pairs_mut()
            .append_pair("user", &self.credentials.username);
        let (status, body) = self.execute(|| self.http.get(url.clone()))?;
        if !status.is_success() {
            let errors = error_texts(&body);
            if errors.iter().any(|e| {
                e.to_lowercase()
                    .contains("zone information could not be determined")
            }) {
                return Err(Error::Credentials {
                    field: "username",
                    message: format!(
                        "Autotask does not know the API user name '{}' ({}). Check the user name.",
                        self.credentials.username,
                        errors.join("; ")
                    ),
                });
            }
            return Err(answer_error(status, &body));
        }
        let json = parse_json(status, &body)?;
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| json.get(*n).and_then(Value::as_str))
                .map(str::to_owned)
        };
        let Some(mut base) = field(&["url", "Url", "URL"]).filter(|u| !u.is_empty()) else {
            return Err(Error::Autotask {
                status: Some(status.as_u16()),
                message: format!(
                    "Autotask's zone lookup for '{}' gave no URL (HTTP {}).",
                    self.credentials.username,
                    status.as_u16()
                ),
            });
        };
        if !base.ends_with('/') {
            base.push('/');
        }
        let zone = Zone {
            name: field(&["zoneName", "ZoneName"]).unwrap_or_default(),
            url: base,
            web_url: field(&["webUrl", "WebUrl", "webURL"]),
        };
        zone_cache()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(self.cache_key(), (zone.clone(), Instant::now()));
        Ok(zone)
    }

    /// One authenticated call. A 401 on a cached zone refreshes the zone once and, if it moved,
    /// repeats the call there. `None` for a 404.
    pub(crate) fn call(
        &self,
        method: Method,
        target: Target<'_>,
        body: Option<&Value>,
    ) -> Result<Option<Value>> {
        let (zone, cached) = self.zone_with_origin()?;
        let url = match target {
            Target::Path(p) => format!("{}{p}", zone.url),
            Target::Url(u) => {
                same_origin(&zone.url, u)?;
                u.to_owned()
            }
        };
        let (status, text) = self.send(&method, &url, body)?;
        if status == StatusCode::UNAUTHORIZED && cached {
            if let Target::Path(p) = target {
                let fresh = self.lookup_zone()?;
                if fresh.url != zone.url {
                    let (status, text) = self.send(&method, &format!("{}{p}", fresh.url), body)?;
                    return self.interpret(status, &text);
                }
            }
        }
        self.interpret(status, &text)
    }

    fn send(
        &self,
        method: &Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, String)> {
        let headers = self.auth_headers()?;
        self.execute(|| {
            let req = self
                .http
                .request(method.clone(), url)
                .headers(headers.clone());
            match body {
                Some(b) => req.json(b),
                None => req,
            }
        })
    }

    fn auth_headers(&self) -> Result<HeaderMap> {
        let value = |v: &str, field: &'static str, label: &str| {
            HeaderValue::from_str(v).map_err(|_| Error::Credentials {
                field,
                message: format!(
                    "The {label} contains characters that cannot be sent to Autotask."
                ),
            })
        };
        let c = &self.credentials;
        let mut secret = value(&c.secret, "secret", "secret")?;
        secret.set_sensitive(true);
        let mut code = value(&c.integration_code, "integration_code", "integration code")?;
        code.set_sensitive(true);
        let mut h = HeaderMap::new();
        h.insert("ApiIntegrationCode", code);
        h.insert("UserName", value(&c.username, "username", "user name")?);
        h.insert("Secret", secret);
        h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(h)
    }

    /// Sends a request, waiting and repeating while Autotask answers 429. Each answer is logged
    /// by method, path and status only: the query can hold the API user name, and the headers
    /// hold all three credentials.
    fn execute(&self, build: impl Fn() -> RequestBuilder) -> Result<(StatusCode, String)> {
        let mut attempt = 1;
        loop {
            let request = build().build().map_err(|e| self.unreachable(e))?;
            let what = format!("{} {}", request.method(), request.url().path());
            let started = std::time::Instant::now();
            let response = self.http.execute(request).map_err(|e| {
                let error = self.unreachable(e);
                log::warn!("Autotask {what}: {error}");
                error
            })?;
            let status = response.status();
            log::info!(
                "Autotask {what} → {} in {} ms",
                status.as_u16(),
                started.elapsed().as_millis()
            );
            if status == StatusCode::TOO_MANY_REQUESTS {
                let requested = retry_after(response.headers());
                let too_long = requested > self.settings.longest_wait;
                if attempt >= self.settings.max_tries || too_long {
                    let text = self.scrub(&response.text().unwrap_or_default());
                    let errors = error_texts(&text);
                    let said = match errors.is_empty() {
                        true => String::new(),
                        false => format!(": {}", errors.join("; ")),
                    };
                    let message = match too_long {
                        true => format!(
                            "Autotask is busy (HTTP 429, too many requests{said}) and asks to be \
                             left alone for {}, longer than Clientbook waits (at most {}). \
                             Nothing was changed; try again then.",
                            human_duration(requested),
                            human_duration(self.settings.longest_wait)
                        ),
                        false => format!(
                            "Autotask is busy (HTTP 429, too many requests{said}) and still \
                             refused after {attempt} tries. Nothing was changed; try again in {}.",
                            human_duration(requested)
                        ),
                    };
                    return Err(Error::Autotask {
                        status: Some(429),
                        message,
                    });
                }
                self.wait(requested, attempt)?;
                attempt += 1;
                continue;
            }
            let text = response.text().map_err(|e| self.unreachable(e))?;
            // What Autotask says about a failure is quoted in messages: never a credential.
            let text = match status.is_success() {
                true => text,
                false => self.scrub(&text),
            };
            return Ok((status, text));
        }
    }

    /// Waits after a 429: the requested time, capped, told to the observer as it starts and
    /// every second; a cancel ends it at once.
    fn wait(&self, requested: Duration, attempt: u32) -> Result<()> {
        let sleeping = requested.min(self.settings.max_retry_wait);
        let until = Instant::now() + sleeping;
        let mut told = None;
        loop {
            let remaining = until.saturating_duration_since(Instant::now());
            if self
                .settings
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::SeqCst))
            {
                return Err(Error::Cancelled);
            }
            if remaining.is_zero() {
                return Ok(());
            }
            let second = remaining.as_secs() + u64::from(remaining.subsec_nanos() > 0);
            if told != Some(second) {
                told = Some(second);
                if let Some(observer) = &self.settings.on_retry {
                    observer(RetryWait {
                        requested,
                        sleeping,
                        remaining,
                        attempt,
                    });
                }
            }
            std::thread::sleep(remaining.min(Duration::from_millis(100)));
        }
    }

    /// `text` from the server without this client's credentials in it.
    fn scrub(&self, text: &str) -> String {
        scrub(text, &self.credentials)
    }

    fn unreachable(&self, e: reqwest::Error) -> Error {
        let host = e
            .url()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "the Autotask server".to_owned());
        // The URL can carry the API user name in its query: it is never part of the message.
        let e = e.without_url();
        let why = if e.is_timeout() {
            format!(
                "{host} did not answer within {} seconds",
                self.settings.request_timeout.as_secs_f64()
            )
        } else if e.is_connect() {
            format!("could not connect to {host}")
        } else {
            format!("the connection to {host} failed")
        };
        // The innermost cause says "connection refused", "dns error", … — never a header value.
        let mut cause: &dyn std::error::Error = &e;
        while let Some(next) = cause.source() {
            cause = next;
        }
        Error::Unreachable(format!(
            "Autotask is not reachable: {why} ({cause}). Check the network connection and try again; nothing was changed."
        ))
    }

    /// Turns an answer into JSON, or into the error the person must read.
    fn interpret(&self, status: StatusCode, text: &str) -> Result<Option<Value>> {
        if status.is_success() {
            return parse_json(status, text).map(Some);
        }
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let errors = error_texts(text);
        if status == StatusCode::UNAUTHORIZED {
            return Err(Error::Credentials {
                field: "secret",
                message: format!(
                    "Autotask refused the secret for API user '{}' (HTTP 401{}). Check the secret.",
                    self.credentials.username,
                    if errors.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", errors.join("; "))
                    }
                ),
            });
        }
        if errors
            .iter()
            .any(|e| e.to_lowercase().contains("integrationcode"))
        {
            return Err(Error::Credentials {
                field: "integration_code",
                message: format!(
                    "Autotask does not accept the integration code (tracking identifier): {}",
                    errors.join("; ")
                ),
            });
        }
        Err(answer_error(status, text))
    }
}
