// Package docs holds leasesim's user documentation (Markdown) and the JSON Schemas of its
// input files (schema/). It has no code: its tests keep the documentation in step with
// the program — the schemas' keys equal to what the parsers accept, the built-in
// scenarios and real histories valid against the schemas, and no reference to documents
// outside the repository.
package docs
