/// Hides a secret value for display, keeping only enough to recognise it: its length and, for
/// values long enough that it gives nothing away, the first two characters.
pub fn redact(secret: &str) -> String {
    let chars = secret.chars().count();
    if chars >= 12 {
        let prefix: String = secret.chars().take(2).collect();
        format!("{prefix}…(redacted, {chars} chars)")
    } else {
        format!("(redacted, {chars} chars)")
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn never_shows_more_than_a_short_prefix() {
        assert_eq!(redact("hunter2"), "(redacted, 7 chars)");
        let long = redact("AKIAIOSFODNN7EXAMPLE");
        assert!(
            long.starts_with("AK…") && !long.contains("IOSFODNN"),
            "{long}"
        );
    }
}
