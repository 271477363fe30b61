// Package scenarios is wmsim's scenario file format.
//
// It reads scenario files (format v1, see FORMAT.md and the contract in
// SCENARIO-FORMAT.md) into typed Go values, and has the format's JSON Schema
// and the built-in library of scenarios. Package runner runs them.
//
// Decoding is strict and complete: the YAML is parsed into an AST with
// github.com/goccy/go-yaml, and every field is checked against the format,
// so an unknown field, a wrong type, a negative duration, an unknown enum
// value, an `at` beyond the scenario's duration, or a task name the app does
// not define is reported with its file:line:column, the field's path, what is
// wrong and what would be valid. All errors are collected and returned
// together in a *LoadError; nothing is simulated when any is found.
//
// Hostile input is rejected before decoding: files over MaxFileSize, more
// than MaxStructure lines and separators, nesting deeper than MaxDepth and
// alias expansion beyond MaxNodes. No input panics.
//
// Schema returns the JSON Schema generated from the Go types (committed as
// schema.json and kept fresh by TestSchema).
package scenarios
