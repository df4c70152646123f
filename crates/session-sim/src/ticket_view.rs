//! A borrowed view of a ticket for serving lists fast: the same JSON as
//! [`session_api::Ticket`] (a test compares them on every generated ticket) without cloning
//! the embedded event, admission and section for each of the hundred tickets of a page.

use std::fmt::Display;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use session_api::{ScanRecord, TicketStatus};

use crate::dataset::{Dataset, Email, Phone, Prefixed};
use crate::live::Live;
use crate::time::IsoMs;

/// Serialises any `Display` as a JSON string, written straight into the output.
struct Shown<T>(T);

impl<T: Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Mirrors `session_api::Attendee`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttendeeView<'a> {
    first_name: &'a str,
    last_name: &'a str,
    email: Shown<Email<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<Shown<Phone<'a>>>,
}

/// Mirrors `session_api::Ticket` field for field (same names, order and skipping rules).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TicketView<'a> {
    id: Shown<Prefixed<'a>>,
    status: TicketStatus,
    scans: &'a [ScanRecord],
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
    created_at: Shown<IsoMs>,
    updated_at: Shown<IsoMs>,
}

/// Mirrors `session_api::TicketPage`.
#[derive(Serialize)]
pub(crate) struct TicketPageView<'a> {
    pub tickets: Vec<TicketView<'a>>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub limit: u32,
}

impl<'a> TicketView<'a> {
    pub fn new(ds: &'a Dataset, live: &'a Live, row: u32) -> TicketView<'a> {
        let t = &ds.tickets[row as usize];
        let data = ds.event_of(row);
        let updated = live.updated_ms.get(&row).copied().unwrap_or(t.updated_ms);
        TicketView {
            id: Shown(Prefixed("tkt", &t.id)),
            status: live.status[row as usize],
            scans: live.scans(row),
            attendee: {
                let a = ds.attendee_parts(row);
                AttendeeView {
                    first_name: a.first,
                    last_name: a.last,
                    email: Shown(a.email),
                    phone: a.phone.map(Shown),
                }
            },
            customer_id: ds.customer_id(row),
            event_id: &data.event.id,
            event: &data.event_json,
            admission_id: ds.admission_id(row),
            admission: &data.admission_json[t.admission as usize],
            section: ds
                .section_id(row)
                .map(|_| &*data.section_json[t.section as usize]),
            order_id: Shown(Prefixed("ord", &ds.orders[t.order as usize].id)),
            team_id: ds.team_id(row),
            promoter_id: ds.promoter_id(row),
            created_at: Shown(IsoMs(t.created_ms)),
            updated_at: Shown(IsoMs(updated)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Token;
    use crate::dataset::DatasetSpec;
    use session_api::ScanKind;

    #[test]
    fn view_serialises_exactly_like_the_contract_ticket() {
        let ds = Dataset::generate(&DatasetSpec {
            tickets: 3_000,
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
        for row in 0..ds.tickets.len() as u32 {
            let view = serde_json::to_string(&TicketView::new(&ds, &live, row)).unwrap();
            let ticket = serde_json::to_string(&live.ticket(&ds, row)).unwrap();
            assert_eq!(view, ticket, "row {row}");
        }
    }

    #[test]
    fn view_of_an_imported_dataset_serialises_like_the_contract_ticket() {
        let generated = Dataset::generate(&DatasetSpec {
            tickets: 1_000,
            ..DatasetSpec::default()
        });
        let mut buf = Vec::new();
        generated.write_import_json(0, &mut buf).unwrap();
        let ds = Dataset::read_import(buf.as_slice()).unwrap();
        let live = Live::new(&ds);
        for row in 0..ds.tickets.len() as u32 {
            let view = serde_json::to_string(&TicketView::new(&ds, &live, row)).unwrap();
            let ticket = serde_json::to_string(&live.ticket(&ds, row)).unwrap();
            assert_eq!(view, ticket, "row {row}");
        }
    }
}
