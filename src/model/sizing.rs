//! Sizing facts the design review works from: per-block properties and the estimator's inputs.
//!
//! Everything optional falls back to a default (the palette's per kind, or the estimator's
//! sensible starting numbers), so a board drawn without them still gets a review.

use serde::{Deserialize, Serialize};

/// A block's sizing. `None` means "the palette's default for this kind".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Props {
    /// Instances (replicas) behind this block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<u32>,
    /// Requests per second one instance handles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    /// Copies of each piece of data (data stores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication: Option<u32>,
    /// What the data is partitioned (sharded) by (data stores).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub partition_key: String,
}

impl Props {
    pub fn is_default(&self) -> bool {
        *self == Props::default()
    }
}

/// The back-of-the-envelope inputs of the estimator, saved with the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EstimateInputs {
    pub daily_active_users: f64,
    /// Requests each active user makes per day (reads and writes).
    pub requests_per_user: f64,
    /// Reads per write (10 means 10:1).
    pub reads_per_write: f64,
    /// Average size of one request's payload, in bytes.
    pub payload_bytes: f64,
    pub retention_years: f64,
    /// Peak traffic as a multiple of the average.
    pub peak_factor: f64,
    /// Requests per second one application instance handles.
    pub capacity_per_instance: f64,
    /// Highest planned utilisation, in percent (headroom for spikes and failures).
    pub target_utilisation: f64,
}

impl Default for EstimateInputs {
    fn default() -> Self {
        Self {
            daily_active_users: 1_000_000.0,
            requests_per_user: 10.0,
            reads_per_write: 10.0,
            payload_bytes: 1_000.0,
            retention_years: 5.0,
            peak_factor: 3.0,
            capacity_per_instance: 10_000.0,
            target_utilisation: 70.0,
        }
    }
}

impl EstimateInputs {
    pub fn is_default(&self) -> bool {
        *self == EstimateInputs::default()
    }

    /// The fields, in the order of [`Self::fields`], to change one by its index.
    pub fn values_mut(&mut self) -> [&mut f64; 8] {
        [
            &mut self.daily_active_users,
            &mut self.requests_per_user,
            &mut self.reads_per_write,
            &mut self.payload_bytes,
            &mut self.retention_years,
            &mut self.peak_factor,
            &mut self.capacity_per_instance,
            &mut self.target_utilisation,
        ]
    }

    /// The fields with their names, for validation and the estimator form.
    pub fn fields(&self) -> [(&'static str, f64); 8] {
        [
            ("daily_active_users", self.daily_active_users),
            ("requests_per_user", self.requests_per_user),
            ("reads_per_write", self.reads_per_write),
            ("payload_bytes", self.payload_bytes),
            ("retention_years", self.retention_years),
            ("peak_factor", self.peak_factor),
            ("capacity_per_instance", self.capacity_per_instance),
            ("target_utilisation", self.target_utilisation),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_mut_follows_the_order_of_fields() {
        let mut i = EstimateInputs::default();
        for (n, v) in i.values_mut().into_iter().enumerate() {
            *v = n as f64;
        }
        let fields = i.fields();
        for (n, (_, v)) in fields.iter().enumerate() {
            assert_eq!(*v, n as f64, "{}", fields[n].0);
        }
        assert_eq!(i.payload_bytes, 3.0);
        assert_eq!(i.target_utilisation, 7.0);
    }
}
