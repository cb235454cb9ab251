//! WebAssembly front end of `ram-policy` (issue 7). It will only forward to the library's JSON facade.
#![forbid(unsafe_code)]
