//! Words shared by the command line and the window, so both say things the same way.

use std::path::Path;

/// `1 risk`, `0 risks`, `3 risks`: the one place a count meets its noun.
///
/// `one` is the singular; the plural adds an "s" unless it is irregular, in which case use
/// [`count_with`].
pub fn count(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// [`count`] for a noun whose plural is not its singular plus "s" (`1 query`, `2 queries`).
pub fn count_with(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `5 blocks, 0 links`: what `archboard check` prints and the status bar shows.
pub fn counts_line(blocks: usize, links: usize) -> String {
    format!("{}, {}", count(blocks, "block"), count(links, "link"))
}

/// The display name of a board path: its file name, or the whole path when it has none.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Levenshtein distance between two short words, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != *cb)).min(row[j] + 1).min(up + 1);
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_the_singular_for_one_only() {
        assert_eq!(count(0, "risk"), "0 risks");
        assert_eq!(count(1, "risk"), "1 risk");
        assert_eq!(count(2, "path"), "2 paths");
        assert_eq!(count_with(1, "query", "queries"), "1 query");
        assert_eq!(count_with(3, "query", "queries"), "3 queries");
        assert_eq!(counts_line(5, 0), "5 blocks, 0 links");
        assert_eq!(counts_line(1, 1), "1 block, 1 link");
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("chek", "check"), 1);
        assert_eq!(edit_distance("exprot", "export"), 2);
        assert_eq!(edit_distance("check", "check"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn display_names_are_file_names() {
        assert_eq!(display_name(Path::new("/x/design.ron")), "design.ron");
        assert_eq!(display_name(Path::new("/")), "/");
    }
}
