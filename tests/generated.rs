//! completions/ and man/ are generated from the clap definitions and checked
//! in. This test fails when they are stale; run it with KVGIT_REGENERATE=1 to
//! rewrite them.

use std::path::Path;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| {
                let e = e.expect("readable entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("readable file"),
                )
            })
            .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = tempfile::tempdir().expect("tempdir");
    let target = if std::env::var_os("KVGIT_REGENERATE").is_some() {
        root
    } else {
        fresh.path()
    };
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kvgit"))
        .arg("generate-docs")
        .arg(target)
        .env_remove("KVGIT_NS")
        .env_remove("KVGIT_LOCK_TIMEOUT")
        .status()
        .expect("kvgit runs");
    assert!(status.success());
    for dir in ["completions", "man"] {
        let want = files(&fresh.path().join(dir));
        let have = files(&root.join(dir));
        if target == root {
            continue;
        }
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&have),
            names(&want),
            "{dir}/ has the wrong files; run KVGIT_REGENERATE=1 cargo test --test generated"
        );
        for ((name, a), (_, b)) in have.iter().zip(&want) {
            assert!(
                a == b,
                "{dir}/{name} is stale; run KVGIT_REGENERATE=1 cargo test --test generated"
            );
        }
    }
}
