/**
 * The pass: load, validate, run pipelines, schedule, render, diff, commit, and the run report.
 * Uses only interfaces for the outside world ({@code PipelineRunner}, {@code StateStore}); never
 * an adapter.
 */
package dev.kbr.engine;
