//! ARG and ENV values in force at each instruction, with BuildKit's scoping: global ARGs
//! reach only FROM lines, ENV beats ARG of the same name, a child stage inherits ENV, and the ARGs that had a value in its parent.

use super::expand::Vars;
use std::cell::Cell;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

/// One definition of a variable. `value: None` is an `ARG NAME` with no default and no
/// `--build-arg`: declared, but unset for expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    pub value: Option<String>,
    pub kind: VarKind,
    /// Index of the defining instruction; inherited ENV carries the child's FROM index.
    pub instr: usize,
}

/// ARGs that BuildKit defines without a declaration in the global scope, and fills in when a
/// stage declares them without a value. The values are those of a default linux/amd64 build.
pub const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
];

/// ARGs that BuildKit predefines for every instruction, RUN included, without a declaration: a
/// build passes them with `--build-arg` (they are left out of the image's history).
pub const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Where each name is defined in a list of definitions, so that a lookup costs the
/// definitions of that name rather than all of them: a file with thousands of ENV lines would
/// otherwise take quadratic time. It may lag behind the list; lookups scan the tail it has not
/// seen yet.
#[derive(Clone, Debug, Default)]
pub struct VarIndex {
    by_name: HashMap<String, Vec<usize>>,
    len: usize,
}

impl VarIndex {
    /// Takes in the definitions added to `defs` since the last call.
    pub fn sync(&mut self, defs: &[VarDef]) {
        for (i, d) in defs.iter().enumerate().skip(self.len) {
            self.by_name.entry(d.name.clone()).or_default().push(i);
        }
        self.len = self.len.max(defs.len());
    }
}

/// The variables visible at one point: the definitions in `defs` made before instruction
/// `before`, latest first, ENV winning over ARG. `index`, when given, was synced with `defs`.
pub struct Scope<'a> {
    pub defs: &'a [VarDef],
    pub before: usize,
    pub index: Option<&'a VarIndex>,
}

impl<'a> Scope<'a> {
    fn find(&self, name: &str, kind: VarKind) -> Option<&'a VarDef> {
        let hit = |d: &&VarDef| d.instr < self.before && d.kind == kind && d.name == name;
        let Some(index) = self.index.filter(|ix| ix.len <= self.defs.len()) else {
            return self.defs.iter().rev().find(hit);
        };
        if let Some(d) = self.defs[index.len..].iter().rev().find(hit) {
            return Some(d);
        }
        index
            .by_name
            .get(name)?
            .iter()
            .rev()
            .map(|&i| &self.defs[i])
            .find(hit)
    }

    /// The definition that decides the value of `name` here, if any.
    pub fn def(&self, name: &str) -> Option<&'a VarDef> {
        self.find(name, VarKind::Env)
            .or_else(|| self.find(name, VarKind::Arg))
    }
}

impl Vars for Scope<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.def(name).and_then(|d| d.value.as_deref())
    }
}

/// Variables handed out against a byte budget. Expansion output is bounded by the word plus
/// the values it reads, so metering those bounds the work: `ENV V=$V$V` repeated would
/// otherwise double the value on every line. Past the budget, lookups fail and `exhausted`
/// says the result must not be trusted.
pub struct Metered<'v> {
    inner: &'v dyn Vars,
    left: Cell<usize>,
    exhausted: Cell<bool>,
}

impl<'v> Metered<'v> {
    pub fn new(inner: &'v dyn Vars, budget: usize) -> Self {
        Metered {
            inner,
            left: Cell::new(budget),
            exhausted: Cell::new(false),
        }
    }

    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    fn take<'s>(&self, value: Option<&'s str>) -> Option<&'s str> {
        let v = value?;
        match self.left.get().checked_sub(v.len()) {
            Some(left) if !self.exhausted.get() => {
                self.left.set(left);
                Some(v)
            }
            _ => {
                self.exhausted.set(true);
                None
            }
        }
    }
}

impl Vars for Metered<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.take(self.inner.get(name))
    }

    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.take(self.inner.get_ignore_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, value: &str, kind: VarKind, instr: usize) -> VarDef {
        VarDef {
            name: name.into(),
            value: Some(value.into()),
            kind,
            instr,
        }
    }

    #[test]
    fn env_wins_over_arg_and_order_counts() {
        let defs = vec![
            def("A", "env", VarKind::Env, 1),
            def("A", "arg", VarKind::Arg, 2),
            def("B", "b1", VarKind::Arg, 3),
            def("B", "b2", VarKind::Arg, 5),
        ];
        let s = Scope {
            defs: &defs,
            before: 4,
            index: None,
        };
        assert_eq!(s.get("A"), Some("env"));
        assert_eq!(s.get("B"), Some("b1"));
        assert_eq!(
            Scope {
                defs: &defs,
                before: 6,
                index: None,
            }
            .get("B"),
            Some("b2")
        );
        assert_eq!(
            Scope {
                defs: &defs,
                before: 1,
                index: None,
            }
            .get("A"),
            None
        );
    }

    #[test]
    fn index_agrees_with_a_scan_even_when_it_lags() {
        let mut defs = vec![
            def("A", "env", VarKind::Env, 1),
            def("A", "arg", VarKind::Arg, 2),
            def("B", "b1", VarKind::Arg, 3),
        ];
        let mut index = VarIndex::default();
        index.sync(&defs);
        defs.push(def("B", "b2", VarKind::Arg, 5));
        defs.push(def("A", "env2", VarKind::Env, 6));
        for before in 0..8 {
            for name in ["A", "B", "C"] {
                let scan = Scope {
                    defs: &defs,
                    before,
                    index: None,
                };
                let fast = Scope {
                    defs: &defs,
                    before,
                    index: Some(&index),
                };
                assert_eq!(scan.get(name), fast.get(name), "{name} before {before}");
            }
        }
    }
}
