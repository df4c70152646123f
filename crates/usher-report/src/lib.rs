//! The shift report as files: one self-contained HTML page (no script, no network: the
//! arrivals charts are inline SVG drawn here by `plotters`, the styles are inline) and a CSV
//! of the same rows beside it. The figures come from `usher_core::report::build`; this crate
//! only draws them.
//!
//! **Architecture invariant:** every value shown is escaped ([`html::escape`]): guest names,
//! gate names and server messages are untrusted text. The HTML and the CSV are made from
//! one list of rows ([`rows::rows`]), so they cannot disagree.

#![warn(missing_docs)]

pub mod chart;
pub mod html;
pub mod rows;

use std::path::{Path, PathBuf};
use usher_core::i18n::Said;
use usher_core::report::ShiftReport;
use usher_core::{scanlog, Error, Result};

/// Where a report was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The HTML page.
    pub html: PathBuf,
    /// The CSV beside it (same name, `.csv`).
    pub csv: PathBuf,
}

/// The CSV's path for a report at `html`: the same name with `.csv`.
pub fn csv_path(html: &Path) -> PathBuf {
    html.with_extension("csv")
}

/// Writes `report` to `html` and its rows to the CSV beside it, each readable by its owner
/// only and renamed into place (`usher_core::scanlog::write_private`). A path that is a
/// folder or a link, a `.csv` name (the CSV would overwrite it), or a folder that cannot be
/// written is a clear error, and the files already there are left as they were.
pub fn write(report: &ShiftReport, html: &Path) -> Result<Written> {
    if html
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Err(Error::InvalidConfig(
            Said::new("report-not-html").with("path", html.display().to_string()),
        ));
    }
    let csv = csv_path(html);
    let rows = rows::rows(report);
    let page = html::page(report, &rows);
    let io = |p: &Path| Error::io(Said::io("write", &p));
    scanlog::write_private(html, |f| {
        std::io::Write::write_all(f, page.as_bytes()).map_err(io(html))
    })?;
    let table = rows::csv(&rows)?;
    scanlog::write_private(&csv, |f| {
        std::io::Write::write_all(f, &table).map_err(io(&csv))
    })?;
    Ok(Written {
        html: html.to_path_buf(),
        csv,
    })
}
