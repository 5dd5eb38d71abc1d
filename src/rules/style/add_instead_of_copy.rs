//! add-instead-of-copy: an `ADD` that only copies local files and folders, which is what
//! `COPY` does. ADD's own features (fetching a URL or a git repository, unpacking a local tar
//! archive) are not used, so the line reads as if something more happened.

use crate::context::has_wildcards;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{CopyFrom, Model, SourceKind};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "add-instead-of-copy",
    group: "style",
    severity: Severity::Info,
    summary: "ADD used for local files and folders, which COPY copies the same way",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/add-instead-of-copy.md"),
    aliases: &["DL3020"],
    default: true,
    check,
};

/// The flags COPY takes as well. Any other (`--checksum`, `--keep-git-dir`, `--unpack`) is an
/// ADD feature, and an ADD that names one is left alone.
const COPY_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude"];

/// Names that say a file is an archive, tar or other: ADD unpacks a local tar archive (plain or
/// compressed), and a reader may expect it of the others.
const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar", ".tgz", ".tbz", ".tbz2", ".tb2", ".txz", ".tzst", ".tlz", ".taz", ".tz", ".gz", ".bz2",
    ".xz", ".zst", ".lz", ".lzma", ".lz4", ".z", ".zip", ".7z", ".rar",
];

/// Context files read to tell archives by their content, per ADD: beyond that the ADD is left
/// alone rather than guessed about.
const MAX_FILES_READ: usize = 256;

fn archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// The first bytes of a file say whether ADD would unpack it: BuildKit looks at the content,
/// not the name (gzip, bzip2, xz or zstd compression, or a tar header).
fn archive_content(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
        || head.starts_with(b"BZh")
        || head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00])
        || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || head.get(257..262) == Some(b"ustar")
}

/// Without a build context, a wildcard may match an archive unless its last part names a file
/// type that is none (`*.py`, `config/*.json`).
fn wildcard_may_match_archive(pattern: &str) -> bool {
    let last = pattern.rsplit('/').next().unwrap_or(pattern);
    match last.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && !has_wildcards(ext) => {
            archive_name(&format!(".{ext}"))
        }
        _ => true,
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.instructions_of(Keyword::Add) {
        if ins.flags.iter().any(|f| {
            !COPY_FLAGS.contains(&f.name.as_str()) || (f.value.is_none() && f.name != "link")
        }) {
            continue;
        }
        let Some(copy) = m.copies.get(&i) else {
            continue;
        };
        if copy.from != CopyFrom::Context || copy.sources.is_empty() {
            continue;
        }
        if !only_plain_files(m, copy) {
            continue;
        }
        let kw = &ins.keyword_word;
        let replacement = if kw.value.chars().all(|c| c.is_ascii_lowercase()) {
            "copy"
        } else {
            "COPY"
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                "this ADD only copies local files and folders, which is what COPY does",
                kw.span,
            )
            .label("no URL, git source or archive to unpack")
            .help("write COPY: ADD also downloads URLs and unpacks local tar archives, so a reader cannot tell that this line does neither")
            .answers_to(RULE.aliases)
            .fix(Fix {
                title: "use COPY".into(),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: kw.span,
                    content: replacement.into(),
                }],
            }),
        );
    }
}

/// Every source is a local path that ADD copies as COPY would: no URL, git source or heredoc,
/// no unknown variable, nothing that is (or, without a context, might be) an archive.
fn only_plain_files(m: &Model, copy: &crate::model::Copy) -> bool {
    let mut read = 0;
    for s in &copy.sources {
        if s.kind != SourceKind::Path || !s.unset_vars.is_empty() || archive_name(&s.expanded) {
            return false;
        }
        // A context that holds only Dockerfiles is not the build's (see copy-source-missing):
        // the names alone decide then, as without a context.
        let Some(ctx) = m.context.filter(|c| !c.holds_only_dockerfiles()) else {
            if has_wildcards(&s.expanded) && wildcard_may_match_archive(&s.expanded) {
                return false;
            }
            continue;
        };
        // What the build sees: a source that matches nothing is another rule's finding.
        let seen: Vec<_> = s.matches.iter().filter(|x| !x.ignored).collect();
        if seen.is_empty() {
            return false;
        }
        for x in seen {
            if x.is_dir {
                // ADD copies a directory's contents as they are, archives included.
                continue;
            }
            if archive_name(&x.path) {
                return false;
            }
            read += 1;
            if read > MAX_FILES_READ {
                return false;
            }
            match ctx.read_prefix(&x.path, 262) {
                Some(head) if !archive_content(&head) => {}
                _ => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn without_a_context() {
        let cases: &[(&str, usize)] = &[
            ("FROM alpine:3.20\nADD app.py /app/\n", 1),
            ("FROM alpine:3.20\nADD . /app\n", 1),
            ("FROM alpine:3.20\nadd src /app\n", 1),
            (
                "FROM alpine:3.20\nADD --chown=app:app --chmod=644 a.conf /etc/\n",
                1,
            ),
            ("FROM alpine:3.20\nADD *.py /app/\n", 1),
            // ADD's own features.
            (
                "FROM alpine:3.20\nADD https://example.com/a.txt /a.txt\n",
                0,
            ),
            (
                "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git /src\n",
                0,
            ),
            ("FROM alpine:3.20\nADD rootfs.tar.xz /\n", 0),
            ("FROM alpine:3.20\nADD app.py vendor.tgz /app/\n", 0),
            (
                "FROM alpine:3.20\nADD --checksum=sha256:0 https://example.com/a /a\n",
                0,
            ),
            ("FROM alpine:3.20\nADD --unpack=false a.py /a\n", 0),
            // A flag with its value missing is a syntax error, not this rule's finding.
            ("FROM alpine:3.20\nADD --chmod 777 a.py /a\n", 0),
            ("FROM alpine:3.20\nADD --link a.py /a\n", 1),
            // A wildcard may match an archive; a variable with no value may name one.
            ("FROM alpine:3.20\nADD dist/* /app/\n", 0),
            ("FROM alpine:3.20\nADD $SRC /app/\n", 0),
            ("FROM alpine:3.20\nARG SRC=app.py\nADD $SRC /app/\n", 1),
            ("FROM alpine:3.20\nARG SRC=app.tar\nADD $SRC /app/\n", 0),
            // COPY is what it should be.
            ("FROM alpine:3.20\nCOPY app.py /app/\n", 0),
            ("FROM alpine:3.20\nADD <<EOF /a\nx\nEOF\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    /// With the build context, the files themselves decide: an archive is told by its content.
    #[test]
    fn with_a_context() {
        use crate::context::BuildContext;
        use crate::rules::test_context::context_with;
        let dir = context_with(&["app.py: print(1)", "src/", "src/a.py", "dist/", "dist/a.py"]);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        std::fs::write(dir.path().join("dist/rootfs"), &tar).unwrap();
        std::fs::write(dir.path().join("bundle"), [0x1f, 0x8b, 8, 0]).unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "src/a.py\n").unwrap();
        let ctx = BuildContext::open(dir.path(), None).unwrap();
        let count = |text: &str| {
            crate::lint::lint_text(text, Some(&ctx), &Default::default(), &|r| {
                r.name == super::RULE.name
            })
            .unwrap()
            .diagnostics
            .len()
        };
        assert_eq!(count("FROM alpine:3.20\nADD app.py /app/\n"), 1);
        assert_eq!(count("FROM alpine:3.20\nADD src /app/\n"), 1);
        assert_eq!(count("FROM alpine:3.20\nADD dist/*.py /app/\n"), 1);
        // A tar archive without an archive's name is still unpacked by ADD.
        assert_eq!(count("FROM alpine:3.20\nADD dist/* /app/\n"), 0);
        assert_eq!(count("FROM alpine:3.20\nADD bundle /app/\n"), 0);
        // Nothing the build sees: another rule's finding.
        assert_eq!(count("FROM alpine:3.20\nADD missing.py /app/\n"), 0);
        assert_eq!(count("FROM alpine:3.20\nADD src/a.py /app/\n"), 0);
    }
}
