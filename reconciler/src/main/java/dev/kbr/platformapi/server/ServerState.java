package dev.kbr.platformapi.server;

/**
 * What one publish serves: the kinds and the objects with this pass's writes on top. Replaced
 * whole by a publish, so a call sees one view from start to end.
 */
record ServerState(Discovery discovery, ObjectStore store) {}
