//! The `ram-policy` command: a thin shell over the library's facade.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand, ValueEnum};
use ram_policy::catalog::Catalog;
use ram_policy::error::Error;
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
    /// Lint policy documents: files, directories (every `*.json`, recursively) or `-` for stdin
    #[command(after_help = LINT_EXIT_CODES)]
    Lint(lint_command::LintArgs),
    /// List every lint check with its severity and summary
    Rules {
        #[arg(long, value_enum, default_value_t = lint_command::RulesFormat::Text)]
        format: lint_command::RulesFormat,
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
    }
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
