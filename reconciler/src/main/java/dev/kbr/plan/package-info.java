/**
 * The plan of a pass, decided before any pipeline runs ({@link dev.kbr.plan.PassPlan}, one {@link
 * dev.kbr.plan.ObjectDecision} per object): for each object whether its configure workflow runs
 * and why, or its last outputs stand (Kratix's reconciliation triggers, KRATIX.md §5.1), whether it
 * is invalid, held or waits for a Promise, and which recorded objects are gone and deleted, held
 * or refused. Pure: it reads values
 * the engine built from the platform and the records and returns values; no I/O, no clock but the
 * instant it is given. May import {@code dev.kbr.model} and Jackson's tree types only.
 */
package dev.kbr.plan;
