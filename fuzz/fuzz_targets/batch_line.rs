//! Any batch line parses to a valid operation or is rejected; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    if let Ok(Some(op)) = kvgit::ops::parse_batch_line(line, &|_| None) {
        assert!(kvgit::object::validate_key(op.key()).is_ok());
    }
});
