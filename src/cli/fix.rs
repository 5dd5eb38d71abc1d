//! `check --fix`, `--unsafe-fixes` and `--diff`: apply the rules' fixes in rounds until the file
//! stops changing, and show what changed as a unified diff.

use crate::diagnostic::{apply_edits, Applicability, Diagnostic, Edit, Fix};
use crate::report::{FileError, FileReport};
use std::path::Path;

/// More rounds than any real chain of fixes needs; a pair of fixes that undo each other must
/// not keep the linter busy forever.
pub const MAX_ROUNDS: usize = 10;

/// What `check` does with the fixes it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Off,
    /// Write the fixed text back (or to stdout for standard input).
    Apply,
    /// Print a unified diff and change nothing.
    Diff,
}

/// One file after `check`: its report (of the fixed text, when fixing) and what fixing did.
pub struct Done {
    pub report: FileReport,
    /// The text before fixing, when fixes were looked for.
    original: Option<String>,
    applied: usize,
    /// With `-` and `--fix`: the text to print on standard output.
    stdin_fixed: Option<String>,
    /// With `--fix`: the fixed text could not be written back.
    pub write_error: Option<FileError>,
}

/// Lint one file and, unless `mode` is [`FixMode::Off`], fix it: in place for a file with
/// [`FixMode::Apply`], nowhere for standard input or [`FixMode::Diff`].
/// With `suppress`, the change is a suppression comment for every finding (`--add-suppressions`)
/// instead of the rules' fixes.
pub fn run_file(
    path: &Path,
    text: String,
    from_stdin: bool,
    mode: FixMode,
    unsafe_fixes: bool,
    suppress: bool,
    lint: impl Fn(&str) -> Result<FileReport, FileError>,
) -> Result<Done, FileError> {
    if mode == FixMode::Off {
        return Ok(Done {
            report: lint(&text)?,
            original: None,
            applied: 0,
            stdin_fixed: None,
            write_error: None,
        });
    }
    let fixed = if suppress {
        with_suppressions(text.clone(), &lint)?
    } else {
        fix_until_stable(text.clone(), unsafe_fixes, &lint, |r| &r.diagnostics)?
    };
    let mut stdin_fixed = None;
    if mode == FixMode::Apply {
        if from_stdin {
            stdin_fixed = Some(fixed.text.clone());
        } else if fixed.text != text {
            if let Err(e) = std::fs::write(path, fixed.text.as_bytes()) {
                // The file is as it was: report its findings as they stand, and why they
                // were not fixed.
                return Ok(Done {
                    report: lint(&text)?,
                    original: None,
                    applied: 0,
                    stdin_fixed: None,
                    write_error: Some(FileError {
                        path: path.display().to_string(),
                        message: format!(
                            "cannot write the fixed file: {}",
                            super::discover::io_message(&e)
                        ),
                    }),
                });
            }
        }
    }
    Ok(Done {
        report: fixed.result,
        original: Some(text),
        applied: fixed.applied,
        stdin_fixed,
        write_error: None,
    })
}

/// `text` with a suppression comment for each of its findings, linted again; as it was when
/// the new text cannot be linted.
fn with_suppressions(
    text: String,
    lint: impl Fn(&str) -> Result<FileReport, FileError>,
) -> Result<Fixed<FileReport>, FileError> {
    let report = lint(&text)?;
    if let Some((new, comments)) = super::baseline::add(&text, &report.diagnostics) {
        if let Ok(result) = lint(&new) {
            return Ok(Fixed {
                text: new,
                applied: comments,
                result,
            });
        }
    }
    Ok(Fixed {
        text,
        applied: 0,
        result: report,
    })
}

/// What fixing did over a whole run.
#[derive(Default)]
pub struct Summary {
    applied: usize,
    /// (path, diff) for every file a fix changed.
    diffs: Vec<(String, String)>,
    stdin_fixed: Option<String>,
}

impl Summary {
    pub fn add(&mut self, done: &Done) {
        self.applied += done.applied;
        if let Some(original) = &done.original {
            let diff = unified_diff(original, &done.report.text, &done.report.path);
            if !diff.is_empty() {
                self.diffs.push((done.report.path.clone(), diff));
            }
        }
        if done.stdin_fixed.is_some() {
            self.stdin_fixed.clone_from(&done.stdin_fixed);
        }
    }

    /// Every file's diff, in path order whatever order the threads finished in.
    pub fn diff(&self) -> String {
        let mut diffs: Vec<&(String, String)> = self.diffs.iter().collect();
        diffs.sort();
        diffs.into_iter().map(|(_, d)| d.as_str()).collect()
    }

    /// After `--diff`: how many fixes the diff holds.
    pub fn diff_note(&self) -> String {
        match self.applied {
            0 => String::new(),
            1 => "would fix 1 problem\n".into(),
            n => format!("would fix {n} problems\n"),
        }
    }

    /// After `--add-suppressions`: how many comments were (or, with `--diff`, would be)
    /// written or extended, and in how many files.
    pub fn suppression_note(&self, diff: bool) -> String {
        let files = match self.diffs.len() {
            1 => "1 file".to_string(),
            n => format!("{n} files"),
        };
        let verb = if diff { "would add" } else { "added" };
        match self.applied {
            0 => "no suppression comment needed\n".into(),
            1 => format!("{verb} 1 suppression comment in {files}\n"),
            n => format!("{verb} {n} suppression comments in {files}\n"),
        }
    }

    pub fn applied(&self) -> usize {
        self.applied
    }

    pub fn stdin_output(&self) -> Option<&str> {
        self.stdin_fixed.as_deref()
    }
}

/// The outcome of fixing one file.
pub struct Fixed<R> {
    pub text: String,
    /// How many fixes were applied, over all rounds.
    pub applied: usize,
    /// The lint result for `text`.
    pub result: R,
}

/// Does `fix` qualify under the chosen applicability?
fn allowed(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Two edits conflict when their ranges share a byte, or when both insert at one point (their
/// order would be a guess).
fn conflicts(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// The edits of the fixes that can go together in one round: fixes are taken in the order of
/// their first edit, and one that conflicts with an already taken edit waits for a later round
/// (the re-lint offers it again if it still applies).
pub fn select_round(
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
    text_len: usize,
) -> (Vec<&Edit>, usize) {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| allowed(f, unsafe_fixes) && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| {
        f.edits
            .iter()
            .map(|e| (e.span.start, e.span.end))
            .min()
            .unwrap_or((0, 0))
    });
    let mut taken: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for fix in fixes {
        let in_bounds = fix
            .edits
            .iter()
            .all(|e| e.span.start <= e.span.end && e.span.end <= text_len);
        let own_conflict = fix
            .edits
            .iter()
            .enumerate()
            .any(|(i, a)| fix.edits[i + 1..].iter().any(|b| conflicts(a, b)));
        let clash = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| conflicts(e, t)));
        if in_bounds && !own_conflict && !clash {
            taken.extend(fix.edits.iter());
            count += 1;
        }
    }
    (taken, count)
}

/// Lint, apply the non-conflicting fixes in one pass, and repeat on the new text until no fix
/// changes it or [`MAX_ROUNDS`] is reached. `lint` returns the findings of a text, or `Err`
/// when it cannot be linted; a round whose result cannot be linted is undone, so a fix never
/// leaves a file worse than it found it.
pub fn fix_until_stable<R, E>(
    text: String,
    unsafe_fixes: bool,
    mut lint: impl FnMut(&str) -> Result<R, E>,
    diagnostics: impl Fn(&R) -> &[Diagnostic],
) -> Result<Fixed<R>, E> {
    let mut current = text;
    let mut result = lint(&current)?;
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let (edits, count) = select_round(diagnostics(&result), unsafe_fixes, current.len());
        if count == 0 {
            break;
        }
        let (next, _) = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        match lint(&next) {
            Ok(r) => {
                current = next;
                result = r;
                applied += count;
            }
            Err(_) => break,
        }
    }
    Ok(Fixed {
        text: current,
        applied,
        result,
    })
}

/// A unified diff of `old` and `new` (three lines of context), as `diff -u` and `git diff`
/// print it; empty when the texts are equal.
pub fn unified_diff(old: &str, new: &str, path: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let name = diff_path(path);
    let mut out = format!("--- {name}\n+++ {name}\n");
    const CONTEXT: usize = 3;
    // Group the script into hunks: runs of changes joined when at most 2*CONTEXT equal lines
    // separate them.
    let mut i = 0;
    while i < ops.len() {
        if ops[i].kind == Kind::Equal {
            i += 1;
            continue;
        }
        let start = hunk_floor(&ops, i, CONTEXT);
        let mut end = i;
        loop {
            while end < ops.len() && ops[end].kind != Kind::Equal {
                end += 1;
            }
            let mut eq = end;
            while eq < ops.len() && ops[eq].kind == Kind::Equal {
                eq += 1;
            }
            if eq < ops.len() && eq - end <= 2 * CONTEXT {
                end = eq;
            } else {
                end = (end + CONTEXT).min(eq);
                break;
            }
        }
        write_hunk(&mut out, &ops[start..end], &a, &b);
        i = end;
    }
    out
}

/// A path as `diff -u` headers need it for `patch -p0` and `git apply`, the way git writes it:
/// a name with a space ends in a tab (or the space would end the name), and one with a quote, a
/// backslash or a control character is written C-quoted.
fn diff_path(path: &str) -> String {
    if path
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        let mut q = String::from("\"");
        for c in path.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\t' => q.push_str("\\t"),
                '\n' => q.push_str("\\n"),
                '\r' => q.push_str("\\r"),
                c if c.is_control() => {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        q.push_str(&format!("\\{b:03o}"));
                    }
                }
                c => q.push(c),
            }
        }
        q.push('"');
        q
    } else if path.contains(' ') {
        format!("{path}\t")
    } else {
        path.to_string()
    }
}

/// A hunk's leading context never reaches back into the previous hunk.
fn hunk_floor(ops: &[Op], i: usize, context: usize) -> usize {
    let mut j = i;
    let mut n = 0;
    while j > 0 && n < context && ops[j - 1].kind == Kind::Equal {
        j -= 1;
        n += 1;
    }
    j
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Equal,
    Delete,
    Insert,
}

/// One step of the edit script, with the line positions in both texts where it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Op {
    kind: Kind,
    old: usize,
    new: usize,
}

fn write_hunk(out: &mut String, ops: &[Op], a: &[&str], b: &[&str]) {
    let Some(first) = ops.first() else { return };
    let old_len = ops.iter().filter(|o| o.kind != Kind::Insert).count();
    let new_len = ops.iter().filter(|o| o.kind != Kind::Delete).count();
    // diff's convention: an empty side is numbered by the line before it.
    let range = |start: usize, len: usize| match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    };
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(first.old, old_len),
        range(first.new, new_len)
    ));
    for op in ops {
        let (sign, line) = match op.kind {
            Kind::Equal => (' ', a[op.old]),
            Kind::Delete => ('-', a[op.old]),
            Kind::Insert => ('+', b[op.new]),
        };
        out.push(sign);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// The edit script from `a` to `b`, line by line, by Myers' algorithm as `similar` implements
/// it: time near-linear when the fixes change few lines, memory linear in the line count
/// whatever they change (a full LCS table is quadratic in the size of the changed middle, and
/// fixes near both ends of a long file make that middle the whole file). On costly inputs
/// `similar` settles for a good split instead of the shortest script, so time stays bounded
/// without a clock deadline, and the same input always prints the same patch.
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let mut ops = Vec::with_capacity(a.len().max(b.len()));
    let op = |kind, old, new| Op { kind, old, new };
    for d in capture_diff_slices(Algorithm::Myers, a, b) {
        let (old, old_len, new, new_len, equal) = match d {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (old_index, len, new_index, len, true),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_len, new_index, 0, false),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, 0, new_index, new_len, false),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len, false),
        };
        if equal {
            ops.extend((0..old_len).map(|k| op(Kind::Equal, old + k, new + k)));
        } else {
            // Removed lines before added ones, as `diff -u` prints a change.
            ops.extend((0..old_len).map(|k| op(Kind::Delete, old + k, new)));
            ops.extend((0..new_len).map(|k| op(Kind::Insert, old + old_len, new + k)));
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::syntax::Span;

    fn finding(
        start: usize,
        end: usize,
        content: &str,
        applicability: Applicability,
    ) -> Diagnostic {
        Diagnostic::new("r", Severity::Warning, "m", Span::new(start, end)).fix(Fix {
            title: "t".into(),
            applicability,
            edits: vec![Edit {
                span: Span::new(start, end),
                content: content.into(),
            }],
        })
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let ds = vec![
            finding(0, 3, "X", Applicability::Safe),
            finding(2, 5, "Y", Applicability::Safe),
            finding(6, 7, "Z", Applicability::Safe),
            finding(8, 9, "U", Applicability::Unsafe),
        ];
        let (edits, n) = select_round(&ds, false, 10);
        assert_eq!(n, 2);
        assert_eq!(
            apply_edits("abcdefghij", &edits).0,
            "Xdef".to_string() + "Zhij"
        );
        let (_, n) = select_round(&ds, true, 10);
        assert_eq!(n, 3);
    }

    #[test]
    fn rounds_repeat_until_stable_and_stop_at_the_cap() {
        // Each round turns one `a` into `b`: three rounds, then nothing left to fix.
        let lint = |t: &str| -> Result<Vec<Diagnostic>, ()> {
            Ok(t.find('a')
                .map(|i| vec![finding(i, i + 1, "b", Applicability::Safe)])
                .unwrap_or_default())
        };
        let out = fix_until_stable("xaaax".into(), false, lint, |d| d).unwrap();
        assert_eq!(
            (out.text.as_str(), out.applied, out.result.len()),
            ("xbbbx", 3, 0)
        );
        // A fix that never converges stops after MAX_ROUNDS.
        let flip = |t: &str| -> Result<Vec<Diagnostic>, ()> {
            let c = if t == "a" { "b" } else { "a" };
            Ok(vec![finding(0, 1, c, Applicability::Safe)])
        };
        let out = fix_until_stable("a".into(), false, flip, |d| d).unwrap();
        assert_eq!(out.applied, MAX_ROUNDS);
    }

    #[test]
    fn a_round_that_breaks_the_file_is_undone() {
        let lint = |t: &str| -> Result<Vec<Diagnostic>, ()> {
            if t.contains('!') {
                Err(())
            } else {
                Ok(vec![finding(0, 1, "!", Applicability::Safe)])
            }
        };
        let out = fix_until_stable("abc".into(), false, lint, |d| d).unwrap();
        assert_eq!((out.text.as_str(), out.applied), ("abc", 0));
    }

    #[test]
    fn diff_paths_survive_patch() {
        assert_eq!(diff_path("app/Dockerfile"), "app/Dockerfile");
        assert_eq!(diff_path("my app/Dockerfile"), "my app/Dockerfile\t");
        assert_eq!(diff_path("a\"b\\c\td"), "\"a\\\"b\\\\c\\td\"");
        assert_eq!(diff_path("é x"), "é x\t");
        assert!(unified_diff("a\n", "b\n", "my app/Dockerfile")
            .starts_with("--- my app/Dockerfile\t\n+++ my app/Dockerfile\t\n"));
    }

    #[test]
    fn unified_diff_hunks() {
        assert_eq!(unified_diff("a\n", "a\n", "f"), "");
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old.replacen("2\n", "two\n", 1).replacen("19\n", "", 1);
        assert_eq!(
            unified_diff(&old, &new, "Dockerfile"),
            "--- Dockerfile\n+++ Dockerfile\n\
             @@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n\
             @@ -16,5 +16,4 @@\n 16\n 17\n 18\n-19\n 20\n"
        );
        // Pure insertion at the top and a missing final newline.
        assert_eq!(
            unified_diff("b", "a\nb", "f"),
            "--- f\n+++ f\n@@ -1 +1,2 @@\n+a\n b\n\\ No newline at end of file\n"
        );
        assert_eq!(
            unified_diff("", "x\n", "f"),
            "--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n"
        );
    }

    /// 20 MB of identical lines with a change near each end: the diff is the two hunks, found
    /// with memory linear in the file (a table over the changed middle would be 10^12 cells).
    #[test]
    fn unified_diff_of_a_20_mb_file_with_changes_at_both_ends() {
        let n = 20 * 1024 * 1024 / "RUN echo x\n".len();
        let body = "RUN echo x\n".repeat(n);
        let old =
            format!("FROM alpine:3.20\n# layerlint ignore=x\nRUN echo start\n{body}CMD echo b");
        let new = format!("FROM alpine:3.20\nRUN echo start\n{body}CMD [\"echo\", \"b\"]");
        assert!(old.len() > 20 * 1024 * 1024);
        let last = n + 4;
        assert_eq!(
            unified_diff(&old, &new, "big.Dockerfile"),
            format!(
                "--- big.Dockerfile\n+++ big.Dockerfile\n\
                 @@ -1,5 +1,4 @@\n FROM alpine:3.20\n-# layerlint ignore=x\n RUN echo start\n RUN echo x\n RUN echo x\n\
                 @@ -{},4 +{},4 @@\n RUN echo x\n RUN echo x\n RUN echo x\n-CMD echo b\n\\ No newline at end of file\n\
                 +CMD [\"echo\", \"b\"]\n\\ No newline at end of file\n",
                last - 3,
                last - 4
            )
        );
    }

    proptest::proptest! {
        /// The edit script walks both texts in order: its equal and removed lines are the old
        /// text, its equal and added lines the new one, and equal means equal.
        #[test]
        fn the_edit_script_rebuilds_both_texts(
            old in proptest::collection::vec("[ab]{0,2}\n", 0..30),
            new in proptest::collection::vec("[ab]{0,2}\n", 0..30),
        ) {
            let a: Vec<&str> = old.iter().map(String::as_str).collect();
            let b: Vec<&str> = new.iter().map(String::as_str).collect();
            let ops = diff_lines(&a, &b);
            let (mut i, mut j) = (0, 0);
            for o in &ops {
                proptest::prop_assert_eq!((o.old, o.new), (i, j));
                match o.kind {
                    Kind::Equal => {
                        proptest::prop_assert_eq!(a[i], b[j]);
                        i += 1;
                        j += 1;
                    }
                    Kind::Delete => i += 1,
                    Kind::Insert => j += 1,
                }
            }
            proptest::prop_assert_eq!((i, j), (a.len(), b.len()));
        }

        /// Whatever fixes the rules offer, every byte that no applied edit covers survives, in
        /// order: removing the inserted text (upper case) from the result gives the original
        /// (lower case) less the spans that were replaced.
        #[test]
        fn no_byte_outside_an_edit_is_lost(
            text in "[a-z\\n]{0,40}",
            raw in proptest::collection::vec((0usize..45, 0usize..6, "[A-Z]{0,3}", proptest::bool::ANY), 0..8),
        ) {
            let ds: Vec<Diagnostic> = raw
                .iter()
                .map(|(start, len, content, safe)| {
                    let start = (*start).min(text.len());
                    let end = (start + len).min(text.len());
                    let a = if *safe { Applicability::Safe } else { Applicability::Unsafe };
                    finding(start, end, content, a)
                })
                .collect();
            let (edits, _) = select_round(&ds, true, text.len());
            let (out, applied) = apply_edits(&text, &edits);
            proptest::prop_assert_eq!(applied, edits.len());
            let mut kept = String::new();
            for (i, c) in text.char_indices() {
                if !edits.iter().any(|e| e.span.start <= i && i < e.span.end) {
                    kept.push(c);
                }
            }
            let stripped: String = out.chars().filter(|c| !c.is_ascii_uppercase()).collect();
            proptest::prop_assert_eq!(stripped, kept);
        }
    }
}
