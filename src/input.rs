//! Reading user files: size limits, UTF-8 and `-` for standard input, with errors that name the file.

use crate::error::Error;
use std::io::Read;

/// The largest input read, in bytes (64 MiB): larger files are refused, not truncated.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// How a path is shown in messages: `<stdin>` for `-`.
pub fn display_name(path: &str) -> String {
    if path == "-" {
        STDIN_NAME.into()
    } else {
        path.into()
    }
}

/// Reads a whole file (or standard input for `-`) as UTF-8 text.
pub fn read_text(path: &str) -> Result<String, Error> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| cannot_read(STDIN_NAME, &error.to_string()))?;
        decode(bytes, STDIN_NAME)
    } else {
        read_file(std::path::Path::new(path))
    }
}

/// The name standard input has in every message and output format.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads a whole file as UTF-8 text. The size cap is checked on the file's metadata before it
/// is opened, and again while reading (a file may grow, and a FIFO named on the command line
/// has no size).
pub fn read_file(path: &std::path::Path) -> Result<String, Error> {
    let name = path.display().to_string();
    let fail = |message: String| cannot_read(&name, &message);
    let metadata = std::fs::metadata(path).map_err(|error| fail(error.to_string()))?;
    if metadata.is_dir() {
        return Err(fail("it is a directory".into()));
    }
    if metadata.len() > MAX_INPUT_BYTES {
        return Err(fail(too_large()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| fail(error.to_string()))?;
    decode(bytes, &name)
}

fn cannot_read(name: &str, message: &str) -> Error {
    Error::Input {
        message: format!("cannot read `{}`: {message}", crate::text::escape(name)),
    }
}

fn too_large() -> String {
    format!("it is larger than {} MiB", MAX_INPUT_BYTES / (1024 * 1024))
}

fn decode(bytes: Vec<u8>, name: &str) -> Result<String, Error> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(cannot_read(name, &too_large()));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        cannot_read(
            name,
            &format!("it is not UTF-8 text (invalid byte at offset {offset})"),
        )
    })
}

/// Policy files read from the command line's paths, and the walker's notes.
#[cfg(feature = "walk")]
#[derive(Debug, Default)]
pub struct PolicyFiles {
    /// `(display name, text)` pairs in argument order, each directory's files sorted.
    pub files: Vec<(String, String)>,
    /// What the walker skipped for safety (see [`crate::walk`]).
    pub notes: Vec<String>,
}

/// Reads policy files: each path is a file, or a directory walked for `*.json` files (see
/// [`crate::walk`]).
#[cfg(feature = "walk")]
pub fn read_policy_files(
    paths: &[String],
    options: crate::walk::WalkOptions,
) -> Result<PolicyFiles, Error> {
    let mut out = PolicyFiles::default();
    for path in paths {
        let is_dir = path != "-"
            && std::fs::metadata(path)
                .map_err(|error| cannot_read(path, &error.to_string()))?
                .is_dir();
        if is_dir {
            let walk = crate::walk::json_files(std::path::Path::new(path), options)?;
            out.notes.extend(walk.notes);
            if walk.files.is_empty() {
                return Err(Error::Input {
                    message: format!(
                        "directory `{}` holds no `*.json` policy file (hidden, ignored and `node_modules` paths are skipped unless --no-ignore)",
                        crate::text::escape(path)
                    ),
                });
            }
            for file in walk.files {
                let text = read_file(&file)?;
                out.files.push((file.display().to_string(), text));
            }
        } else {
            out.files.push((display_name(path), read_text(path)?));
        }
    }
    Ok(out)
}
