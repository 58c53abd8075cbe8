//! Diagrams of the resource graph (temporary stub of the graph-html branch: main's owner
//! provides the real module with the DOT, Mermaid and JSON renderers).

pub mod html;
