//! Reading user files: size limits, UTF-8 and `-` for standard input, with errors that name the file.

use crate::error::Error;
use std::io::{BufRead, BufReader, Read};

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
    let (bytes, name) = read_bytes(path)?;
    decode(bytes, &name)
}

/// The name standard input has in every message and output format.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads a whole file as UTF-8 text. The size cap is checked on the file's metadata before it
/// is opened, and again while reading (a file may grow, and a FIFO named on the command line
/// has no size).
pub fn read_file(path: &std::path::Path) -> Result<String, Error> {
    let (bytes, name) = read_file_bytes(path)?;
    decode(bytes, &name)
}

/// A whole file (or standard input for `-`) as bytes, at most [`MAX_INPUT_BYTES`] (plus one,
/// for [`decode`] to refuse), with its name for messages.
fn read_bytes(path: &str) -> Result<(Vec<u8>, String), Error> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| cannot_read(STDIN_NAME, &error.to_string()))?;
        Ok((bytes, STDIN_NAME.into()))
    } else {
        read_file_bytes(std::path::Path::new(path))
    }
}

fn read_file_bytes(path: &std::path::Path) -> Result<(Vec<u8>, String), Error> {
    let name = path.display().to_string();
    let fail = |message: String| cannot_read(&name, &message);
    let metadata = std::fs::metadata(path).map_err(|error| fail(error.to_string()))?;
    if metadata.is_dir() {
        return Err(fail("it is a directory".into()));
    }
    if metadata.len() > MAX_INPUT_BYTES {
        return Err(fail(too_large()));
    }
    // The file's size ahead (one byte more to see its end): growing by doubling would hold up
    // to twice the text (`take` hides the size from `read_to_end`).
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).map_or(0, |len| len + 1));
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| fail(error.to_string()))?;
    Ok((bytes, name))
}

/// Reads ActionTrail events as text: like [`read_text`], and a gzip-compressed input (`.gz`,
/// known by its first bytes, whatever its name) is decompressed, up to the same limit.
pub fn read_events_text(path: &str) -> Result<String, Error> {
    let (bytes, name) = read_bytes(path)?;
    if !is_gzip(&bytes) {
        return decode(bytes, &name);
    }
    let mut text = Vec::new();
    gunzip(&name, &bytes[..])?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|error| cannot_read(&name, &format!("it is not valid gzip data: {error}")))?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(cannot_read(
            &name,
            &format!("{} once decompressed", too_large()),
        ));
    }
    decode(text, &name)
}

/// Opens ActionTrail events (a file, or standard input for `-`) for streaming: a
/// gzip-compressed input is decompressed on the fly. No size limit: the reader holds one
/// record at a time.
pub fn open_events(path: &str) -> Result<Box<dyn BufRead + Send>, Error> {
    const CAPACITY: usize = 1 << 16;
    let name = display_name(path);
    let mut reader: Box<dyn BufRead + Send> = if path == "-" {
        Box::new(BufReader::with_capacity(CAPACITY, std::io::stdin()))
    } else {
        if std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
            return Err(cannot_read(&name, "it is a directory"));
        }
        let file =
            std::fs::File::open(path).map_err(|error| cannot_read(&name, &error.to_string()))?;
        Box::new(BufReader::with_capacity(CAPACITY, file))
    };
    let head = reader
        .fill_buf()
        .map_err(|error| cannot_read(&name, &error.to_string()))?;
    if is_gzip(head) {
        return Ok(Box::new(BufReader::with_capacity(
            CAPACITY,
            gunzip(&name, reader)?,
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
fn gunzip<'r, R: BufRead + Send + 'r>(
    _name: &str,
    reader: R,
) -> Result<Box<dyn Read + Send + 'r>, Error> {
    Ok(Box::new(flate2::bufread::MultiGzDecoder::new(reader)))
}

#[cfg(not(feature = "gzip"))]
fn gunzip<'r, R: BufRead + Send + 'r>(
    name: &str,
    _reader: R,
) -> Result<Box<dyn Read + Send + 'r>, Error> {
    Err(cannot_read(
        name,
        "it is gzip-compressed, and this build reads no gzip (the `gzip` feature is off): decompress it first",
    ))
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
