/**
 * The run report: what a pass ran, found and changed, as records, and renderers that write it as
 * text to a given writer. Nothing else prints. May import {@code model}, {@code pipeline},
 * {@code state}, and Jackson for JSON output.
 */
package dev.kbr.report;
