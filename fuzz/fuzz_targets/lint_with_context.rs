//! Dockerfiles (mutated from the corpus) linted against one small build context, built once
//! in a temp dir: files, a nested tree, a `.dockerignore` with exceptions, and odd links.
#![no_main]

use layerlint::context::BuildContext;
use layerlint::lint::lint_text;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

fn context() -> &'static BuildContext {
    static CTX: OnceLock<BuildContext> = OnceLock::new();
    CTX.get_or_init(|| {
        let root: PathBuf =
            std::env::temp_dir().join(format!("layerlint-fuzz-ctx-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for d in ["src/app", "src/lib", "node_modules/x", "docs", ".git"] {
            fs::create_dir_all(root.join(d)).expect("create context dir");
        }
        for (f, body) in [
            ("requirements.txt", "flask\n"),
            ("package.json", "{}\n"),
            ("package-lock.json", "{}\n"),
            ("go.mod", "module x\n"),
            ("go.sum", ""),
            ("src/app/main.py", "print(1)\n"),
            ("src/lib/util.go", "package lib\n"),
            ("docs/README.md", "# docs\n"),
            ("secret.env", "TOKEN=x\n"),
            ("Dockerfile", "FROM scratch\n"),
            (
                ".dockerignore",
                "docs\n*.env\n!keep.env\nnode_modules\n**/*.pyc\n",
            ),
        ] {
            fs::write(root.join(f), body).expect("write context file");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            let _ = symlink("loop-b", root.join("loop-a"));
            let _ = symlink("loop-a", root.join("loop-b"));
            let _ = symlink("missing", root.join("dangling"));
            let _ = symlink("..", root.join("src/up"));
            let _ = symlink("/etc", root.join("abs"));
        }
        BuildContext::open(&root, None).expect("open the fuzz context")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut args = BTreeMap::new();
    args.insert("VERSION".to_string(), "1.2.3".to_string());
    let _ = lint_text(text, Some(context()), &args, &|_| true);
});
