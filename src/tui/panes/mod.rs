//! One module per pane and overlay, each a pure drawing function.

pub mod chats;
pub mod conversation;
pub mod footer;
pub mod help;
pub mod people;
pub mod picture;
pub mod results;
pub mod stats;
