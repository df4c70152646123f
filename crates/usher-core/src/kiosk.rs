//! Kiosk mode, a switch of this device kept in `device.kiosk`: the window goes full screen
//! without chrome, keeps the screen awake while the door is open, and closes only with the
//! door PIN. Turning it on needs a door PIN (else nothing would guard closing); the station
//! asks for Setup's PIN before changing it either way.

use crate::error::{Error, Result};
use crate::i18n::Said;
use rusqlite::{Connection, OptionalExtension};

/// Whether this device is in kiosk mode (off on a device never set up).
pub fn kiosk(conn: &Connection) -> Result<bool> {
    let on: Option<bool> = conn
        .query_row("SELECT kiosk FROM device WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    Ok(on.unwrap_or(false))
}

/// Turns kiosk mode on or off. On is refused while the door has no PIN: closing a kiosk
/// asks for it.
pub fn set_kiosk(conn: &Connection, on: bool) -> Result<()> {
    if on && !crate::staff::has_pin(conn)? {
        return Err(Error::InvalidConfig(Said::new("config-kiosk-needs-pin")));
    }
    crate::settings::device_id(conn)?;
    conn.execute("UPDATE device SET kiosk = ?1 WHERE id = 1", [on])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn kiosk_mode_is_off_until_turned_on_and_stays_on_after_a_reopen() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        assert!(!kiosk(store.conn()).unwrap(), "a fresh device is no kiosk");
        crate::staff::set_pin(store.conn(), "2468").unwrap();
        set_kiosk(store.conn(), true).unwrap();
        drop(store);
        let store = Store::open(tmp.path()).unwrap();
        assert!(kiosk(store.conn()).unwrap(), "kept in the data folder");
        set_kiosk(store.conn(), false).unwrap();
        assert!(!kiosk(store.conn()).unwrap());
    }

    #[test]
    fn kiosk_mode_cannot_be_turned_on_without_a_door_pin() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let err = set_kiosk(store.conn(), true).unwrap_err();
        assert_eq!(err.code(), "INVALID_CONFIG", "{err}");
        assert!(err.to_string().contains("door PIN"), "{err}");
        assert!(!kiosk(store.conn()).unwrap(), "still off");
    }
}
