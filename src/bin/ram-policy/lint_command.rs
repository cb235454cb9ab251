//! `ram-policy lint` and `ram-policy rules`, kept apart from the other commands.

use crate::print_json;
use clap::{Args, ValueEnum};
use ram_policy::lint::{
    self, render_text, to_sarif, FileReport, Finding, LintConfig, Severity, CONFIG_FILE,
};
use ram_policy::text::plural;
use ram_policy::{facade, input};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    #[value(name = "security_warning")]
    SecurityWarning,
    Warning,
    Suggestion,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::SecurityWarning => Severity::SecurityWarning,
            FailOn::Warning => Severity::Warning,
            FailOn::Suggestion => Severity::Suggestion,
        }
    }
}

#[derive(Args)]
pub struct LintArgs {
    /// Policy files, directories (searched recursively for `*.json`), or `-` for standard input
    #[arg(required = true)]
    paths: Vec<String>,
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// The lowest severity that makes the command exit 1 [default: the config's, else warning]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// A configuration file [default: ./ram-policy.toml when present]
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    walk: crate::WalkArgs,
}

const EXIT_FAILED: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;

fn error(message: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "error: {}",
        ram_policy::text::escape(message)
    );
}

fn load_config(args: &LintArgs) -> Result<LintConfig, String> {
    let path = match &args.config {
        Some(path) => path.clone(),
        None if Path::new(CONFIG_FILE).is_file() => PathBuf::from(CONFIG_FILE),
        None => return Ok(LintConfig::default()),
    };
    let name = path.display().to_string();
    let text = input::read_text(&name).map_err(|error| error.to_string())?;
    LintConfig::from_toml(&text).map_err(|error| format!("`{name}`: {error}"))
}

/// One input of `lint`: standard input or a file, and the name it is shown by.
struct Input {
    file: Option<PathBuf>,
    name: String,
}

/// The inputs named on the command line, directories walked (`src/walk.rs`); unreadable
/// directories are reported.
fn expand(args: &LintArgs, unreadable: &mut bool) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in &args.paths {
        if path == "-" {
            inputs.push(Input {
                file: None,
                name: input::display_name(path),
            });
        } else if Path::new(path).is_dir() {
            match ram_policy::walk::json_files(Path::new(path), args.walk.options()) {
                Ok(walk) => {
                    crate::print_notes(&walk.notes);
                    inputs.extend(walk.files.into_iter().map(|file| Input {
                        name: file.display().to_string(),
                        file: Some(file),
                    }));
                }
                Err(failure) => {
                    error(&failure.to_string());
                    *unreadable = true;
                }
            }
        } else {
            inputs.push(Input {
                file: Some(PathBuf::from(path)),
                name: path.clone(),
            });
        }
    }
    inputs
}

/// Runs `lint`; returns the exit code.
pub fn run(args: &LintArgs) -> u8 {
    let config = match load_config(args) {
        Ok(config) => config,
        Err(message) => {
            error(&message);
            return EXIT_BAD_INPUT;
        }
    };
    let fail_on = args
        .fail_on
        .map(FailOn::severity)
        .or(config.fail_on)
        .unwrap_or(Severity::Warning);
    let mut unreadable = false;
    let inputs = expand(args, &mut unreadable);
    let mut reports = Vec::new();
    let mut sources = Vec::new();
    for input in &inputs {
        let read = match &input.file {
            Some(file) => input::read_file(file),
            None => input::read_text("-"),
        };
        let text = match read {
            Ok(text) => text,
            Err(failure) => {
                error(&failure.to_string());
                unreadable = true;
                continue;
            }
        };
        let findings = config.apply(&input.name, lint::lint(&text));
        reports.push(FileReport {
            file: input.name.clone(),
            findings,
        });
        sources.push(text);
    }
    match args.format {
        LintFormat::Text => print_text(&reports, &sources),
        LintFormat::Json => print_json(&findings_json(&reports)),
        LintFormat::Sarif => print_json(&to_sarif(&reports)),
    }
    if args.format == LintFormat::Text {
        let _ = writeln!(std::io::stderr(), "{}", summary(&reports));
    }
    if unreadable {
        EXIT_BAD_INPUT
    } else if reports
        .iter()
        .flat_map(|report| &report.findings)
        .any(|finding| finding.severity >= fail_on)
    {
        EXIT_FAILED
    } else {
        0
    }
}

/// `{"findings": [...]}`, each finding with its `file`.
pub fn findings_json(reports: &[FileReport]) -> Value {
    let findings: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            facade::findings_json(&report.findings)
                .into_iter()
                .map(move |mut value| {
                    if let Some(object) = value.as_object_mut() {
                        object.insert("file".into(), json!(report.file));
                    }
                    value
                })
        })
        .collect();
    json!({ "findings": findings })
}

fn print_text(reports: &[FileReport], sources: &[String]) {
    let mut stdout = anstream::stdout();
    for (report, source) in reports.iter().zip(sources) {
        if report.findings.is_empty() {
            continue;
        }
        // Styled output; anstream strips the colours when stdout is not a terminal or
        // `NO_COLOR` is set.
        let _ =
            stdout.write_all(render_text(&report.file, source, &report.findings, true).as_bytes());
    }
}

/// `2 files, 3 findings: 1 error, 0 security warnings, 2 warnings, 0 suggestions`.
pub fn summary(reports: &[FileReport]) -> String {
    let all: Vec<&Finding> = reports.iter().flat_map(|report| &report.findings).collect();
    let count = |severity: Severity| all.iter().filter(|f| f.severity == severity).count();
    format!(
        "{}, {}: {}, {}, {}, {}",
        plural(reports.len(), "file", "files"),
        plural(all.len(), "finding", "findings"),
        plural(count(Severity::Error), "error", "errors"),
        plural(
            count(Severity::SecurityWarning),
            "security warning",
            "security warnings"
        ),
        plural(count(Severity::Warning), "warning", "warnings"),
        plural(count(Severity::Suggestion), "suggestion", "suggestions"),
    )
}

/// Runs `rules`.
pub fn rules(format: RulesFormat) {
    let text = match format {
        RulesFormat::Text => lint::rules_text(),
        RulesFormat::Markdown => lint::rules_markdown(),
        RulesFormat::Json => {
            serde_json::to_string_pretty(&facade::lint_rules()).unwrap_or_default() + "\n"
        }
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
}
