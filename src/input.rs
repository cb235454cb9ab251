//! Reading user files: size limits, UTF-8 and `-` for standard input, with errors that name the file.

use crate::error::Error;
use std::io::Read;

/// The largest input read, in bytes (64 MiB): larger files are refused, not truncated.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// How a path is shown in messages: `<stdin>` for `-`.
pub fn display_name(path: &str) -> String {
    if path == "-" {
        "<stdin>".into()
    } else {
        path.into()
    }
}

/// Reads a whole file (or standard input for `-`) as UTF-8 text.
pub fn read_text(path: &str) -> Result<String, Error> {
    let name = display_name(path);
    let fail = |message: String| Error::Input {
        message: format!("cannot read `{name}`: {message}"),
    };
    let mut bytes = Vec::new();
    let limited = |reader: &mut dyn Read, bytes: &mut Vec<u8>| {
        reader.take(MAX_INPUT_BYTES + 1).read_to_end(bytes)
    };
    if path == "-" {
        limited(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|error| fail(error.to_string()))?;
    } else {
        let metadata = std::fs::metadata(path).map_err(|error| fail(error.to_string()))?;
        if metadata.is_dir() {
            return Err(fail("it is a directory".into()));
        }
        let mut file = std::fs::File::open(path).map_err(|error| fail(error.to_string()))?;
        limited(&mut file, &mut bytes).map_err(|error| fail(error.to_string()))?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "it is larger than {} MiB",
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        fail(format!(
            "it is not UTF-8 text (invalid byte at offset {offset})"
        ))
    })
}

/// Reads policy files: each path is a file, or a directory read recursively for `*.json`
/// files in sorted path order. Returns `(display name, text)` pairs in argument order.
pub fn read_policy_files(paths: &[String]) -> Result<Vec<(String, String)>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|error| Error::Input {
            message: format!("cannot read `{path}`: {error}"),
        })?;
        if metadata.is_dir() {
            let found = json_files_under(path)?;
            if found.is_empty() {
                return Err(Error::Input {
                    message: format!("directory `{path}` holds no `*.json` policy file"),
                });
            }
            for name in found {
                let text = read_text(&name)?;
                files.push((name, text));
            }
        } else {
            files.push((display_name(path), read_text(path)?));
        }
    }
    Ok(files)
}

/// Every `*.json` file under a directory, recursively, in sorted path order.
pub fn json_files_under(directory: &str) -> Result<Vec<String>, Error> {
    let mut found = Vec::new();
    collect_json_files(std::path::Path::new(directory), &mut found)?;
    found.sort();
    Ok(found
        .into_iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect())
}

fn collect_json_files(
    directory: &std::path::Path,
    found: &mut Vec<std::path::PathBuf>,
) -> Result<(), Error> {
    let fail = |error: std::io::Error| Error::Input {
        message: format!("cannot read `{}`: {error}", directory.display()),
    };
    for entry in std::fs::read_dir(directory).map_err(fail)? {
        let path = entry.map_err(fail)?.path();
        if path.is_dir() {
            collect_json_files(&path, found)?;
        } else if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            found.push(path);
        }
    }
    Ok(())
}
