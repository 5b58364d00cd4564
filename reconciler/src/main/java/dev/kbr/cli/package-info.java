/**
 * The {@code kbr} command line: picocli commands that parse options, construct the adapters
 * (Docker, Git) and call the engine, and the single place that maps outcomes to exit codes
 * (0 success, 1 error, 2 changes with {@code --detailed-exitcode}). Nothing imports this package.
 */
package dev.kbr.cli;
