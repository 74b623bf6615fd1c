//! Back-of-the-envelope numbers from a handful of inputs, each with the formula that gave it,
//! so a candidate can say the arithmetic aloud.

use crate::model::EstimateInputs;

pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// The 80/20 rule: a fifth of the items serve most reads, so that fifth is what a cache holds.
pub const HOT_FRACTION: f64 = 0.2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    PerSecond,
    Bytes,
    BytesPerSecond,
    Count,
}

/// One computed number.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub name: &'static str,
    pub value: f64,
    pub unit: Unit,
    /// The formula in words, then with the numbers put in.
    pub formula: String,
}

impl Output {
    pub fn text(&self) -> String {
        human(self.value, self.unit)
    }
}

/// Everything the estimator derives from its inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub reads_per_day: f64,
    pub writes_per_day: f64,
    pub avg_read_rps: f64,
    pub avg_write_rps: f64,
    pub peak_read_rps: f64,
    pub peak_write_rps: f64,
    pub bandwidth_in: f64,
    pub bandwidth_out: f64,
    pub storage_per_year: f64,
    pub storage_total: f64,
    pub cache_memory: f64,
    /// `None` when the capacity or target utilisation is zero.
    pub instances: Option<f64>,
    pub inputs: EstimateInputs,
}

impl Estimate {
    pub fn peak_rps(&self) -> f64 {
        self.peak_read_rps + self.peak_write_rps
    }

    /// Reads outnumber writes enough that caching them is the first lever.
    pub fn read_heavy(&self) -> bool {
        self.inputs.reads_per_write >= 3.0
    }

    /// The outputs in display order, each with its formula.
    pub fn outputs(&self) -> Vec<Output> {
        let i = &self.inputs;
        let n = |v: f64| human(v, Unit::Count);
        let day = n(SECONDS_PER_DAY);
        let mut out = vec![
            Output {
                name: "Reads, average",
                value: self.avg_read_rps,
                unit: Unit::PerSecond,
                formula: format!(
                    "users × requests each × reads share ÷ seconds a day\n{} × {} × {}/{} ÷ {day}",
                    n(i.daily_active_users),
                    n(i.requests_per_user),
                    n(i.reads_per_write),
                    n(i.reads_per_write + 1.0),
                ),
            },
            Output {
                name: "Writes, average",
                value: self.avg_write_rps,
                unit: Unit::PerSecond,
                formula: format!(
                    "users × requests each × writes share ÷ seconds a day\n{} × {} × 1/{} ÷ {day}",
                    n(i.daily_active_users),
                    n(i.requests_per_user),
                    n(i.reads_per_write + 1.0),
                ),
            },
            Output {
                name: "Reads, peak",
                value: self.peak_read_rps,
                unit: Unit::PerSecond,
                formula: format!(
                    "average reads × peak factor\n{} × {}",
                    human(self.avg_read_rps, Unit::PerSecond),
                    n(i.peak_factor)
                ),
            },
            Output {
                name: "Writes, peak",
                value: self.peak_write_rps,
                unit: Unit::PerSecond,
                formula: format!(
                    "average writes × peak factor\n{} × {}",
                    human(self.avg_write_rps, Unit::PerSecond),
                    n(i.peak_factor)
                ),
            },
            Output {
                name: "Bandwidth in",
                value: self.bandwidth_in,
                unit: Unit::BytesPerSecond,
                formula: format!(
                    "peak writes × payload\n{} × {}",
                    human(self.peak_write_rps, Unit::PerSecond),
                    human(i.payload_bytes, Unit::Bytes)
                ),
            },
            Output {
                name: "Bandwidth out",
                value: self.bandwidth_out,
                unit: Unit::BytesPerSecond,
                formula: format!(
                    "peak reads × payload\n{} × {}",
                    human(self.peak_read_rps, Unit::PerSecond),
                    human(i.payload_bytes, Unit::Bytes)
                ),
            },
            Output {
                name: "Storage per year",
                value: self.storage_per_year,
                unit: Unit::Bytes,
                formula: format!(
                    "writes a day × payload × 365\n{} × {} × 365",
                    n(self.writes_per_day),
                    human(i.payload_bytes, Unit::Bytes)
                ),
            },
            Output {
                name: "Storage, retention",
                value: self.storage_total,
                unit: Unit::Bytes,
                formula: format!(
                    "storage per year × years kept (before replication)\n{} × {}",
                    human(self.storage_per_year, Unit::Bytes),
                    n(i.retention_years)
                ),
            },
            Output {
                name: "Cache for the hot 20 %",
                value: self.cache_memory,
                unit: Unit::Bytes,
                formula: format!(
                    "20 % of a day's reads × payload (80/20 rule)\n0.2 × {} × {}",
                    n(self.reads_per_day),
                    human(i.payload_bytes, Unit::Bytes)
                ),
            },
        ];
        if let Some(instances) = self.instances {
            out.push(Output {
                name: "Instances needed",
                value: instances,
                unit: Unit::Count,
                formula: format!(
                    "peak requests ÷ (capacity each × target utilisation), rounded up\n{} ÷ ({} × {} %)",
                    human(self.peak_rps(), Unit::PerSecond),
                    human(i.capacity_per_instance, Unit::PerSecond),
                    n(i.target_utilisation)
                ),
            });
        }
        out
    }
}

/// Computes every output from the inputs.
pub fn estimate(inputs: &EstimateInputs) -> Estimate {
    let i = inputs;
    let per_day = i.daily_active_users * i.requests_per_user;
    let writes_per_day = per_day / (i.reads_per_write + 1.0);
    let reads_per_day = per_day - writes_per_day;
    let avg_read_rps = reads_per_day / SECONDS_PER_DAY;
    let avg_write_rps = writes_per_day / SECONDS_PER_DAY;
    let peak_read_rps = avg_read_rps * i.peak_factor;
    let peak_write_rps = avg_write_rps * i.peak_factor;
    let storage_per_year = writes_per_day * i.payload_bytes * 365.0;
    let usable = i.capacity_per_instance * i.target_utilisation / 100.0;
    let instances = (usable > 0.0).then(|| ((peak_read_rps + peak_write_rps) / usable).ceil());
    Estimate {
        reads_per_day,
        writes_per_day,
        avg_read_rps,
        avg_write_rps,
        peak_read_rps,
        peak_write_rps,
        bandwidth_in: peak_write_rps * i.payload_bytes,
        bandwidth_out: peak_read_rps * i.payload_bytes,
        storage_per_year,
        storage_total: storage_per_year * i.retention_years,
        cache_memory: HOT_FRACTION * reads_per_day * i.payload_bytes,
        instances,
        inputs: i.clone(),
    }
}

/// A number as people say it: `1,157 req/s`, `12.5 k req/s`, `3.7 TB`.
pub fn human(v: f64, unit: Unit) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let (scaled, prefix) = scale(v, unit);
    let num = if scaled.abs() >= 100.0 || (scaled.fract() == 0.0 && prefix.is_empty()) {
        group(scaled.round())
    } else if scaled.abs() >= 10.0 {
        format!("{scaled:.1}")
    } else {
        format!("{scaled:.2}")
    };
    let sep = if prefix.is_empty() { "" } else { " " };
    match unit {
        Unit::PerSecond => format!("{num}{sep}{prefix} req/s"),
        Unit::Bytes => format!("{num} {prefix}B"),
        Unit::BytesPerSecond => format!("{num} {prefix}B/s"),
        Unit::Count => format!("{num}{sep}{prefix}"),
    }
}

fn scale(v: f64, unit: Unit) -> (f64, &'static str) {
    let bytes = matches!(unit, Unit::Bytes | Unit::BytesPerSecond);
    let steps: &[(f64, &str)] = if bytes {
        &[(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
    } else {
        // Requests and counts read best in full up to 100,000.
        &[(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e5, "k")]
    };
    for &(size, prefix) in steps {
        if v.abs() >= size {
            let shown = if !bytes && prefix == "k" { 1e3 } else { size };
            return (v / shown, prefix);
        }
    }
    (v, "")
}

/// `1234567` → `1,234,567`.
fn group(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1.0)
    }

    #[test]
    fn a_million_requests_a_day_is_about_twelve_per_second() {
        let e = estimate(&EstimateInputs {
            daily_active_users: 1_000_000.0,
            requests_per_user: 1.0,
            reads_per_write: 1.0,
            peak_factor: 1.0,
            ..Default::default()
        });
        let total = e.avg_read_rps + e.avg_write_rps;
        assert!((total - 11.574).abs() < 0.01, "{total}");
        assert_eq!(human(total, Unit::PerSecond), "11.6 req/s");
    }

    #[test]
    fn outputs_match_hand_computed_examples() {
        // 10M users × 10 requests = 100M a day; 10:1 reads → 90.9M reads, 9.09M writes.
        let e = estimate(&EstimateInputs {
            daily_active_users: 10_000_000.0,
            requests_per_user: 10.0,
            reads_per_write: 10.0,
            payload_bytes: 1_000.0,
            retention_years: 5.0,
            peak_factor: 3.0,
            capacity_per_instance: 10_000.0,
            target_utilisation: 70.0,
        });
        assert!(close(e.writes_per_day, 100e6 / 11.0));
        assert!(close(e.avg_read_rps, 100e6 * 10.0 / 11.0 / 86_400.0)); // ≈ 1,052
        assert!(close(e.peak_write_rps, 100e6 / 11.0 / 86_400.0 * 3.0)); // ≈ 316
        assert!(close(e.bandwidth_out, e.peak_read_rps * 1_000.0)); // ≈ 3.2 MB/s
        assert!(close(e.storage_per_year, 100e6 / 11.0 * 1_000.0 * 365.0)); // ≈ 3.3 TB
        assert!(close(e.storage_total, e.storage_per_year * 5.0));
        assert!(close(e.cache_memory, 0.2 * 100e6 * 10.0 / 11.0 * 1_000.0)); // ≈ 18 GB
        // Peak ≈ 3,472 req/s at 7,000 usable per instance → 1.
        assert_eq!(e.instances, Some(1.0));
        assert_eq!(human(e.avg_read_rps, Unit::PerSecond), "1,052 req/s");
        assert_eq!(human(e.storage_per_year, Unit::Bytes), "3.32 TB");
        assert!(e.read_heavy());
    }

    #[test]
    fn instances_round_up_and_need_a_capacity() {
        let mut i = EstimateInputs {
            daily_active_users: 864_000_000.0,
            requests_per_user: 1.0,
            reads_per_write: 1.0,
            peak_factor: 1.0,
            capacity_per_instance: 1_000.0,
            target_utilisation: 50.0,
            ..Default::default()
        };
        // 10,000 req/s at 500 usable each → 20.
        assert_eq!(estimate(&i).instances, Some(20.0));
        i.capacity_per_instance = 0.0;
        assert_eq!(estimate(&i).instances, None);
        assert_eq!(estimate(&i).outputs().len(), 9);
    }

    #[test]
    fn every_output_carries_its_formula_with_numbers() {
        let e = estimate(&EstimateInputs::default());
        for o in e.outputs() {
            let mut lines = o.formula.lines();
            assert!(lines.next().is_some_and(|l| !l.is_empty()), "{}", o.name);
            assert!(
                lines
                    .next()
                    .is_some_and(|l| l.chars().any(|c| c.is_ascii_digit())),
                "{}",
                o.name
            );
        }
    }

    #[test]
    fn numbers_read_like_people_say_them() {
        assert_eq!(human(86_400.0, Unit::Count), "86,400");
        assert_eq!(human(250_000.0, Unit::PerSecond), "250 k req/s");
        assert_eq!(human(1_500.0, Unit::Bytes), "1.50 kB");
        assert_eq!(human(2.0e9, Unit::BytesPerSecond), "2.00 GB/s");
        assert_eq!(human(f64::NAN, Unit::Count), "—");
    }
}
