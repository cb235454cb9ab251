//! The `ram-policy` command: a thin shell over the library's facade.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand, ValueEnum};
use ram_policy::catalog::Catalog;
use ram_policy::error::Error;
use ram_policy::request::Request;
use ram_policy::{facade, input, text};
use std::io::Write;
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (for eval/explain: the request is allowed)
  1  the request is denied (eval, explain)
  2  bad input or usage: unreadable file, malformed JSON, unknown action, missing parameter";

#[derive(Parser)]
#[command(name = "ram-policy", version, about = "Write, check and explain Alibaba Cloud RAM policies for ECS", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// List the catalog: every ECS action and the ARN templates RAM checks for it
    #[command(after_help = EXIT_CODES)]
    Actions {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Resolve a request to the exact ARNs RAM checks
    #[command(after_help = EXIT_CODES)]
    Resolve {
        /// The request JSON file, or `-` for standard input
        request: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Evaluate a request against policies: Allow, ExplicitDeny or ImplicitDeny
    #[command(after_help = EXIT_CODES)]
    Eval {
        /// A policy JSON file, or a directory read recursively for `*.json` (sorted)
        #[arg(long = "policy", required = true, value_name = "FILE|DIR")]
        policies: Vec<String>,
        /// The request JSON file, or `-` for standard input
        #[arg(long, value_name = "FILE|-")]
        request: String,
        /// A context key and value (repeat a key for several values); replaces the request's
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err((error, format, source)) => {
            report(&error, format, &source);
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}

type Failure = (Error, Format, String);

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Actions { format } => {
            let fail = |error| (error, format, String::new());
            match format {
                Format::Json => print_json(&facade::catalog().map_err(fail)?),
                Format::Text => print(&text::catalog(
                    Catalog::embedded().map_err(|e| fail(e.into()))?,
                )),
            }
            Ok(0)
        }
        Command::Resolve { request, format } => {
            let fail = |error| (error, format, input::display_name(&request));
            let body = input::read_text(&request).map_err(fail)?;
            match format {
                Format::Json => print_json(&facade::resolve(&body).map_err(fail)?),
                Format::Text => print(&text::resolution(
                    &facade::resolve_request(&body).map_err(fail)?,
                )),
            }
            Ok(0)
        }
        Command::Eval {
            policies,
            request,
            context,
            format,
        } => {
            let fail = |error| (error, format, String::new());
            let files = input::read_policy_files(&policies).map_err(fail)?;
            let body = input::read_text(&request).map_err(fail)?;
            let fail_request = |error| (error, format, input::display_name(&request));
            let mut parsed = Request::from_json(&body).map_err(|e| fail_request(e.into()))?;
            apply_context(&mut parsed, &context).map_err(fail)?;
            fill_current_time(&mut parsed, &files);
            let evaluation =
                facade::evaluate_parsed_request(&files, &parsed).map_err(|error| match error {
                    Error::Policy(_) => fail(error),
                    other => fail_request(other),
                })?;
            match format {
                Format::Json => print_json(&facade::evaluation_json(&evaluation)),
                Format::Text => print(&text::evaluation(&evaluation)),
            }
            Ok(
                if evaluation.decision == ram_policy::eval::Decision::Allow {
                    0
                } else {
                    1
                },
            )
        }
    }
}

/// `--context KEY=VALUE` values replace the request's values for that key.
fn apply_context(request: &mut Request, pairs: &[String]) -> Result<(), Error> {
    let mut given: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::Input {
                message: format!("`--context {pair}` must be KEY=VALUE"),
            });
        };
        if key.is_empty() {
            return Err(Error::Input {
                message: format!("`--context {pair}` has an empty key"),
            });
        }
        given
            .entry(key.to_string())
            .or_default()
            .push(value.to_string());
    }
    request.context.extend(given);
    Ok(())
}

/// The library never reads the clock; the CLI fills in `acs:CurrentTime` when a policy uses
/// it and the request does not give it, and says so.
fn fill_current_time(request: &mut Request, files: &[(String, String)]) {
    const KEY: &str = "acs:CurrentTime";
    let given = request
        .context
        .keys()
        .any(|key| key.eq_ignore_ascii_case(KEY));
    let used = files
        .iter()
        .any(|(_, text)| text.to_ascii_lowercase().contains("acs:currenttime"));
    if given || !used {
        return;
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let Some(now) = chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0) else {
        return;
    };
    let value = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let _ = writeln!(
        std::io::stderr(),
        "note: the request has no `{KEY}`; using the clock: {value}"
    );
    request.context.insert(KEY.to_string(), vec![value]);
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
}

fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    print(&format!("{text}\n"));
}

fn report(error: &Error, format: Format, source: &str) {
    if format == Format::Json {
        print_json(&error.to_json());
    }
    let place = if source.is_empty() {
        String::new()
    } else {
        format!("{source}: ")
    };
    let _ = writeln!(std::io::stderr(), "error: {place}{error}");
}
