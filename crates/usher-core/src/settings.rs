//! This device's configuration: which Session Services, tenant and event it serves, its
//! stable device id, and its gate profile. Stored in the `device` table.

use crate::error::{Error, Result};
use crate::gate::GateProfile;
use crate::i18n::Language;
use crate::i18n::Said;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use session_api::ids::is_id;
use std::fmt;

/// Which Session Services to talk to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ApiTarget {
    /// Session Services' production API (`prod` or `production`).
    Production,
    /// Session Services' sandbox API (`sandbox`).
    Sandbox,
    /// A literal base URL: the simulator, a staging proxy.
    Url(String),
}

impl ApiTarget {
    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        match self {
            ApiTarget::Production => "https://api.session.services",
            ApiTarget::Sandbox => "https://api.sandbox.session.services",
            ApiTarget::Url(u) => u,
        }
    }
}

impl std::str::FromStr for ApiTarget {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "prod" | "production" => Ok(ApiTarget::Production),
            "sandbox" => Ok(ApiTarget::Sandbox),
            u if u.starts_with("http://") || u.starts_with("https://") => {
                let u = u.trim_end_matches('/');
                check_base_url(u).map_err(|why| {
                    Error::InvalidConfig(
                        Said::new("config-base-url")
                            .with("url", format!("{s:?}"))
                            .with("why", why),
                    )
                })?;
                Ok(ApiTarget::Url(u.to_string()))
            }
            _ => Err(Error::InvalidConfig(
                Said::new("config-api").with("api", format!("{s:?}")),
            )),
        }
    }
}

/// A base URL the token may be sent to: parsed by the URL standard (the `url` crate), with no
/// user name, password, query or fragment, and `http://` only to this computer (localhost,
/// 127.0.0.0/8, ::1): over any network the token crosses in clear.
fn check_base_url(u: &str) -> std::result::Result<(), String> {
    if u.contains(char::is_whitespace) {
        return Err("it has spaces in it".into());
    }
    let url = url::Url::parse(u).map_err(|e| e.to_string())?;
    let host = url.host().ok_or("it names no host")?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "it must not hold a user name or password (the token is the credential)".into(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it must not hold a ?query or a #fragment".into());
    }
    let loopback = match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    if url.scheme() == "http" && !loopback {
        return Err(format!(
            "http:// would send the token in clear across the network to {host}: use \
             https://, or http:// only to this computer (localhost, 127.0.0.1, ::1)"
        ));
    }
    Ok(())
}

impl fmt::Display for ApiTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiTarget::Production => f.write_str("production"),
            ApiTarget::Sandbox => f.write_str("sandbox"),
            ApiTarget::Url(u) => f.write_str(u),
        }
    }
}

impl From<ApiTarget> for String {
    fn from(a: ApiTarget) -> String {
        a.to_string()
    }
}

impl TryFrom<String> for ApiTarget {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

/// What `usher setup` stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceConfig {
    /// Which Session Services the door talks to.
    pub api: ApiTarget,
    /// The tenant (`tnt_…`) the door works for: sent as `x-tenant-id` and kept with each scan.
    pub tenant_id: String,
    /// The event (`evt_…`) the door admits to.
    pub event_id: String,
    /// This door's gate profile.
    pub gate: GateProfile,
    /// Staff forced offline: every door decision comes from the cache.
    pub offline: bool,
}

impl DeviceConfig {
    /// Checks every id's shape, so a typo is caught at setup rather than at the door.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &'static str, v: &str, prefix: &'static str| {
            Error::InvalidConfig(
                Said::new("config-id")
                    .with("what", what)
                    .with("value", format!("{v:?}"))
                    .with("prefix", prefix),
            )
        };
        if !is_id("tnt", &self.tenant_id) {
            return Err(bad("tenant", &self.tenant_id, "tnt"));
        }
        if !is_id("evt", &self.event_id) {
            return Err(bad("event", &self.event_id, "evt"));
        }
        if let Some(a) = self.gate.admission_ids.iter().find(|a| !is_id("adm", a)) {
            return Err(bad("admission", a, "adm"));
        }
        if let Some(s) = self.gate.section_ids.iter().find(|s| !is_id("sct", s)) {
            return Err(bad("section", s, "sct"));
        }
        if self.gate.name.trim().is_empty() {
            return Err(Error::InvalidConfig(Said::new("config-gate-name")));
        }
        Ok(())
    }
}

/// This device's stable id, created on first use.
pub fn device_id(conn: &Connection) -> Result<String> {
    if let Some(id) = conn
        .query_row("SELECT device_id FROM device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
    {
        return Ok(id);
    }
    let id = format!("usher-{}", uuid::Uuid::new_v4());
    conn.execute(
        "INSERT INTO device(id, device_id, updated_ms) VALUES (1, ?1, ?2)
         ON CONFLICT(id) DO NOTHING",
        params![id, jiff::Timestamp::now().as_millisecond()],
    )?;
    // Another process may have won the race; read back whichever id stands.
    Ok(
        conn.query_row("SELECT device_id FROM device WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// Checks `config` and stores it as this device's configuration (creating the device id first
/// if needed).
pub fn save(conn: &Connection, config: &DeviceConfig) -> Result<()> {
    config.validate()?;
    device_id(conn)?;
    conn.execute(
        "UPDATE device SET api = ?1, tenant_id = ?2, event_id = ?3, gate_name = ?4, mode = ?5,
                admission_ids = ?6, section_ids = ?7, offline = ?8, updated_ms = ?9, lookup = ?10
         WHERE id = 1",
        params![
            config.api.to_string(),
            config.tenant_id,
            config.event_id,
            config.gate.name,
            config.gate.mode,
            serde_json::to_string(&config.gate.admission_ids).expect("strings serialize"),
            serde_json::to_string(&config.gate.section_ids).expect("strings serialize"),
            config.offline,
            jiff::Timestamp::now().as_millisecond(),
            config.gate.lookup,
        ],
    )?;
    Ok(())
}

/// The language this device was told to speak (Setup's selector, `usher language`); None:
/// follow the OS locale. A stored tag no catalog has reads as None.
pub fn language(conn: &Connection) -> Result<Option<Language>> {
    let tag: Option<Option<String>> = conn
        .query_row("SELECT language FROM device WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    Ok(tag.flatten().and_then(|t| Language::from_tag(&t)))
}

/// Stores the device's language (None: follow the OS again), creating the device row first
/// if needed.
pub fn save_language(conn: &Connection, language: Option<Language>) -> Result<()> {
    device_id(conn)?;
    conn.execute(
        "UPDATE device SET language = ?1, updated_ms = ?2 WHERE id = 1",
        params![
            language.map(Language::code),
            jiff::Timestamp::now().as_millisecond()
        ],
    )?;
    Ok(())
}

/// The stored configuration; `Error::NotSetUp` before `usher setup`.
pub fn load(conn: &Connection) -> Result<DeviceConfig> {
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
        bool,
        bool,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT api, tenant_id, event_id, gate_name, mode, admission_ids, section_ids, offline,
                    lookup
             FROM device WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .optional()?;
    let Some((Some(api), Some(tenant_id), Some(event_id), name, mode, adm, sct, offline, lookup)) =
        row
    else {
        return Err(Error::NotSetUp);
    };
    let damaged = |what: &'static str| {
        Error::InvalidConfig(Said::new("config-stored-damaged").with("what", what))
    };
    let config = DeviceConfig {
        api: api.parse().map_err(|_| damaged("api"))?,
        tenant_id,
        event_id,
        gate: GateProfile {
            name,
            mode: crate::column::parse(&mode).ok_or_else(|| damaged("mode"))?,
            admission_ids: serde_json::from_str(&adm).map_err(|_| damaged("admissions"))?,
            section_ids: serde_json::from_str(&sct).map_err(|_| damaged("sections"))?,
            lookup,
        },
        offline,
    };
    config.validate()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn api_target_parses_names_and_urls() {
        assert_eq!("prod".parse::<ApiTarget>().unwrap(), ApiTarget::Production);
        assert_eq!("sandbox".parse::<ApiTarget>().unwrap(), ApiTarget::Sandbox);
        assert_eq!(
            "http://127.0.0.1:8080/".parse::<ApiTarget>().unwrap(),
            ApiTarget::Url("http://127.0.0.1:8080".into())
        );
        assert!("ftp://x".parse::<ApiTarget>().is_err());
        assert!("https://".parse::<ApiTarget>().is_err());
    }

    #[test]
    fn http_is_refused_for_any_host_but_this_computer() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.0.0.2",
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://[::1]:9000",
            "https://api.example.com",
            "https://10.0.0.5/api",
        ] {
            assert!(ok.parse::<ApiTarget>().is_ok(), "{ok}");
        }
        for refused in [
            "http://192.168.1.20:8080",
            "http://api.example.com",
            "http://localhost.evil.example",
            "http://[::ffff:8.8.8.8]",
        ] {
            let err = refused.parse::<ApiTarget>().unwrap_err().to_string();
            assert!(err.contains("in clear"), "{refused}: {err}");
        }
    }

    #[test]
    fn a_base_url_with_credentials_a_query_or_a_fragment_is_refused() {
        for bad in [
            "https://user:pw@api.example.com",
            "https://user@api.example.com",
            "https://api.example.com/?tenant=x",
            "https://api.example.com/#x",
            "https://api example.com",
        ] {
            assert!(bad.parse::<ApiTarget>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_chosen_language_is_kept_in_the_device_row_and_can_go_back_to_the_os() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        assert_eq!(language(store.conn()).unwrap(), None);
        save_language(store.conn(), Some(Language::German)).unwrap();
        drop(store);
        let store = Store::open(tmp.path()).unwrap();
        assert_eq!(language(store.conn()).unwrap(), Some(Language::German));
        save_language(store.conn(), None).unwrap();
        assert_eq!(language(store.conn()).unwrap(), None);
    }

    #[test]
    fn config_round_trips_and_device_id_is_stable() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        assert!(matches!(load(store.conn()), Err(Error::NotSetUp)));
        let id = device_id(store.conn()).unwrap();
        let config = DeviceConfig {
            api: ApiTarget::Sandbox,
            tenant_id: "tnt_01jps5cgsg0s32w2pr73vbccde".into(),
            event_id: "evt_01jps5cgsg0s32w2pr73vbccde".into(),
            gate: GateProfile {
                name: "North".into(),
                mode: crate::gate::Mode::Exit,
                admission_ids: vec!["adm_01jps5cgsg0s32w2pr73vbccde".into()],
                section_ids: vec![],
                lookup: false,
            },
            offline: true,
        };
        save(store.conn(), &config).unwrap();
        assert_eq!(load(store.conn()).unwrap(), config);
        assert_eq!(device_id(store.conn()).unwrap(), id);
    }

    #[test]
    fn malformed_ids_are_refused_at_setup() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let config = DeviceConfig {
            api: ApiTarget::Sandbox,
            tenant_id: "tnt_nope".into(),
            event_id: "evt_01jps5cgsg0s32w2pr73vbccde".into(),
            gate: GateProfile::default(),
            offline: false,
        };
        let err = save(store.conn(), &config).unwrap_err();
        assert!(err.to_string().contains("tnt_nope"), "{err}");
    }
}
