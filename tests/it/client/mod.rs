//! The CINNOX client: every call, faults and pacing, tolerated server quirks.

mod calls;
mod documented;
mod faults;
mod tolerance;
