//! The staff lock: a door PIN chosen at set-up guards the window's Setup and Forget (scanning,
//! lookup and activity stay open to anyone at the door). The PIN is kept as an Argon2id hash
//! (the `argon2` crate, PHC string with a random salt), never in plain text. Five wrong PINs
//! in a row lock Setup for a minute ([`StaffLock`]). The command line needs no PIN: it
//! already needs the OS account.

use crate::error::{Error, Result};
use crate::i18n::Said;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{Connection, OptionalExtension};
use std::time::{Duration, Instant};

/// Wrong PINs in a row before Setup locks.
pub const TRIES: u32 = 5;
/// How long Setup stays locked after [`TRIES`] wrong PINs.
pub const LOCKOUT: Duration = Duration::from_secs(60);

/// A PIN door staff can type on any keypad: 4 to 12 digits.
fn check_shape(pin: &str) -> Result<()> {
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidConfig(Said::new("config-pin-shape")));
    }
    Ok(())
}

/// Keeps `pin`'s Argon2id hash as this door's PIN.
pub fn set_pin(conn: &Connection, pin: &str) -> Result<()> {
    check_shape(pin)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| Error::Database(Said::new("db-no-random").with("os", e.to_string())))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::Database(Said::new("db-pin-hash").with("why", e.to_string())))?;
    let hash = Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| Error::Database(Said::new("db-pin-hash").with("why", e.to_string())))?
        .to_string();
    crate::settings::device_id(conn)?;
    conn.execute("UPDATE device SET staff_pin = ?1 WHERE id = 1", [hash])?;
    Ok(())
}

/// The stored hash, if a PIN was chosen.
fn stored(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT staff_pin FROM device WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten())
}

/// Whether this door has a PIN.
pub fn has_pin(conn: &Connection) -> Result<bool> {
    Ok(stored(conn)?.is_some())
}

/// Whether `pin` is this door's PIN (a door with none accepts nothing).
fn matches(conn: &Connection, pin: &str) -> Result<bool> {
    let Some(hash) = stored(conn)? else {
        return Ok(false);
    };
    let parsed = PasswordHash::new(&hash).map_err(|e| Error::CorruptCache {
        path: Default::default(),
        detail: format!("the stored door PIN is damaged ({e}): run set-up again"),
    })?;
    Ok(Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

/// Counts wrong PINs and locks Setup after [`TRIES`] in a row, for [`LOCKOUT`]. The time is
/// an argument, so tests move the clock.
#[derive(Debug, Default)]
pub struct StaffLock {
    wrong: u32,
    locked_until: Option<Instant>,
}

impl StaffLock {
    /// Checks `pin` against the door's; `Ok` unlocks.
    pub fn try_pin(&mut self, conn: &Connection, pin: &str, now: Instant) -> Result<()> {
        if let Some(until) = self.locked_until {
            if now < until {
                return Err(Error::PinLockedOut {
                    seconds: (until - now).as_secs().max(1),
                });
            }
            self.locked_until = None;
        }
        if matches(conn, pin)? {
            self.wrong = 0;
            return Ok(());
        }
        self.wrong += 1;
        if self.wrong >= TRIES {
            self.wrong = 0;
            self.locked_until = Some(now + LOCKOUT);
            return Err(Error::PinLockedOut {
                seconds: LOCKOUT.as_secs(),
            });
        }
        Err(Error::WrongPin {
            left: TRIES - self.wrong,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn the_pin_is_kept_as_an_argon2_hash_and_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        assert!(!has_pin(store.conn()).unwrap());
        set_pin(store.conn(), "246810").unwrap();
        let hash = stored(store.conn()).unwrap().unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("246810"));
        let mut lock = StaffLock::default();
        let now = Instant::now();
        lock.try_pin(store.conn(), "246810", now).unwrap();
        let err = lock.try_pin(store.conn(), "246811", now).unwrap_err();
        assert_eq!(err.code(), "WRONG_PIN");
        assert!(err.to_string().contains("4 more tries"), "{err}");
    }

    #[test]
    fn five_wrong_pins_lock_setup_for_a_minute_even_for_the_right_one() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        set_pin(store.conn(), "1357").unwrap();
        let mut lock = StaffLock::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            assert_eq!(
                lock.try_pin(store.conn(), "0000", t0).unwrap_err().code(),
                "WRONG_PIN"
            );
        }
        assert_eq!(
            lock.try_pin(store.conn(), "0000", t0).unwrap_err().code(),
            "PIN_LOCKED_OUT"
        );
        let err = lock
            .try_pin(store.conn(), "1357", t0 + Duration::from_secs(59))
            .unwrap_err();
        assert_eq!(
            err.code(),
            "PIN_LOCKED_OUT",
            "the right PIN waits out the minute too"
        );
        lock.try_pin(store.conn(), "1357", t0 + LOCKOUT).unwrap();
    }

    #[test]
    fn a_pin_that_is_not_4_to_12_digits_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        for bad in ["123", "12345678901234", "12a4", " 1234", ""] {
            assert!(set_pin(store.conn(), bad).is_err(), "{bad:?}");
        }
        assert!(!has_pin(store.conn()).unwrap());
    }
}
