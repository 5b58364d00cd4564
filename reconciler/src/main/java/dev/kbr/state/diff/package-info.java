/**
 * The change set, pure: the desired tree of one state store against its current tree and kbr's
 * records; only paths kbr owns are ever deleted. May import {@code model} and {@code state}.
 */
package dev.kbr.state.diff;
