//! The operating system's reason for a failed file operation, as users read it: without
//! Rust's ` (os error N)` suffix, which tells them nothing more.

/// `No such file or directory`, `Permission denied`, ...: the message of `e` without its
/// error number.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.rfind(" (os error ") {
                Some(i) if s.ends_with(')') => s[..i].to_string(),
                _ => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_error_numbers() {
        let e = std::io::Error::from_raw_os_error(21);
        assert_eq!(io_message(&e), "Is a directory");
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_message(&e), "No such file or directory");
    }
}
