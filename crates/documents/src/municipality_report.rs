//! An anonymous report to a municipality (SHR-5) as a PDF, as CSV and as charts: the
//! caller words every heading and cell in the document's language (a suppressed cell
//! arrives as its mark, a number as its digits); this module lays it out and draws the
//! charts, so the page, the PDF and the CSV show the same numbers.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::{DocumentError, Language, Result, compile_pdf};

const TEMPLATE: &str = include_str!("../templates/municipality_report.typ");

/// The report, worded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MunicipalityReportDoc {
    pub title: String,
    /// Organisation, scope, period, release: one line each.
    pub facts: Vec<String>,
    /// How the numbers were protected, one sentence each.
    pub notes: Vec<String>,
    pub tables: Vec<ReportTable>,
    pub charts: Vec<BarChart>,
}

/// One table: a corner heading, column headings, and rows of a label and cells.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportTable {
    pub title: String,
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

/// A horizontal bar chart: bars of a label and a published number, or none (suppressed,
/// drawn as an outline with `mark` instead of a number).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BarChart {
    pub title: String,
    pub bars: Vec<(String, Option<i64>)>,
    pub mark: String,
}

#[derive(Serialize)]
struct Data<'a> {
    lang: Language,
    #[serde(flatten)]
    report: &'a MunicipalityReportDoc,
    svgs: Vec<String>,
}

/// The report as a PDF, charts included.
pub fn render_municipality_report(
    report: &MunicipalityReportDoc,
    language: Language,
) -> Result<Vec<u8>> {
    compile_pdf(
        "municipality_report",
        TEMPLATE,
        serde_json::to_vec(&Data {
            lang: language,
            report,
            svgs: report.charts.iter().map(bar_chart_svg).collect(),
        })?,
    )
}

/// The report as CSV: one line per cell (table, row, column, value), the header given in
/// the document's language.
pub fn municipality_report_csv(
    report: &MunicipalityReportDoc,
    header: [&str; 4],
) -> Result<Vec<u8>> {
    let bad = |e: csv::Error| DocumentError::Render {
        document: "municipality_report.csv",
        message: e.to_string(),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(bad)?;
    for t in &report.tables {
        for (label, cells) in &t.rows {
            for (column, value) in t.columns.iter().zip(cells) {
                out.write_record([t.title.as_str(), label, column, value])
                    .map_err(bad)?;
            }
        }
    }
    out.into_inner().map_err(|e| DocumentError::Render {
        document: "municipality_report.csv",
        message: e.to_string(),
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar chart as a self-contained SVG (no script, no external reference), for the page
/// and the PDF alike.
#[must_use]
pub fn bar_chart_svg(chart: &BarChart) -> String {
    const WIDTH: i64 = 640;
    const LABEL: i64 = 220;
    const BAR_SPACE: i64 = 340;
    const ROW: i64 = 26;
    const TOP: i64 = 34;
    let height = TOP + ROW * i64::try_from(chart.bars.len()).unwrap_or(0) + 10;
    let max = chart
        .bars
        .iter()
        .filter_map(|b| b.1)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{title}" font-family="sans-serif" font-size="13">"#,
        title = escape(&chart.title)
    );
    let _ = write!(
        svg,
        r#"<title>{title}</title><text x="0" y="18" font-weight="bold">{title}</text>"#,
        title = escape(&chart.title)
    );
    for (i, (label, value)) in chart.bars.iter().enumerate() {
        let y = TOP + ROW * i64::try_from(i).unwrap_or(0);
        let _ = write!(
            svg,
            r#"<text x="0" y="{ty}">{label}</text>"#,
            ty = y + 15,
            label = escape(label)
        );
        match value {
            Some(v) => {
                let w = (v * BAR_SPACE / max).max(i64::from(*v > 0));
                let _ = write!(
                    svg,
                    r##"<rect x="{LABEL}" y="{y}" width="{w}" height="18" fill="#1f5f8b"/><text x="{tx}" y="{ty}">{v}</text>"##,
                    tx = LABEL + w + 6,
                    ty = y + 15
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<rect x="{LABEL}" y="{y}" width="24" height="18" fill="none" stroke="#777" stroke-dasharray="3 2"/><text x="{tx}" y="{ty}" fill="#555">{mark}</text>"##,
                    tx = LABEL + 30,
                    ty = y + 15,
                    mark = escape(&chart.mark)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> MunicipalityReportDoc {
        MunicipalityReportDoc {
            title: "Rapportage <gemeente>".into(),
            facts: vec![
                "Gemeente Helmond".into(),
                "2025-01-01 t/m 2025-12-31".into(),
            ],
            notes: vec!["Aantallen onder 5 zijn weggelaten.".into()],
            tables: vec![ReportTable {
                title: "Per dienst".into(),
                corner: "Dienst".into(),
                columns: vec!["Gestart".into(), "In zorg".into()],
                rows: vec![
                    (
                        "Maatschappelijk werk".into(),
                        vec!["15".into(), "40".into()],
                    ),
                    (
                        "Schuldhulp, \"budget\"".into(),
                        vec!["•".into(), "10".into()],
                    ),
                ],
            }],
            charts: vec![BarChart {
                title: "Cliënten in zorg".into(),
                bars: vec![("AMW".into(), Some(40)), ("Schuld & geld".into(), None)],
                mark: "•".into(),
            }],
        }
    }

    #[test]
    fn the_chart_is_escaped_svg_with_a_mark_for_a_suppressed_bar() {
        let svg = bar_chart_svg(&report().charts[0]);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("Schuld &amp; geld"));
        assert!(svg.contains(">•</text>"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn the_csv_has_one_line_per_cell() {
        let csv = municipality_report_csv(&report(), ["tabel", "rij", "kolom", "waarde"]).unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert_eq!(text.lines().count(), 5);
        assert!(text.contains("Per dienst,\"Schuldhulp, \"\"budget\"\"\",Gestart,•"));
    }

    #[test]
    fn the_pdf_renders_in_both_languages() {
        for lang in [Language::Nl, Language::En] {
            let pdf = render_municipality_report(&report(), lang).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
        }
    }
}
