//! Reading user files: size limits, UTF-8 and `-` for standard input, with errors that name the file.

use crate::error::Error;
use std::io::{BufRead, BufReader, Read};

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
    let bytes = read_bytes(path)?;
    utf8(path, bytes)
}

/// Reads ActionTrail events as text: like [`read_text`], and a gzip-compressed input (`.gz`,
/// known by its first bytes, whatever its name) is decompressed, up to the same limit.
pub fn read_events_text(path: &str) -> Result<String, Error> {
    let bytes = read_bytes(path)?;
    if !is_gzip(&bytes) {
        return utf8(path, bytes);
    }
    let mut text = Vec::new();
    gunzip(path, &bytes[..])?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|error| unreadable(path, format!("it is not valid gzip data: {error}")))?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(unreadable(
            path,
            format!(
                "it is larger than {} MiB once decompressed",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    utf8(path, text)
}

/// Opens ActionTrail events (a file, or standard input for `-`) for streaming: a
/// gzip-compressed input is decompressed on the fly. No size limit: the reader holds one
/// record at a time.
pub fn open_events(path: &str) -> Result<Box<dyn BufRead>, Error> {
    const CAPACITY: usize = 1 << 16;
    let mut reader: Box<dyn BufRead> = if path == "-" {
        Box::new(BufReader::with_capacity(CAPACITY, std::io::stdin()))
    } else {
        if std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
            return Err(unreadable(path, "it is a directory".into()));
        }
        let file =
            std::fs::File::open(path).map_err(|error| unreadable(path, error.to_string()))?;
        Box::new(BufReader::with_capacity(CAPACITY, file))
    };
    let head = reader
        .fill_buf()
        .map_err(|error| unreadable(path, error.to_string()))?;
    if is_gzip(head) {
        return Ok(Box::new(BufReader::with_capacity(
            CAPACITY,
            gunzip(path, reader)?,
        )));
    }
    Ok(reader)
}

/// Whether bytes start a gzip stream (RFC 1952: `1f 8b`).
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// A decompressing reader (several gzip members one after another are read as one stream, as
/// `cat a.gz b.gz` makes).
#[cfg(feature = "gzip")]
fn gunzip<'r, R: BufRead + 'r>(_path: &str, reader: R) -> Result<Box<dyn Read + 'r>, Error> {
    Ok(Box::new(flate2::bufread::MultiGzDecoder::new(reader)))
}

#[cfg(not(feature = "gzip"))]
fn gunzip<'r, R: BufRead + 'r>(path: &str, _reader: R) -> Result<Box<dyn Read + 'r>, Error> {
    Err(unreadable(
        path,
        "it is gzip-compressed, and this build reads no gzip (the `gzip` feature is off): decompress it first".into(),
    ))
}

fn unreadable(path: &str, message: String) -> Error {
    Error::Input {
        message: format!("cannot read `{}`: {message}", display_name(path)),
    }
}

/// Reads a whole file (or standard input for `-`), at most [`MAX_INPUT_BYTES`].
fn read_bytes(path: &str) -> Result<Vec<u8>, Error> {
    let fail = |message: String| unreadable(path, message);
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
    Ok(bytes)
}

fn utf8(path: &str, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        unreadable(
            path,
            format!("it is not UTF-8 text (invalid byte at offset {offset})"),
        )
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
