//! ARG and ENV values in force at each instruction, with BuildKit's scoping: global ARGs
//! reach only FROM lines, ENV beats ARG of the same name, a child stage inherits ENV only.

use super::expand::Vars;

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

/// The variables visible at one point: the definitions in `defs` made before instruction
/// `before`, latest first, ENV winning over ARG.
pub struct Scope<'a> {
    pub defs: &'a [VarDef],
    pub before: usize,
}

impl<'a> Scope<'a> {
    fn find(&self, name: &str, kind: VarKind) -> Option<&'a VarDef> {
        self.defs
            .iter()
            .rev()
            .filter(|d| d.instr < self.before)
            .find(|d| d.kind == kind && d.name == name)
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
        };
        assert_eq!(s.get("A"), Some("env"));
        assert_eq!(s.get("B"), Some("b1"));
        assert_eq!(
            Scope {
                defs: &defs,
                before: 6
            }
            .get("B"),
            Some("b2")
        );
        assert_eq!(
            Scope {
                defs: &defs,
                before: 1
            }
            .get("A"),
            None
        );
    }
}
