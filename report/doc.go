// Package report defines wmsim's result document (wmsim.result/v1 and
// wmsim.results/v1) and renders runs for people and machines: the text
// timeline and tables, JSON Lines and Chrome traces, JUnit XML and the
// self-contained HTML report.
package report
