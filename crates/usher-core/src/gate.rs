//! The gate profile: what this door is for.

use serde::{Deserialize, Serialize};

/// Entry gates check people in; exit gates check them out (re-entry is out then in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    /// Scans check guests in.
    #[default]
    Entry,
    /// Scans check guests out.
    Exit,
}

impl Mode {
    /// The name the JSON output, the database and the window use: `ENTRY` or `EXIT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Entry => "ENTRY",
            Mode::Exit => "EXIT",
        }
    }
}

/// A door's profile: its name, direction, and which admissions and sections it lets through.
/// Empty filters mean "all".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateProfile {
    /// The gate's name, shown to staff and recorded with each scan.
    pub name: String,
    /// Whether scans here check in or check out.
    pub mode: Mode,
    /// The admissions let through (`adm_…` ids); empty: every admission.
    pub admission_ids: Vec<String>,
    /// The sections let through (`sct_…` ids); empty: every section. A ticket without a section
    /// passes only when this is empty.
    pub section_ids: Vec<String>,
    /// Guest lookup (search by name, email, phone) at this door. Off: the door only scans,
    /// and nobody at it can browse the guest list.
    #[serde(default = "lookup_on")]
    pub lookup: bool,
}

fn lookup_on() -> bool {
    true
}

impl Default for GateProfile {
    fn default() -> Self {
        GateProfile {
            name: "Main door".into(),
            mode: Mode::Entry,
            admission_ids: vec![],
            section_ids: vec![],
            lookup: true,
        }
    }
}

/// Why a ticket is not for this gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GateMiss {
    /// The gate's admission filter leaves out the ticket's admission.
    Admission,
    /// The gate's section filter leaves out the ticket's section (or it has none).
    Section,
}

impl GateProfile {
    /// Refuses a guest lookup at a door whose profile switched it off.
    pub fn lookup_allowed(&self) -> crate::error::Result<()> {
        if self.lookup {
            Ok(())
        } else {
            Err(crate::error::Error::Refused(
                crate::i18n::Said::new("refused-lookup-off").with("gate", self.name.as_str()),
            ))
        }
    }

    /// Whether a ticket of this admission (and section, if any) may pass this gate.
    pub fn check(&self, admission_id: &str, section_id: Option<&str>) -> Result<(), GateMiss> {
        if !self.admission_ids.is_empty() && !self.admission_ids.iter().any(|a| a == admission_id) {
            return Err(GateMiss::Admission);
        }
        if !self.section_ids.is_empty()
            && !section_id.is_some_and(|s| self.section_ids.iter().any(|g| g == s))
        {
            return Err(GateMiss::Section);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(adm: &[&str], sct: &[&str]) -> GateProfile {
        GateProfile {
            admission_ids: adm.iter().map(|s| s.to_string()).collect(),
            section_ids: sct.iter().map(|s| s.to_string()).collect(),
            ..GateProfile::default()
        }
    }

    #[test]
    fn gate_without_filters_admits_everything() {
        assert_eq!(gate(&[], &[]).check("adm_a", None), Ok(()));
    }

    #[test]
    fn admission_filter_refuses_other_tiers() {
        let g = gate(&["adm_a"], &[]);
        assert_eq!(g.check("adm_a", None), Ok(()));
        assert_eq!(g.check("adm_b", None), Err(GateMiss::Admission));
    }

    #[test]
    fn section_filter_refuses_other_and_missing_sections() {
        let g = gate(&[], &["sct_1"]);
        assert_eq!(g.check("adm_a", Some("sct_1")), Ok(()));
        assert_eq!(g.check("adm_a", Some("sct_2")), Err(GateMiss::Section));
        assert_eq!(g.check("adm_a", None), Err(GateMiss::Section));
    }
}
