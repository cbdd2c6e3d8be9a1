//! Any config text loads, rules included, or is rejected with a message
//! naming the file; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let path = Path::new("fuzz.toml");
    match kvgit::config::ConfigFile::parse(path, text) {
        Ok(file) => {
            let config = kvgit::config::Config {
                repo: file,
                user: Default::default(),
            };
            if let Err(e) = kvgit::merge::Attributes::load(&config, Default::default()) {
                assert!(e.to_string().contains("fuzz.toml") || e.to_string().contains("strategy"));
            }
        }
        Err(e) => assert!(e.to_string().contains("fuzz.toml")),
    }
});
