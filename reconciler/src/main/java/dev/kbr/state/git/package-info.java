/**
 * The JGit adapter for Git state stores: fetches one branch into a private bare repository,
 * builds the next tree in memory (never a work tree), and pushes one commit per pass with the
 * expected old commit id (compare-and-swap). The only package that uses JGit; JGit exceptions
 * are wrapped here and never leave it. May import {@code state}, {@code model} and JGit.
 */
package dev.kbr.state.git;
