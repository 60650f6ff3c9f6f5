//! `status` in the forms its readers take: a table for people whose first line is the
//! monitoring-plugins summary, JSON, and the node_exporter textfile format for Prometheus.

use std::fmt::Write as _;

use serde::Serialize;

use super::status::{Code, SourceStatus, State, Status};
use crate::output;

/// How `status` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The plugin's summary line, a table, one line per problem
    #[default]
    Text,
    /// One JSON object
    Json,
    /// node_exporter textfile collector format
    Prometheus,
}

pub fn render(status: &Status, format: Format) -> String {
    match format {
        Format::Text => text(status),
        Format::Json => json(status),
        Format::Prometheus => prometheus(status),
    }
}

/// The first line, as Nagios and Icinga show it: the state and the worst problem.
fn summary(status: &Status) -> String {
    let label = status.state.label();
    match status.problems.split_first() {
        Some((worst, [])) => format!("{label}: {}", worst.text),
        Some((worst, rest)) => format!(
            "{label}: {} (and {} more problem(s) below)",
            worst.text,
            rest.len()
        ),
        None => format!(
            "{label}: {} copying rule(s), {} packet(s) copied so far",
            status.sources.len(),
            status.sources.iter().map(|s| s.packets).sum::<u64>()
        ),
    }
}

fn text(status: &Status) -> String {
    let mut text = summary(status);
    text.push('\n');
    let mut rows = vec![[
        "SOURCE".to_string(),
        "HOOK".into(),
        "TO".into(),
        "BACKEND".into(),
        "PACKETS".into(),
        "BYTES".into(),
        "STATE".into(),
    ]];
    for s in &status.sources {
        rows.push([
            s.source.clone(),
            s.hook.into(),
            s.destination.clone(),
            s.backend.name().into(),
            s.packets.to_string(),
            s.bytes.to_string(),
            serde_plain(&s.state),
        ]);
    }
    if !status.sources.is_empty() {
        text.push_str(&output::table(&rows));
    }
    for p in &status.problems {
        let _ = writeln!(text, "{}: {}", serde_plain(&p.code.state()), p.text);
    }
    text
}

/// A unit enum variant as its serde name.
fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The JSON of earlier versions (state, sources, problems as text), with the state's number and
/// each problem's code beside them.
#[derive(Serialize)]
struct Json<'a> {
    state: State,
    state_code: u8,
    sources: &'a [SourceStatus],
    problems: Vec<&'a str>,
    /// In the order of `problems`.
    problem_codes: Vec<Code>,
}

fn json(status: &Status) -> String {
    let doc = Json {
        state: status.state,
        state_code: status.state.code(),
        sources: &status.sources,
        problems: status.problems.iter().map(|p| p.text.as_str()).collect(),
        problem_codes: status.problems.iter().map(|p| p.code).collect(),
    };
    let mut line = Vec::new();
    output::write_json_line(&mut line, &doc).expect("the report serializes");
    String::from_utf8(line).expect("JSON is UTF-8")
}

/// A label value as the exposition format quotes it.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn metric(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn prometheus(status: &Status) -> String {
    let mut out = String::new();
    metric(
        &mut out,
        "tool_mirror_state",
        "gauge",
        "Mirroring state: 0 ok, 1 warning, 2 critical, 3 unknown (the status exit code).",
    );
    let _ = writeln!(out, "tool_mirror_state {}", status.state.code());
    metric(
        &mut out,
        "tool_mirror_problems",
        "gauge",
        "Problems found, by code.",
    );
    let mut codes: Vec<(String, usize)> = Vec::new();
    for p in &status.problems {
        let code = serde_plain(&p.code);
        match codes.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => codes.push((code, 1)),
        }
    }
    for (code, n) in codes {
        let _ = writeln!(out, "tool_mirror_problems{{code=\"{code}\"}} {n}");
    }
    // Rules with the same labels (a chain holding a rule twice) are one series.
    let mut series: Vec<(String, u64, u64)> = Vec::new();
    for s in &status.sources {
        let labels = format!(
            "source=\"{}\",hook=\"{}\",destination=\"{}\",backend=\"{}\"",
            label(&s.source),
            s.hook,
            label(&s.destination),
            s.backend.name()
        );
        match series.iter_mut().find(|(l, _, _)| *l == labels) {
            Some((_, packets, bytes)) => {
                *packets += s.packets;
                *bytes += s.bytes;
            }
            None => series.push((labels, s.packets, s.bytes)),
        }
    }
    type Pick = fn(&(String, u64, u64)) -> u64;
    let counters: [(&str, &str, Pick); 2] = [
        (
            "tool_mirror_packets_total",
            "Packets copied, per copying rule.",
            |s| s.1,
        ),
        (
            "tool_mirror_bytes_total",
            "Bytes copied, per copying rule.",
            |s| s.2,
        ),
    ];
    for (name, help, pick) in counters {
        metric(&mut out, name, "counter", help);
        for s in &series {
            let _ = writeln!(out, "{name}{{{}}} {}", s.0, pick(s));
        }
    }
    metric(
        &mut out,
        "tool_mirror_destination_dropped_total",
        "counter",
        "Frames the destination device dropped on transmit: copies that did not reach the monitor.",
    );
    for d in &status.destinations {
        let _ = writeln!(
            out,
            "tool_mirror_destination_dropped_total{{destination=\"{}\"}} {}",
            label(&d.name),
            d.tx_dropped
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::status::{Copier, Destination, Problem, SourceState};

    fn status() -> Status {
        let source = |name: &str, packets| SourceStatus {
            backend: Copier::Nft,
            source: name.into(),
            hook: "ingress",
            destination: "vifmon".into(),
            packets,
            bytes: packets * 100,
            state: SourceState::Ok,
        };
        Status {
            state: State::Critical,
            sources: vec![
                source("vif1.0", 3),
                source("vif\"x", 1),
                source("vif1.0", 2),
            ],
            problems: vec![
                Problem {
                    code: Code::DestinationDown,
                    text: "destination vifmon is down".into(),
                },
                Problem {
                    code: Code::PortNotMirrored,
                    text: "port vif9.0 joined".into(),
                },
            ],
            destinations: vec![Destination {
                name: "vifmon".into(),
                tx_dropped: 4,
            }],
        }
    }

    #[test]
    fn text_starts_with_the_worst_problem() {
        let t = render(&status(), Format::Text);
        let first = t.lines().next().unwrap();
        assert_eq!(
            first,
            "CRITICAL: destination vifmon is down (and 1 more problem(s) below)"
        );
        assert!(t.contains("\nwarning: port vif9.0 joined\n"), "{t}");
        assert!(
            t.contains("\ncritical: destination vifmon is down\n"),
            "{t}"
        );
    }

    #[test]
    fn the_table_lines_up_under_non_ascii_names() {
        let mut s = status();
        // Linux takes any bytes but '/', ':' and white space in an interface name.
        s.sources[0].source = "vïf0".into();
        s.sources[1].source = "网口0".into();
        let t = render(&s, Format::Text);
        let rows: Vec<&str> = t.lines().skip(1).take(4).collect();
        assert!(rows[0].starts_with("SOURCE"), "{t}");
        let hook_column = |row: &str| {
            let at = row.find("HOOK").or_else(|| row.find("ingress")).unwrap();
            crate::output::table::width(&row[..at])
        };
        for row in &rows {
            assert_eq!(hook_column(row), hook_column(rows[0]), "{t}");
        }
    }

    #[test]
    fn json_keeps_the_shape_and_adds_codes() {
        let v: serde_json::Value = serde_json::from_str(&render(&status(), Format::Json)).unwrap();
        assert_eq!(v["state"], "critical");
        assert_eq!(v["state_code"], 2);
        assert_eq!(v["problems"][1], "port vif9.0 joined");
        assert_eq!(v["problem_codes"][0], "destination_down");
        assert_eq!(v["problem_codes"][1], "port_not_mirrored");
        assert_eq!(v["sources"][0]["state"], "ok");
        assert_eq!(v["sources"][0]["packets"], 3);
    }

    #[test]
    fn prometheus_sums_equal_series_and_escapes_labels() {
        let p = render(&status(), Format::Prometheus);
        assert!(p.contains("\ntool_mirror_state 2\n"), "{p}");
        assert!(
            p.contains("\ntool_mirror_packets_total{source=\"vif1.0\",hook=\"ingress\",destination=\"vifmon\",backend=\"nft\"} 5\n"),
            "{p}"
        );
        assert!(p.contains("{source=\"vif\\\"x\",hook"), "{p}");
        assert!(
            p.contains("\ntool_mirror_bytes_total{source=\"vif1.0\""),
            "{p}"
        );
        assert!(p.contains("\ntool_mirror_destination_dropped_total{destination=\"vifmon\"} 4\n"));
        assert!(p.contains("\ntool_mirror_problems{code=\"destination_down\"} 1\n"));
        assert!(p.contains("# TYPE tool_mirror_packets_total counter\n"));
        // Every sample line is NAME{LABELS} VALUE or NAME VALUE.
        for line in p.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<u64>().is_ok(), "{line}");
        }
    }

    #[test]
    fn an_unknown_status_says_why() {
        let s = Status::unknown("nft is not installed".into());
        assert_eq!(
            render(&s, Format::Text).lines().next().unwrap(),
            "UNKNOWN: nft is not installed"
        );
        assert!(render(&s, Format::Prometheus).contains("\ntool_mirror_state 3\n"));
    }
}
