//! How a COPY's last word was read: when it names a file of the build context, the author
//! most likely meant it as one more source and forgot the destination.

use super::{path, Copy, CopyFrom, Model, SourceKind};

/// `COPY app.py requirements.txt`: one context file copied to a path named like another file
/// of the context, which BuildKit reads as the destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForgottenDest {
    pub instr: usize,
    /// The context path of the one source, the file that was copied.
    pub source: String,
    /// The last word, as written: the context file that was not copied.
    pub dest_word: String,
    /// Where the source landed in the image.
    pub copied_to: String,
    /// The COPY with a destination: the same words followed by `./`.
    pub suggestion: String,
}

/// The COPY, when its last word is more likely a forgotten source than a destination: a single
/// context file as source, and a bare relative name as last word that is itself a file of the
/// build context, of another kind.
pub fn forgotten_destination(m: &Model, copy: &Copy) -> Option<ForgottenDest> {
    let ctx = m.context?;
    if copy.from != CopyFrom::Context || copy.dest_is_dir || copy.sources.len() != 1 {
        return None;
    }
    let src = &copy.sources[0];
    if src.kind != SourceKind::Path || src.expanded.contains(['*', '?', '[', '$']) {
        return None;
    }
    let [only] = &src.matches[..] else {
        return None;
    };
    if only.is_dir || only.ignored {
        return None;
    }
    let dest = copy.dest_word.as_ref()?;
    let word = dest.value.as_str();
    if word.contains(['/', '$', '*', '?', '[', '\\']) || word.starts_with('.') && word.len() < 3 {
        return None;
    }
    let source = path::base_name(&only.path);
    if source == word || !ctx.exists(word) || ctx.is_dir(word) {
        return None;
    }
    // A rename within one kind of file is deliberate (`requirements-prod.txt requirements.txt`,
    // `package.prod.json package.json`); a slip pairs files of different kinds
    // (`app.py requirements.txt`), and not two manifests (`Pipfile.lock requirements.txt`).
    let ext = |n: &str| n.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let manifest = super::deps::is_manifest_name;
    if ext(source) == ext(word) || (manifest(source) && manifest(word)) {
        return None;
    }
    let ins = m.instruction(copy.instr);
    let text = m.file.text.get(ins.span.start..ins.span.end)?;
    // Only a one-line COPY is rewritten in the suggestion.
    if text.contains('\n') {
        return None;
    }
    Some(ForgottenDest {
        instr: copy.instr,
        source: only.path.clone(),
        dest_word: word.to_string(),
        copied_to: copy.dest.clone(),
        suggestion: format!("{} ./", text.trim_end()),
    })
}

/// How many COPYs before an instruction `forgotten_destination_of` looks at: the slip sits
/// near what it breaks, and a bound keeps a file of thousands of COPYs linear.
const REACH: usize = 64;

/// The COPY of stage `stage` (or a stage it is built on), among the last `REACH` before
/// `before`, that copied context file `source` under the name of another context file.
pub fn forgotten_destination_of(
    m: &Model,
    stage: usize,
    before: usize,
    source: &str,
) -> Option<ForgottenDest> {
    let st = m.stages.get(stage)?;
    m.stage_chain(st).iter().take(REACH).find_map(|s| {
        m.copies
            .range(s.instrs.start..before.min(s.instrs.end))
            .rev()
            .take(REACH)
            .filter(|(_, c)| {
                c.sources.len() == 1 && c.sources[0].matches.iter().any(|x| x.path == source)
            })
            .find_map(|(_, c)| forgotten_destination(m, c))
    })
}

#[cfg(test)]
mod tests {
    /// The suggestion for the first COPY of `text` in a context of `files`, if it forgot its
    /// destination.
    fn slip(files: &[&str], text: &str) -> Option<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in files {
            let (p, content) = f.split_once(": ").unwrap_or((f, ""));
            let full = dir.path().join(p);
            if p.ends_with('/') {
                std::fs::create_dir_all(&full).expect("mkdir");
            } else {
                std::fs::write(&full, content).expect("write");
            }
        }
        let ctx = crate::context::BuildContext::open(dir.path(), None).expect("context");
        let file = crate::syntax::parse(text).expect("parses");
        let m = super::Model::build(&file, Some(&ctx), &Default::default());
        let copy = m.copies.values().next()?;
        super::forgotten_destination(&m, copy).map(|f| f.suggestion)
    }

    #[test]
    fn last_word_naming_another_context_file() {
        let files = &[
            "app.py: 1",
            "requirements.txt: x",
            "requirements-prod.txt: x",
            "package.json: {}",
            "package.prod.json: {}",
            "src/",
        ];
        let df = |copy: &str| format!("FROM python:3\nWORKDIR /app\n{copy}\n");
        assert_eq!(
            slip(files, &df("COPY app.py requirements.txt")).as_deref(),
            Some("COPY app.py requirements.txt ./")
        );
        assert_eq!(
            slip(files, &df("COPY requirements.txt app.py")).as_deref(),
            Some("COPY requirements.txt app.py ./")
        );
        for fine in [
            "COPY app.py requirements.txt ./",
            "COPY app.py main.py",
            "COPY app.py /app/requirements.txt",
            "COPY requirements-prod.txt requirements.txt",
            "COPY package.prod.json package.json",
            "COPY app.py src",
            "COPY *.py requirements.txt",
            "COPY --from=base /app.py requirements.txt",
            "COPY app.py \\\n  requirements.txt",
        ] {
            assert_eq!(slip(files, &df(fine)), None, "{fine}");
        }
    }
}
