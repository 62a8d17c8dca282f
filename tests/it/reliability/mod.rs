//! The reliability suite: one test per case of docs/reliability.md not covered elsewhere, each
//! named by its catalog ID (`z3_...`, `d11_...`), so anyone can see which case a test covers.
//! `catalog` checks that every P0 ID has such a test somewhere in the project.

mod attacks_io;
mod catalog;
mod durability;
mod fuzz_props;
mod network;
mod parsing;
mod privacy;
mod zip;
