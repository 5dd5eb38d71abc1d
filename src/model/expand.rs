//! BuildKit word expansion (`$V`, `${V:-x}`, ...), ported from the behaviour of its shell lexer.
