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
    /// Explain why a call is allowed or denied, where in the policies, and the smallest fix
    #[command(after_help = EXPLAIN_HELP)]
    #[command(group(clap::ArgGroup::new("input").required(true).args(["request", "actiontrail", "error"])))]
    Explain {
        /// A policy file, or a directory searched recursively for `*.json` (sorted); repeatable
        #[arg(long = "policy", value_name = "FILE|DIR", required = true)]
        policies: Vec<String>,
        /// The request, as for `resolve` (`-` for standard input)
        #[arg(long, value_name = "FILE|-")]
        request: Option<String>,
        /// ActionTrail events: one event, a JSON array, JSON lines or a Log Service export
        #[arg(long, value_name = "FILE|-")]
        actiontrail: Option<String>,
        /// With --actiontrail: explain every event, not only the denied ones (`errorCode` set)
        #[arg(long, requires = "actiontrail")]
        all: bool,
        /// An ECS error body with `AccessDeniedDetail`, or a `DecodeDiagnosticMessage` response
        #[arg(long, value_name = "FILE|-")]
        error: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// A condition key's value, e.g. `acs:SourceIp=203.0.113.7`; replaces the input's value
        /// of that key (repeat a key for several values)
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
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
    /// Lint policy documents: files, directories (every `*.json`, recursively) or `-` for stdin
    #[command(after_help = LINT_EXIT_CODES)]
    Lint(lint_command::LintArgs),
    /// List every lint check with its severity and summary
    Rules {
        #[arg(long, value_enum, default_value_t = lint_command::RulesFormat::Text)]
        format: lint_command::RulesFormat,
    },
}

const EXPLAIN_HELP: &str = "\
With several ActionTrail events, each denied one (`errorCode` set) is explained, or every one
with --all; a single event is always explained. When the input has no `acs:CurrentTime`, the
CLI fills it from the clock and says so where a policy consults it.

Exit codes:
  0  the call is allowed (every explained call, for ActionTrail)
  1  the call is denied (any explained call, for ActionTrail)
  2  bad input or usage: unreadable file, malformed JSON, a policy with errors, unknown action,
     missing parameter, an ActionTrail record that cannot be explained";

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
        Command::Lint(args) => Ok(lint_command::run(&args)),
        Command::Rules { format } => {
            lint_command::rules(format);
            Ok(0)
        }
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
        Command::Explain {
            policies,
            request,
            actiontrail,
            all,
            error,
            format,
            context,
        } => explain(ExplainArgs {
            policies,
            request,
            actiontrail,
            all,
            error,
            format,
            context,
        }),
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
struct ExplainArgs {
    policies: Vec<String>,
    request: Option<String>,
    actiontrail: Option<String>,
    all: bool,
    error: Option<String>,
    format: Format,
    context: Vec<String>,
}

fn explain(args: ExplainArgs) -> Result<u8, Failure> {
    use ram_policy::explain::inputs::{InputKind, Options};
    let format = args.format;
    let fail = |source: &str| {
        let source = input::display_name(source);
        move |error| (error, format, source)
    };
    let sources =
        input::read_policy_files(&args.policies).map_err(|error| (error, format, String::new()))?;
    let (kind, path) = match (&args.request, &args.actiontrail, &args.error) {
        (Some(path), _, _) => (InputKind::Request, path),
        (_, Some(path), _) => (InputKind::ActionTrail { all: args.all }, path),
        (_, _, Some(path)) => (InputKind::Error, path),
        _ => unreachable_input(),
    };
    let body = input::read_text(path).map_err(fail(path))?;
    let mut options = Options::default();
    for pair in &args.context {
        let Some((key, value)) = pair.split_once('=').filter(|(key, _)| !key.is_empty()) else {
            return Err((
                Error::Input {
                    message: format!("`--context {pair}` must be `KEY=VALUE`"),
                },
                format,
                String::new(),
            ));
        };
        options.context.push((key.to_string(), value.to_string()));
    }
    options.current_time = now();
    let report = facade::explain_report(&sources, kind, &body, &options).map_err(fail(path))?;
    match format {
        Format::Json => print_json(&report.to_json()),
        Format::Text => print(&ram_policy::explain::render::report(&report)),
    }
    Ok(report.exit_code())
}

/// clap's argument group guarantees one input; this is never reached.
fn unreachable_input() -> ! {
    let _ = writeln!(
        std::io::stderr(),
        "error: give one of --request, --actiontrail or --error"
    );
    std::process::exit(2)
}

/// The current time for `acs:CurrentTime` (the CLI reads the clock, the library never does).
fn now() -> Option<String> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let time = chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)?;
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

const LINT_EXIT_CODES: &str = "\
Exit codes:
  0  no finding reaches the --fail-on severity
  1  some finding does
  2  bad usage, an unreadable path or an invalid configuration file";

#[path = "ram-policy/lint_command.rs"]
mod lint_command;

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
