//! Any text given as a revision parses or is rejected; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = kvgit::rev::Rev::parse(text);
});
