/**
 * Reading a platform repo: lists its files (a directory, or a Git commit's tree given as
 * {@link dev.kbr.load.PlatformFiles}), splits multi-document YAML, maps documents to
 * {@code model} records, and reports every problem at file and line. May import {@code model},
 * Jackson and SnakeYAML.
 */
package dev.kbr.load;
