//! Practice mode's data: the problem library (a prompt, clarifying questions with the answers an
//! interviewer gives, the estimator's numbers, a time plan, hints and a rubric) and how a board
//! is scored against a rubric.
//!
//! Problems are data, like lenses and plans: `assets/problems.ron` is bundled, and files in the
//! config folder's `problems/` add problems or replace bundled ones by id.

pub mod report;
mod report_cards;
pub mod rubric;

use crate::model::EstimateInputs;
use serde::Deserialize;
use std::path::{Path, PathBuf};

const BUNDLED: &str = include_str!("../../assets/problems.ron");

/// A question the candidate may ask, and what the interviewer answers.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub ask: String,
    pub answer: String,
    /// Asking it reveals the numbers the estimator is pre-filled with.
    #[serde(default)]
    pub scale: bool,
}

/// How a rubric item is checked.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub enum Check {
    /// The candidate ticks it: the board cannot show it.
    Manual,
    /// A block of one of these kinds is on the board.
    Has(Vec<String>),
    /// A path of links from a client through a block of each group's kinds, in order (other
    /// blocks may sit between): `[["cache"], ["database"]]` is client -> … -> cache -> … -> database.
    Path(Vec<Vec<String>>),
    /// Every block of these kinds (and at least one) has a partition key set when
    /// `partitioned`, and keeps at least `copies` copies of its data.
    Stores {
        kinds: Vec<String>,
        #[serde(default)]
        partitioned: bool,
        #[serde(default)]
        copies: u32,
    },
    /// The design review finds no single point of failure.
    NoSinglePoint,
    /// The estimator's inputs were changed from the defaults.
    Estimated,
    /// At least this many blocks are marked for a deep dive.
    DeepDives(usize),
    /// The core entities are on the board with fields: one entity for each group, named by any
    /// of the group's names (case and a plural `s` aside): `[["url", "link"], ["user"]]`.
    Entities(Vec<Vec<String>>),
    /// A requirements card lists functional and non-functional requirements, and every
    /// non-functional one has a checkable target.
    Requirements,
    /// An API card lists at least this many endpoints and is linked to the service behind it.
    Api(usize),
}

impl Check {
    pub fn is_manual(&self) -> bool {
        matches!(self, Check::Manual)
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RubricItem {
    /// Unique within the problem; what a saved session refers to.
    pub id: String,
    pub text: String,
    pub check: Check,
    /// The plan's phase (0-based) by the end of which it should be met; met later is "late".
    /// Absent: any time before the end.
    #[serde(default)]
    pub by_phase: Option<usize>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub id: String,
    pub title: String,
    /// As an interviewer opens with it.
    pub prompt: String,
    pub questions: Vec<Question>,
    /// The numbers behind the answers on scale, for the estimator.
    #[serde(default)]
    pub estimate: EstimateInputs,
    /// A time plan id (see `assets/plans.ron`).
    #[serde(default = "default_plan")]
    pub plan: String,
    /// From a gentle nudge to a near answer.
    pub hints: Vec<String>,
    pub rubric: Vec<RubricItem>,
}

fn default_plan() -> String {
    "45-four-step".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProblemFile {
    problems: Vec<Problem>,
}

/// Most problems one file may hold, and the bounds on each text (user files are untrusted).
const MAX_PROBLEMS: usize = 1_000;
const MAX_TEXT: usize = 4_000;
const MAX_LIST: usize = 60;

/// Every problem, bundled and the user's, by id.
#[derive(Clone, Debug, Default)]
pub struct Library {
    problems: Vec<Problem>,
}

impl Library {
    pub fn bundled() -> Self {
        let mut lib = Self::default();
        // The bundled file is tested to parse; an empty library is the fallback, not a panic.
        if let Ok(problems) = parse(BUNDLED, Path::new("assets/problems.ron")) {
            lib.problems = problems;
        }
        lib
    }

    /// The bundled problems plus those in `dir`'s `.ron` files, and a message per file that
    /// could not be read.
    pub fn with_user_dir(dir: &Path) -> (Self, Vec<String>) {
        let mut lib = Self::bundled();
        let mut errors = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return (lib, errors);
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        files.sort();
        for path in files {
            let text = match crate::persistence::read_capped(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    errors.push(e.to_string());
                    continue;
                }
            };
            match parse(&text, &path) {
                Ok(problems) => {
                    for p in problems {
                        lib.insert(p);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        (lib, errors)
    }

    /// What the window and the CLI use: bundled plus the config folder's.
    pub fn for_user() -> (Self, Vec<String>) {
        match Self::user_dir() {
            Some(dir) => Self::with_user_dir(&dir),
            None => (Self::bundled(), Vec::new()),
        }
    }

    pub fn user_dir() -> Option<PathBuf> {
        crate::platform::dirs::config_dir().map(|d| d.join("problems"))
    }

    fn insert(&mut self, p: Problem) {
        match self.problems.iter_mut().find(|q| q.id == p.id) {
            Some(slot) => *slot = p,
            None => self.problems.push(p),
        }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn get(&self, id: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.id == id)
    }
}

/// A new board that answers `problem`: titled after it, on its time plan, paused at the first
/// phase, with an empty practice session. The estimator keeps its defaults until the candidate
/// asks about scale.
pub fn new_board(problem: &Problem) -> crate::model::Board {
    let mut board = crate::model::Board::new(problem.title.clone());
    board.timer.plan = problem.plan.clone();
    board.practice = Some(crate::model::Practice::new(problem.id.clone()));
    board
}

/// Asks question `q`. Returns the estimator's inputs to fill in when it is the first question
/// about scale (the answer gives the numbers).
pub fn ask(
    practice: &mut crate::model::Practice,
    problem: &Problem,
    q: usize,
    now: crate::model::Moment,
) -> Option<EstimateInputs> {
    let question = problem.questions.get(q)?;
    practice.asked.entry(q).or_insert(now);
    if question.scale && !practice.estimate_filled {
        practice.estimate_filled = true;
        return Some(problem.estimate.clone());
    }
    None
}

/// Takes the next hint, if any is left; returns its text.
pub fn take_hint<'a>(
    practice: &mut crate::model::Practice,
    problem: &'a Problem,
    now: crate::model::Moment,
) -> Option<&'a str> {
    let next = problem.hints.get(practice.hints.len())?;
    practice.hints.push(now);
    Some(next)
}

/// Parses a problem file and checks each problem, naming the file and the problem on error.
pub fn parse(text: &str, name: &Path) -> Result<Vec<Problem>, String> {
    let file: ProblemFile = ron::Options::default()
        .with_recursion_limit(32)
        .from_str(text)
        .map_err(|e| format!("{}: {e}", name.display()))?;
    if file.problems.len() > MAX_PROBLEMS {
        return Err(format!(
            "{}: more than {MAX_PROBLEMS} problems",
            name.display()
        ));
    }
    for p in &file.problems {
        check(p).map_err(|e| format!("{}: problem \"{}\": {e}", name.display(), p.id))?;
    }
    Ok(file.problems)
}

fn check(p: &Problem) -> Result<(), String> {
    if p.id.is_empty() || p.id.len() > crate::model::practice_state::MAX_ID_CHARS {
        return Err("its id must be 1 to 64 characters".into());
    }
    let texts = [&p.title, &p.prompt]
        .into_iter()
        .chain(p.hints.iter())
        .chain(p.questions.iter().flat_map(|q| [&q.ask, &q.answer]))
        .chain(p.rubric.iter().flat_map(|r| [&r.id, &r.text]));
    for t in texts {
        if t.chars().count() > MAX_TEXT {
            return Err(format!("a text is longer than {MAX_TEXT} characters"));
        }
    }
    if p.questions.len() > MAX_LIST || p.hints.len() > MAX_LIST || p.rubric.len() > MAX_LIST {
        return Err(format!(
            "more than {MAX_LIST} questions, hints or rubric items"
        ));
    }
    let mut ids = std::collections::HashSet::new();
    for r in &p.rubric {
        if !ids.insert(&r.id) {
            return Err(format!("rubric item \"{}\" appears twice", r.id));
        }
    }
    for (name, v) in p.estimate.fields() {
        if !v.is_finite() || !(0.0..=crate::model::limits::MAX_ESTIMATE).contains(&v) {
            return Err(format!("estimate {name} = {v} is out of range"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_library_parses_and_holds_the_classics() {
        let problems = parse(BUNDLED, Path::new("problems.ron")).expect("bundled problems parse");
        assert!(problems.len() >= 20, "{} problems", problems.len());
        for p in &problems {
            assert!(
                (8..=15).contains(&p.rubric.len()),
                "{}: {} rubric items",
                p.id,
                p.rubric.len()
            );
            assert!(p.hints.len() >= 3, "{}: hints", p.id);
            assert!(
                p.questions.iter().any(|q| q.scale),
                "{}: no scale question",
                p.id
            );
            assert!(
                p.rubric.iter().any(|r| !r.check.is_manual())
                    && p.rubric.iter().any(|r| r.check.is_manual()),
                "{}: needs both automatic and manual items",
                p.id
            );
            let plans = crate::timer::bundled_plans();
            assert!(
                plans.iter().any(|pl| pl.id == p.plan),
                "{}: plan {}",
                p.id,
                p.plan
            );
        }
        let lib = Library::bundled();
        assert!(lib.get("url-shortener").is_some());
    }

    #[test]
    fn a_user_file_adds_and_replaces_problems_and_a_bad_one_is_reported() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join("mine.ron"),
            r#"(problems: [(id: "url-shortener", title: "Mine", prompt: "p", questions: [], hints: [], rubric: []),
                           (id: "new-one", title: "New", prompt: "p", questions: [], hints: [], rubric: [])])"#,
        )
        .expect("write");
        std::fs::write(dir.path().join("bad.ron"), "(problems: [(id: 3)])").expect("write");
        let (lib, errors) = Library::with_user_dir(dir.path());
        assert_eq!(
            lib.get("url-shortener").map(|p| p.title.as_str()),
            Some("Mine")
        );
        assert!(lib.get("new-one").is_some());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("bad.ron"), "{errors:?}");
    }
}
