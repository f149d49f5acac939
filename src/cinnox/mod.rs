//! The CINNOX Open API as the connector uses it: `wire` holds every wire detail and
//! the pure conversions to the model.

pub mod wire;
