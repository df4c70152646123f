//! Borrowed views of a ticket and a roster row, for serving fast: the contract's full JSON,
//! written straight from the dataset's compact rows, splicing in the event's, admission's
//! and section's JSON serialised once per event ([`crate::dataset::EventData`]), so a page
//! of a hundred tickets clones nothing.

use std::fmt::Display;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use session_api::TicketStatus;

use crate::dataset::{Dataset, Email, Phone, Prefixed};
use crate::live::Live;
use crate::time::IsoMs;
use crate::wire::Scan;

/// Serialises any `Display` as a JSON string, written straight into the output.
struct Shown<T>(T);

impl<T: Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A ticket's or roster row's `attendee`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttendeeView<'a> {
    first_name: &'a str,
    last_name: &'a str,
    email: Shown<Email<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<Shown<Phone<'a>>>,
}

impl<'a> AttendeeView<'a> {
    fn new(ds: &'a Dataset, row: u32) -> AttendeeView<'a> {
        let a = ds.attendee_parts(row);
        AttendeeView {
            first_name: a.first,
            last_name: a.last,
            email: Shown(a.email),
            phone: a.phone.map(Shown),
        }
    }
}

/// A full ticket, as `GET /tickets`, `GET /tickets/{id}`, check-in answers and the import
/// file carry it: every field the contract requires, in its order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TicketView<'a> {
    id: Shown<Prefixed<'a>>,
    created_at: Shown<IsoMs>,
    updated_at: Shown<IsoMs>,
    scans: &'a [Scan],
    status: TicketStatus,
    attendee: AttendeeView<'a>,
    customer_id: &'a str,
    event_id: &'a str,
    event: &'a RawValue,
    admission_id: &'a str,
    admission: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a RawValue>,
    order_id: Shown<Prefixed<'a>>,
    team_id: &'a str,
    promoter_id: &'a str,
}

/// A page of `GET /tickets`.
#[derive(Serialize)]
pub(crate) struct TicketPageView<'a> {
    pub tickets: Vec<TicketView<'a>>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub limit: u32,
}

impl<'a> TicketView<'a> {
    /// A ticket with the given live state.
    pub fn new(
        ds: &'a Dataset,
        row: u32,
        status: TicketStatus,
        scans: &'a [Scan],
        updated_ms: i64,
    ) -> TicketView<'a> {
        let t = &ds.tickets[row as usize];
        let data = ds.event_of(row);
        TicketView {
            id: Shown(Prefixed("tkt", &t.id)),
            created_at: Shown(IsoMs(t.created_ms)),
            updated_at: Shown(IsoMs(updated_ms)),
            scans,
            status,
            attendee: AttendeeView::new(ds, row),
            customer_id: ds.customer_id(row),
            event_id: data.id(),
            event: &data.event_json,
            admission_id: ds.admission_id(row),
            admission: &data.admission_json[t.admission as usize],
            section: ds
                .section_id(row)
                .map(|_| &*data.section_json[t.section as usize]),
            order_id: Shown(Prefixed("ord", &ds.orders[t.order as usize].id)),
            team_id: ds.ticket_team_id(row),
            promoter_id: ds.promoter_id(row),
        }
    }

    /// A ticket as the simulator holds it now.
    pub fn live(ds: &'a Dataset, live: &'a Live, row: u32) -> TicketView<'a> {
        let updated = live
            .updated_ms
            .get(&row)
            .copied()
            .unwrap_or(ds.tickets[row as usize].updated_ms);
        TicketView::new(ds, row, live.status[row as usize], live.scans(row), updated)
    }

    /// A ticket in the dataset's initial state.
    pub fn initial(ds: &'a Dataset, row: u32) -> TicketView<'a> {
        let t = &ds.tickets[row as usize];
        TicketView::new(ds, row, t.status, ds.initial_scans(row), t.updated_ms)
    }

    /// As JSON.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("serialisable")
    }

    /// The client's reading of this ticket ([`session_api::Ticket`]).
    pub fn read(&self) -> session_api::Ticket {
        let bytes = serde_json::to_vec(self).expect("serialisable");
        serde_json::from_slice(&bytes).expect("the client reads every ticket the simulator sends")
    }
}

/// A row of `GET /tickets/attendees`: lighter than a ticket (no scan history).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RosterView<'a> {
    id: Shown<Prefixed<'a>>,
    order_id: Shown<Prefixed<'a>>,
    status: TicketStatus,
    attendee: AttendeeView<'a>,
    admission: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_scan: Option<LastScan<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_check_in_at: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LastScan<'a> {
    kind: session_api::ScanKind,
    scanned_at: &'a str,
}

/// A page of `GET /tickets/attendees`.
#[derive(Serialize)]
pub(crate) struct RosterPageView<'a> {
    pub tickets: Vec<RosterView<'a>>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub limit: u32,
}

impl<'a> RosterView<'a> {
    pub fn new(ds: &'a Dataset, live: &'a Live, row: u32) -> RosterView<'a> {
        let t = &ds.tickets[row as usize];
        let data = ds.event_of(row);
        let scans = live.scans(row);
        RosterView {
            id: Shown(Prefixed("tkt", &t.id)),
            order_id: Shown(Prefixed("ord", &ds.orders[t.order as usize].id)),
            status: live.status[row as usize],
            attendee: AttendeeView::new(ds, row),
            admission: &data.roster_admission_json[t.admission as usize],
            section: ds
                .section_id(row)
                .map(|_| &*data.roster_section_json[t.section as usize]),
            last_scan: scans.last().map(|s| LastScan {
                kind: s.kind,
                scanned_at: &s.scanned_at,
            }),
            last_check_in_at: scans
                .iter()
                .rev()
                .find(|s| s.kind == session_api::ScanKind::CheckIn)
                .map(|s| s.scanned_at.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Token;
    use crate::dataset::DatasetSpec;
    use serde_json::json;
    use session_api::ScanKind;
    use session_contract::Contract;

    #[test]
    fn every_ticket_and_roster_row_follows_the_contract_and_reads_back() {
        let ds = Dataset::generate(&DatasetSpec {
            tickets: 1_500,
            events: 2,
            ..DatasetSpec::default()
        });
        let mut live = Live::new(&ds);
        live.record(
            0,
            ScanKind::CheckIn,
            &Token::demo(),
            Some("d"),
            1_700_000_000_000,
        );
        live.record(
            0,
            ScanKind::CheckOut,
            &Token::demo(),
            None,
            1_700_000_001_000,
        );
        let rows = 0..ds.tickets.len() as u32;
        let tickets: Vec<_> = rows
            .clone()
            .map(|row| TicketView::live(&ds, &live, row).to_value())
            .collect();
        let roster: Vec<_> = rows
            .clone()
            .map(|row| serde_json::to_value(RosterView::new(&ds, &live, row)).unwrap())
            .collect();
        let c = Contract::get();
        let page = json!({ "tickets": tickets, "before": null, "after": null, "limit": 100 });
        let v = c.route("ticket.list").check_output(&page);
        assert!(v.is_empty(), "{:#?}", &v[..v.len().min(10)]);
        let page = json!({ "tickets": roster, "before": null, "after": null, "limit": 100 });
        let v = c.route("ticket.attendees.list").check_output(&page);
        assert!(v.is_empty(), "{:#?}", &v[..v.len().min(10)]);
        assert_eq!(
            tickets[0]["scans"][1]["deviceId"],
            json!(""),
            "no device: \"\""
        );
        for row in rows {
            let t = TicketView::live(&ds, &live, row).read();
            assert_eq!(t.id, tickets[row as usize]["id"].as_str().unwrap());
        }
    }

    #[test]
    fn view_of_an_imported_dataset_serialises_like_the_generated_one() {
        let generated = Dataset::generate(&DatasetSpec {
            tickets: 1_000,
            ..DatasetSpec::default()
        });
        let mut buf = Vec::new();
        generated.write_import_json(0, &mut buf).unwrap();
        let ds = Dataset::read_import(buf.as_slice()).unwrap();
        for row in 0..ds.tickets.len() as u32 {
            let view = TicketView::initial(&ds, row).to_value();
            let id = view["id"].as_str().unwrap();
            let orig_row = generated.ticket_row(id).unwrap();
            assert_eq!(view, TicketView::initial(&generated, orig_row).to_value());
        }
    }
}
