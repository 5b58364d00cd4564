/**
 * The pass: load, validate, run pipelines, schedule, render, diff, commit, and the run report;
 * and {@link dev.kbr.engine.PlatformCheck}, its first two stages alone ({@code kbr validate}).
 * Uses only interfaces for the outside world ({@code PipelineRunner}, {@code StateStore}); never
 * an adapter.
 */
package dev.kbr.engine;
