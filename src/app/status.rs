//! The status bar's message: the last thing the app wants the user to know.

use std::time::Duration;
use web_time::Instant;

/// How long an info message stays.
const INFO_SHOWN: Duration = Duration::from_secs(8);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Clone, Debug)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub since: Instant,
}

impl Default for Status {
    fn default() -> Self {
        Self {
            text: String::new(),
            level: Level::Info,
            since: Instant::now(),
        }
    }
}

impl Status {
    pub fn info(&mut self, text: impl Into<String>) {
        self.set(text.into(), Level::Info);
    }

    /// Errors stay until the next message: the user must get the chance to read them.
    pub fn error(&mut self, text: impl Into<String>) {
        self.set(text.into(), Level::Error);
    }

    fn set(&mut self, text: String, level: Level) {
        self.text = text;
        self.level = level;
        self.since = Instant::now();
    }

    /// Info messages fade after a while; errors do not.
    pub fn visible(&self) -> bool {
        !self.text.is_empty() && (self.level == Level::Error || self.hides_in().is_some())
    }

    /// How long an info message has left on screen: the one moment the status bar needs a
    /// repaint of its own, so an idle window draws nothing until then.
    pub fn hides_in(&self) -> Option<Duration> {
        if self.text.is_empty() || self.level == Level::Error {
            return None;
        }
        INFO_SHOWN
            .checked_sub(self.since.elapsed())
            .filter(|d| !d.is_zero())
    }
}
