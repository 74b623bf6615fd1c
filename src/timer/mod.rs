//! The interview timer: time plans (data) and the clock that advances the saved
//! [`TimerState`] (which lives in the model, because a board file holds it).
//!
//! Time comes from an injectable [`Clock`] so tests advance it by hand. The saved state never
//! records "running": a reopened board shows where the interview stood, paused.

use crate::model::{BlockId, TimerState};
use serde::Deserialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

const BUNDLED: &str = include_str!("../../assets/plans.ron");

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub name: String,
    pub minutes: u32,
    /// The phase whose time is shared among the blocks marked for deep dive.
    #[serde(default)]
    pub deep_dive: bool,
    pub cover: Vec<String>,
}

impl Phase {
    pub fn planned_ms(&self) -> u64 {
        u64::from(self.minutes) * 60_000
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub phases: Vec<Phase>,
}

impl Plan {
    pub fn planned_ms(&self) -> u64 {
        self.phases.iter().map(Phase::planned_ms).sum()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    plans: Vec<Plan>,
}

/// The plan a timer state follows, falling back to the first plan (the default).
pub fn plan_for<'a>(state: &TimerState, plans: &'a [Plan]) -> Option<&'a Plan> {
    plans
        .iter()
        .find(|p| p.id == state.plan)
        .or_else(|| plans.first())
}

/// The bundled time plans, the first being the default.
pub fn bundled_plans() -> Vec<Plan> {
    ron::from_str::<PlanFile>(BUNDLED)
        .map(|f| f.plans)
        .unwrap_or_default()
}

/// A source of monotonic milliseconds.
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> u64;
}

/// Real time since the clock was made.
pub struct SystemClock(web_time::Instant);

impl Default for SystemClock {
    fn default() -> Self {
        Self(web_time::Instant::now())
    }
}

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        self.0.elapsed().as_millis() as u64
    }
}

/// A clock that only moves when told to: for tests.
#[derive(Clone, Default)]
pub struct FakeClock(Arc<AtomicU64>);

impl FakeClock {
    pub fn advance_ms(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The running part of the timer: not saved.
pub struct Timer {
    clock: Arc<dyn Clock>,
    /// Clock reading at the last tick while running.
    last: Option<u64>,
    /// When the phase last advanced by itself, for a visual cue.
    pub advanced_at: Option<u64>,
}

impl Timer {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            last: None,
            advanced_at: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.last.is_some()
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    pub fn start(&mut self) {
        if self.last.is_none() {
            self.last = Some(self.clock.now_ms());
        }
    }

    /// Stops the clock; the caller ticks first so no time is lost.
    pub fn pause(&mut self) {
        self.last = None;
    }

    /// Adds the time since the last tick to the current phase (advancing phases whose time is up)
    /// and to the focused block. Returns true when the state changed.
    pub fn tick(&mut self, state: &mut TimerState, plan: &Plan, focus: Option<BlockId>) -> bool {
        let Some(last) = self.last else { return false };
        let now = self.clock.now_ms();
        let delta = now.saturating_sub(last);
        if delta == 0 {
            return false;
        }
        self.last = Some(now);
        state.repair(plan.phases.len());
        let mut left = delta;
        loop {
            let phase = state.phase;
            let is_last = phase + 1 >= plan.phases.len();
            let room = plan
                .phases
                .get(phase)
                .map_or(0, Phase::planned_ms)
                .saturating_sub(state.phase_ms[phase]);
            if left < room || is_last {
                state.phase_ms[phase] += left;
                break;
            }
            state.phase_ms[phase] += room;
            left -= room;
            state.phase += 1;
            self.advanced_at = Some(now);
        }
        if let Some(b) = focus {
            *state.block_ms.entry(b).or_insert(0) += delta;
        }
        true
    }

    /// Milliseconds until the displayed seconds change, for scheduling the next repaint.
    pub fn ms_to_next_second(&self, state: &TimerState) -> u64 {
        1_000 - state.elapsed_ms() % 1_000
    }
}

/// `m:ss`, or `h:mm:ss` from an hour on.
pub fn format_ms(ms: u64) -> String {
    let s = ms / 1_000;
    if s >= 3_600 {
        format!("{}:{:02}:{:02}", s / 3_600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (FakeClock, Timer, TimerState, Plan) {
        let clock = FakeClock::default();
        let timer = Timer::new(Arc::new(clock.clone()));
        let plan = bundled_plans().into_iter().next().expect("a plan");
        (clock, timer, TimerState::default(), plan)
    }

    #[test]
    fn bundled_plans_match_the_method() {
        let plans = bundled_plans();
        assert_eq!(plans.len(), 3);
        let minutes: Vec<u64> = plans.iter().map(|p| p.planned_ms() / 60_000).collect();
        assert_eq!(minutes, vec![45, 45, 60]);
        assert_eq!(plans[0].phases.len(), 4);
        assert_eq!(plans[1].phases.len(), 7);
        assert_eq!(plans[2].phases.len(), 10);
        assert!(
            plans
                .iter()
                .all(|p| p.phases.iter().filter(|ph| ph.deep_dive).count() == 1)
        );
    }

    #[test]
    fn ten_minutes_moves_the_four_step_plan_to_its_second_phase() {
        let (clock, mut timer, mut state, plan) = setup();
        timer.start();
        clock.advance_ms(10 * 60_000);
        assert!(timer.tick(&mut state, &plan, None));
        assert_eq!(state.phase, 1);
        assert_eq!(state.phase_ms[0], 10 * 60_000);
        assert!(timer.advanced_at.is_some(), "the advance is signalled");
        clock.advance_ms(61_000);
        timer.tick(&mut state, &plan, None);
        assert_eq!((state.phase, state.phase_ms[1]), (1, 61_000));
    }

    #[test]
    fn pause_stops_the_clock() {
        let (clock, mut timer, mut state, plan) = setup();
        timer.start();
        clock.advance_ms(5_000);
        timer.tick(&mut state, &plan, None);
        timer.pause();
        clock.advance_ms(60_000);
        assert!(!timer.tick(&mut state, &plan, None));
        assert_eq!(state.elapsed_ms(), 5_000);
    }

    #[test]
    fn overrun_stays_in_the_last_phase() {
        let (clock, mut timer, mut state, plan) = setup();
        timer.start();
        clock.advance_ms(50 * 60_000);
        timer.tick(&mut state, &plan, None);
        assert_eq!(state.phase, 3);
        assert_eq!(state.elapsed_ms(), 50 * 60_000);
        assert!(
            state.phase_ms[3] > plan.phases[3].planned_ms(),
            "the overrun is recorded"
        );
    }

    #[test]
    fn focused_block_collects_its_time() {
        let (clock, mut timer, mut state, plan) = setup();
        timer.start();
        clock.advance_ms(180_000);
        timer.tick(&mut state, &plan, Some(BlockId(7)));
        clock.advance_ms(1_000);
        timer.tick(&mut state, &plan, None);
        assert_eq!(state.block_ms.get(&BlockId(7)), Some(&180_000));
        assert_eq!(state.block_ms.len(), 1);
    }

    #[test]
    fn formats_minutes_and_hours() {
        assert_eq!(format_ms(252_000), "4:12");
        assert_eq!(format_ms(3_725_000), "1:02:05");
    }
}
