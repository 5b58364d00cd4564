/**
 * Reading a platform repo: walks a directory, splits multi-document YAML, maps documents to
 * {@code model} records, and reports every problem at file and line. May import {@code model},
 * Jackson and SnakeYAML.
 */
package dev.kbr.load;
